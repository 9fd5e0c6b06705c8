/**
 * 009: supervision of the handling units — the formal 督办件 (supervision rebuilt with its whole
 * lifecycle, over one case or a group of cases) and 督导检查 (inspections of a unit: the cases
 * sampled, findings per case, required corrections and their follow-up).
 *
 * The supervision table of 007 only knew open/closed and the supervising bureau; it is rebuilt
 * (SQLite cannot alter a CHECK constraint) and its rows kept: a disputed signature becomes an
 * ordinary 督办件 addressed to the unit that issued the document.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.js';

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('supervision_v2')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // The first case; every case of a group is in supervision_case.
    .addColumn('case_id', 'text', (c) => c.notNull().references('case_file.id'))
    // The supervising unit (督办单位), as in 007.
    .addColumn('unit_id', 'text', (c) => c.notNull().references('unit.id'))
    // The unit supervised (被督办单位): it must answer in writing.
    .addColumn('target_unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('manual','signature_dispute','escalation')`))
    .addColumn('document_id', 'text')
    .addColumn('problem', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('due_date', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open','answered','closed','escalated')`))
    .addColumn('answer', 'text')
    .addColumn('answered_by', 'text')
    .addColumn('answered_at', 'text')
    .addColumn('closed_by', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('close_note', 'text')
    .addColumn('parent_id', 'text')
    .addColumn('escalated_to', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await sql`
    insert into supervision_v2 (id, case_id, unit_id, target_unit_id, source, document_id, problem, reason, due_date, status, created_at)
    select s.id, s.case_id, s.unit_id,
      coalesce((select d.unit_id from document d where d.id = s.document_id), (select c.current_unit_id from case_file c where c.id = s.case_id)),
      case when s.document_id is null then 'manual' else 'signature_dispute' end,
      s.document_id, '信访人报告文书不是本人所签：' || s.reason, s.reason, null, s.status, s.created_at
    from supervision s`.execute(db);
  await db.schema.dropTable('supervision').execute();
  await sql`alter table supervision_v2 rename to supervision`.execute(db);
  await db.schema.createIndex('supervision_unit_idx').on('supervision').columns(['unit_id', 'status']).execute();
  await db.schema.createIndex('supervision_target_idx').on('supervision').columns(['target_unit_id', 'status']).execute();

  await db.schema
    .createTable('supervision_case')
    .addColumn('supervision_id', 'text', (c) => c.notNull().references('supervision.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('case_file.id'))
    .addPrimaryKeyConstraint('supervision_case_pk', ['supervision_id', 'case_id'])
    .execute();
  await db.schema.createIndex('supervision_case_case_idx').on('supervision_case').columns(['case_id']).execute();
  await sql`insert into supervision_case (supervision_id, case_id) select id, case_id from supervision`.execute(db);

  await db.schema
    .createTable('inspection')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // The unit inspected (its subtree's cases are sampled).
    .addColumn('unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('by_unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('inspected_on', 'text', (c) => c.notNull())
    .addColumn('inspectors', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open','concluded','closed')`))
    .addColumn('summary', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('concluded_at', 'text')
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema.createIndex('inspection_unit_idx').on('inspection').columns(['unit_id', 'status']).execute();
  await db.schema.createIndex('inspection_by_unit_idx').on('inspection').columns(['by_unit_id', 'status']).execute();

  await db.schema
    .createTable('inspection_case')
    .addColumn('inspection_id', 'text', (c) => c.notNull().references('inspection.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('case_file.id'))
    // Why the case was sampled: JSON array of overdue | dissatisfied | returned | disputed (empty = plain random).
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('finding', 'text')
    .addColumn('verdict', 'text', (c) => c.check(sql`verdict in ('ok','problem')`))
    .addColumn('recorded_by', 'text')
    .addColumn('recorded_at', 'text')
    .addPrimaryKeyConstraint('inspection_case_pk', ['inspection_id', 'case_id'])
    .execute();
  await db.schema.createIndex('inspection_case_case_idx').on('inspection_case').columns(['case_id']).execute();

  await db.schema
    .createTable('inspection_correction')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('inspection_id', 'text', (c) => c.notNull().references('inspection.id'))
    .addColumn('case_id', 'text', (c) => c.references('case_file.id'))
    .addColumn('requirement', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open','reported','accepted','reopened')`))
    .addColumn('report', 'text')
    .addColumn('reported_by', 'text')
    .addColumn('reported_at', 'text')
    .addColumn('decision_note', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('inspection_correction_idx').on('inspection_correction').columns(['inspection_id', 'status']).execute();
  await db.schema.createIndex('inspection_correction_due_idx').on('inspection_correction').columns(['status', 'due_date']).execute();
}
