/**
 * 007: integrity — daily anchors over all case heads (chained), the case heads each anchor covered,
 * one-time codes for petitioner-only acts, and supervision opened by a disputed signature.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.js';

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('audit_anchor')
    .addColumn('date', 'text', (c) => c.primaryKey())
    .addColumn('root', 'text', (c) => c.notNull())
    .addColumn('case_count', 'integer', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('audit_anchor_head')
    .addColumn('anchor_date', 'text', (c) => c.notNull().references('audit_anchor.date'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('case_file.id'))
    .addColumn('event_count', 'integer', (c) => c.notNull())
    .addColumn('head_hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_anchor_head_pk', ['anchor_date', 'case_id'])
    .execute();

  await db.schema
    .createTable('otp_code')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('case_file.id'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active','used','burned','superseded')`))
    .execute();
  await db.schema.createIndex('otp_case_idx').on('otp_code').columns(['case_id', 'created_at']).execute();

  await db.schema
    .createTable('supervision')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('case_file.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('document_id', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open','closed')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('supervision_unit_idx').on('supervision').columns(['unit_id', 'status']).execute();
}
