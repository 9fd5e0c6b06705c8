/**
 * 023: a jurisdiction's cases by category, by region and by target (SQLite; issue #4: a city's
 * filtered lists).
 *
 * A filter over a jurisdiction (case_reach, migration 021) counted its cases by reading every row of
 * the jurisdiction: a category, a county or a leader's mailbox holds a few hundred to a thousand of
 * a city's 13,000 cases, so its count read all 13,000 (1.1–2 ms, more under load). With the filter's
 * column behind the jurisdiction the count is a range of an index and stops at the cap (0.05–0.08
 * ms). Each index holds the denunciation columns the count tests, so it never reads the table:
 * - by category and state: a category alone, and a queue (one state or a few) of one category;
 * - by region (a county, or a city's code as a range) and by target, each newest first, which is
 *   also the order of their lists.
 * A common category's page is still read along the queue's own index (store/case.repository.ts).
 * PostgreSQL has no case_reach.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect !== 'sqlite') return;
  const run = (q: string) => sql.raw(q).execute(db);
  const hidden = 'is_denunciation, accused_unit_ids';
  await run(`create index case_reach_category_idx on case_reach (scope_path, category_code, state, submitted_at, id, ${hidden})`);
  await run(`create index case_reach_region_idx on case_reach (scope_path, region_code, submitted_at, id, ${hidden})`);
  await run(`create index case_reach_target_idx on case_reach (scope_path, target, submitted_at, id, ${hidden})`);
  await run(`analyze case_reach`);
}
