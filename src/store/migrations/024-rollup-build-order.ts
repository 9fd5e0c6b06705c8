/**
 * 024: the statistics rollups are built in the order cases were numbered (seq_no), not by id.
 *
 * Ids are random: each chunk of 2,000 cases by id touched rollup rows of every month, so every
 * chunk rewrote pages all over the rollup tables (100,000 cases: 262 s, a million: over half an
 * hour). Cases numbered one after another arrived together: a chunk's contributions fall into a few
 * months, sum into fewer rows and land on neighbouring pages (100,000 cases: 144 s with this order
 * alone). The watermark becomes the number of the last case the committed chunks hold (0 = none);
 * an integer, so PostgreSQL compares it without a collation. A build under way when this runs
 * starts over in the new order (the statistics are counted from the cases meanwhile).
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.js';

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await sql`alter table stats_rollup_state add column upto_seq integer not null default 0`.execute(db);
  const s = await sql<{ built: number }>`select built from stats_rollup_state where id = 1`.execute(db);
  if (Number(s.rows[0]?.built ?? 1) !== 1) {
    await sql`delete from stats_rollup`.execute(db);
    await sql`delete from stats_rollup_total`.execute(db);
    await sql`delete from stats_rollup_pending`.execute(db);
  }
  await sql`alter table stats_rollup_state drop column upto`.execute(db);
}
