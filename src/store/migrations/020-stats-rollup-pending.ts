/**
 * 020: new cases wait for the statistics rollups in a queue (stats_rollup_pending) instead of each
 * submission updating ~100 rollup rows inside its own transaction: the queue is applied in batches
 * (summed per rollup row) by the scheduler every few seconds and before any statistics are read, so
 * the figures stay exact while a submission writes one small row. Nothing is queued yet on an
 * existing database: its rollups hold every case already (or are being built).
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await sql`create table stats_rollup_pending (case_id text not null primary key)${dialect === 'sqlite' ? sql` without rowid` : sql``}`.execute(db);
}
