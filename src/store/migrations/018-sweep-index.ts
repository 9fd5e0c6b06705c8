/**
 * 018: the deadline sweep's never-swept cases from their own covering index (issue 5: the daily
 * sweep over 1,000,000 open cases in < 2 s, whatever the planner statistics say).
 *
 * The sweep reads two ranges: the cases whose date has come (`sweep_on <= today`, case_sweep_idx in
 * its order, migration 005) and the cases reset to NULL by a change or a calendar import. For the
 * second, case_sweep_idx (sweep_on alone) is only as good as the statistics: ANALYZE run while most
 * cases were unswept (right after migration 005, a calendar reset, a bulk import) records sweep_on
 * as unselective, and SQLite then read `sweep_on is null` by scanning all of case_file — on every
 * sweep, each minute, even with no case left to sweep (0.3-0.5 s for 1,000,000 cases in memory).
 *
 * case_unswept_idx holds exactly those cases (partial: `where sweep_on is null`) with every column
 * the sweep plans from (SWEEP_CANDIDATE_COLUMNS in store/sweep.repository.ts): covering, it costs
 * less than any scan of the table and is chosen whatever the statistics (store/sweep-index.test.ts).
 * It is empty in the steady state. sweep_on leads although it is always NULL there: SQLite takes a
 * partial index for `sweep_on is null` only as an equality on its first column. Then seq_no, the
 * order cases were written in: a first sweep over a million cases updates them in the order of
 * their rows, page after page, where id order (UUIDs) would write the whole table at random.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.js';

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await sql`create index case_unswept_idx on case_file (sweep_on, seq_no, id, state, due_accept, due_assign, due_reply, due_review_decision)
    where sweep_on is null`.execute(db);
}
