/**
 * 012: the office queues at province scale (issue #4: 100,000 cases, p95 < 50 ms).
 *
 * - case_due_idx: a queue of one state sorted by due date (待受理, 办理中 …) reads this index in
 *   order and stops after the page; counting the queue reads it and stops at the cap.
 * - case_due_key_idx: the same key first, for the queues of several states and the due-date ranges
 *   (即将到期, 已超期, 待交办): a range of the key, in order.
 * - case_region_idx, case_target_idx: the region and target filters pick few cases of many; their
 *   count and their newest-first page read a range instead of every case.
 * - case_seq_cover_idx: a search whose matches drive the query (a rare word) looks each match up by
 *   seq_no and finds everything the queue filters on in the index, not in the long case row.
 *
 * The key is staff's next deadline in the case's state, '~' (after every date) when staff owe
 * nothing: exactly store/workbench.repository.ts staffDueKey, unqualified (SQLite forbids "." in
 * index expressions; both databases match the qualified query expression to it). Then ANALYZE, so
 * the planners weigh these indexes against the others with real figures from the start.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.js';

export const staffDueKeyIndexExpression = `coalesce((case state
  when 'submitted' then due_accept
  when 'accepted' then due_assign
  when 'returned' then due_assign
  when 'assigned' then due_reply
  when 'in_progress' then due_reply
  when 'under_review' then due_review_decision
  else null end), '~')`;

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  const key = `(${staffDueKeyIndexExpression})`;
  const filters = ['is_denunciation', 'accused_unit_ids', 'category_code', 'region_code', 'channel', 'target', 'evaluation', 'petitioner_id'];
  const idx = (name: string, cols: string[]) => sql`create index ${sql.raw(name)} on case_file (${sql.raw(cols.join(', '))})`.execute(db);
  await idx('case_due_idx', ['state', key, 'submitted_at', 'id', ...filters]);
  await idx('case_due_key_idx', [key, 'submitted_at', 'state', 'id', ...filters]);
  await idx('case_region_idx', ['region_code', 'submitted_at', 'state', 'id', 'is_denunciation', 'accused_unit_ids', 'category_code', 'channel', 'target']);
  await idx('case_target_idx', ['target', 'submitted_at', 'state', 'id', 'is_denunciation', 'accused_unit_ids', 'category_code', 'channel', 'region_code']);
  await idx('case_seq_cover_idx', ['seq_no', 'id', 'state', 'submitted_at', ...filters]);
  await sql`analyze`.execute(db);
}
