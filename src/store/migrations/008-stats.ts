/**
 * 008: statistics and repeats — the repeat links (case_repeat) and covering indexes for the
 * measures, each anchored on its own date (received, due to accept / assign / reply).
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('case_repeat')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('case_file.id'))
    .addColumn('new_case_id', 'text', (c) => c.references('case_file.id'))
    .addColumn('petitioner_id', 'text')
    .addColumn('decision', 'text', (c) => c.notNull().check(sql`decision in ('same', 'new')`))
    .addColumn('similarity', dialect === 'postgres' ? 'double precision' : 'real', (c) => c.notNull())
    .addColumn('staff_verdict', 'text')
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('received_date', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_repeat_case_idx').on('case_repeat').columns(['case_id']).execute();
  await db.schema.createIndex('case_repeat_new_idx').on('case_repeat').columns(['new_case_id']).execute();
  await db.schema.createIndex('case_repeat_date_idx').on('case_repeat').columns(['received_date', 'decision']).execute();
  // Narrow indexes per anchor, holding every column a measure groups or counts by, so a year's
  // dashboard reads index entries, never the long case rows.
  const cols = ['channel', 'target', 'category_code', 'region_code', 'current_unit_id', 'receiving_unit_id', 'state', 'is_denunciation', 'id'];
  const idx = async (name: string, lead: string[]) =>
    sql`create index ${sql.raw(name)} on case_file (${sql.raw([...lead, ...cols].join(', '))})`.execute(db);
  await idx('case_stats_received_idx', ['received_date', 'merged_into']);
  await idx('case_stats_accept_idx', ['due_accept', 'accepted_at', 'closed_at']);
  await idx('case_stats_assign_idx', ['due_assign', 'assigned_at']);
  await idx('case_stats_reply_idx', ['due_reply', 'replied_at', 'evaluation']);
  await idx('case_stats_replied_idx', ['replied_at', 'evaluation']);
}
