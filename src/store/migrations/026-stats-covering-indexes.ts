/**
 * 026: the statistics' indexes by anchor date (migration 008) also hold the denunciation's accused
 * units and the case number (SQLite; issue #7).
 *
 * The days at the edges of a period are counted from the cases found by date in these indexes. Each
 * such query tests the denunciation rule (accused_unit_ids) and, inside a jurisdiction, looks the
 * case up in case_reach by its number (seq_no): neither was in the index, so every case found was
 * also read from the table, whose rows are long. With both, these counts never leave the index
 * (1,000,000 cases, two days of a city's due dates: 15 -> 10 ms). PostgreSQL keeps its indexes: an
 * accused list has no length limit there, and its statistics test jurisdictions in case_unit.
 * Migration 008 is left as it was (an applied migration is never edited): a new database creates
 * those indexes on empty tables and replaces them here at no cost.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect !== 'sqlite') return;
  const cols = ['channel', 'target', 'category_code', 'region_code', 'current_unit_id', 'receiving_unit_id', 'state', 'is_denunciation', 'accused_unit_ids', 'seq_no', 'id'];
  const indexes: [string, string[]][] = [
    ['case_stats_received_idx', ['received_date', 'merged_into']],
    ['case_stats_accept_idx', ['due_accept', 'accepted_at', 'closed_at']],
    ['case_stats_assign_idx', ['due_assign', 'assigned_at']],
    ['case_stats_reply_idx', ['due_reply', 'replied_at', 'evaluation']],
    ['case_stats_replied_idx', ['replied_at', 'evaluation']],
  ];
  for (const [name, lead] of indexes) {
    await sql`drop index if exists ${sql.raw(name)}`.execute(db);
    await sql`create index ${sql.raw(name)} on case_file (${sql.raw([...lead, ...cols].join(', '))})`.execute(db);
  }
  await sql`analyze case_file`.execute(db);
}
