/**
 * 010: how units are judged and how the rules are spread — 典型案例 (typical cases proposed,
 * approved and published without personal data), 通报 (circulars to chosen units, a numbered PDF,
 * with their receipts), 考核 (configurable schemes and published score snapshots with the cases
 * behind every deduction), 学习园地 (edited normative texts) and the first-login tour.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('typical_case')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('case_file.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('good','bad')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('proposed','published','rejected','withdrawn')`))
    // Only redacted text lives here: what all units (and, with consent, the public) read.
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('commentary', 'text', (c) => c.notNull())
    .addColumn('category_code', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('public_requested', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('proposed_by', 'text', (c) => c.notNull().references('account.id'))
    .addColumn('proposed_unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('proposed_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.references('account.id'))
    .addColumn('decided_at', 'text')
    .addColumn('decision_note', 'text')
    .addColumn('withdrawn_at', 'text')
    .execute();
  await db.schema.createIndex('typical_case_status_idx').on('typical_case').columns(['status', 'decided_at']).execute();
  await db.schema.createIndex('typical_case_case_idx').on('typical_case').columns(['case_id']).execute();

  await db.schema
    .createTable('circular')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('commendation','criticism')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('issuer_unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('issued_by', 'text', (c) => c.notNull().references('account.id'))
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('issued_date', 'text', (c) => c.notNull())
    .addColumn('doc_no', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('serial', 'integer', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content_enc', 'text', (c) => c.notNull())
    .addUniqueConstraint('circular_number_uq', ['issuer_unit_id', 'year', 'serial'])
    .execute();
  await db.schema.createIndex('circular_issuer_idx').on('circular').columns(['issuer_unit_id', 'issued_at']).execute();

  await db.schema
    .createTable('circular_target')
    .addColumn('circular_id', 'text', (c) => c.notNull().references('circular.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('unit_path', 'text', (c) => c.notNull())
    .addColumn('acknowledged_at', 'text')
    .addColumn('acknowledged_by', 'text', (c) => c.references('account.id'))
    .addPrimaryKeyConstraint('circular_target_pk', ['circular_id', 'unit_id'])
    .execute();
  await db.schema.createIndex('circular_target_unit_idx').on('circular_target').columns(['unit_id']).execute();

  await db.schema
    .createTable('circular_citation')
    .addColumn('circular_id', 'text', (c) => c.notNull().references('circular.id'))
    .addColumn('ordinal', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('case','inspection','measure','typical')`))
    .addColumn('ref', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('circular_citation_pk', ['circular_id', 'ordinal'])
    .execute();

  await db.schema
    .createTable('assessment_scheme')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // The government whose units are judged by it (and every government below without its own).
    .addColumn('owner_unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('weights', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references('account.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('assessment_scheme_owner_uq', ['owner_unit_id'])
    .execute();

  await db.schema
    .createTable('assessment_snapshot')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('parent_unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('group_kind', 'text', (c) => c.notNull().check(sql`group_kind in ('region','department')`))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('from_date', 'text', (c) => c.notNull())
    .addColumn('to_date', 'text', (c) => c.notNull())
    .addColumn('computed_on', 'text', (c) => c.notNull())
    .addColumn('scheme_id', 'text', (c) => c.notNull())
    .addColumn('scheme_revision', 'integer', (c) => c.notNull())
    .addColumn('weights', 'text', (c) => c.notNull())
    // Rank, score and every line per unit; the case ids are in assessment_snapshot_case.
    .addColumn('results', 'text', (c) => c.notNull())
    .addColumn('published_by', 'text', (c) => c.notNull().references('account.id'))
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('assessment_snapshot_uq', ['parent_unit_id', 'group_kind', 'period'])
    .execute();

  await db.schema
    .createTable('assessment_snapshot_case')
    .addColumn('snapshot_id', 'text', (c) => c.notNull().references('assessment_snapshot.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('ref', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('assessment_snapshot_case_pk', ['snapshot_id', 'unit_id', 'item', 'ref'])
    .execute();

  await db.schema
    .createTable('training_text')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('retired', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_by', 'text', (c) => c.references('account.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('staff_tour')
    .addColumn('account_id', 'text', (c) => c.notNull().references('account.id'))
    .addColumn('tour', 'text', (c) => c.notNull())
    .addColumn('dismissed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('staff_tour_pk', ['account_id', 'tour'])
    .execute();

  // The record of every change to these (issued, acknowledged, published, edited …), in order of writing.
  await db.schema
    .createTable('work_event')
    .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.references('account.id'))
    .addColumn('actor_unit_id', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('work_event_subject_idx').on('work_event').columns(['subject_kind', 'subject_id', 'at']).execute();
}
