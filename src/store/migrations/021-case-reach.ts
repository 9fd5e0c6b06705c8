/**
 * 021: the jurisdictions of every case as an index of its own (SQLite; issue #4: a city's workbench).
 *
 * A case belongs to the jurisdiction of every unit above or at one of its units (receiving or
 * assigned): a city bureau sees the cases its counties' departments handle. On SQLite that was a
 * set built from case_unit in each statement (a city's some 13,000 links, ~6 ms) and probed along
 * case_file's queue indexes, or tested case by case. case_reach holds one row per case and
 * jurisdiction with the columns the office's queues filter and sort on, so a queue of a city is a
 * range of one index, in order, and a count stops at the cap after the cap's rows:
 * - unit_ancestor: each unit with itself and every unit above it, except the top of the tree (its
 *   jurisdiction is every case and needs no index);
 * - case_reach: (case, jurisdiction) with a copy of the case's queue columns; its three indexes
 *   hold the same columns as case_file's queue indexes (migration 012), behind the jurisdiction. Its
 *   key is the case number (seq_no, the full-text index's rowid) first: the few matches of a rare
 *   word are looked up there, one by one.
 *
 * Both are kept in step inside the writing transaction: by triggers when a unit is added or a
 * case's copied columns change, by the statement that links a case to a unit (insertCaseUnit of
 * store/case.repository.ts, not a trigger: see there). Units never move (their path is fixed), and
 * links are never removed. PostgreSQL's planner reads a jurisdiction's cases from case_unit well enough; it has
 * neither table.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.js';
import { staffDueKeyIndexExpression } from './012-queue-indexes.js';

/** The case_file columns copied into case_reach (besides id): what the queue queries read. */
export const reachColumns = [
  'seq_no',
  'received_date',
  'state',
  'submitted_at',
  'due_accept',
  'due_assign',
  'due_reply',
  'due_review_decision',
  'is_denunciation',
  'accused_unit_ids',
  'category_code',
  'region_code',
  'channel',
  'target',
  'evaluation',
  'petitioner_id',
  'pending_extension',
] as const;

/** How deep the unit at `path` lies: '/' 0, the top of the tree ('/a/') 1, a city's bureau ('/a/b/') 2, a county's 3. */
export function pathDepth(path: string): number {
  return path.split('/').filter(Boolean).length;
}

/** Whether case_reach holds the jurisdiction at `path`: every unit but one at the top of the tree ('/a/b/', not '/a/'). */
export function reachable(path: string): boolean {
  return pathDepth(path) >= 2;
}

/** Every case under every unit above or at one of its units: the first fill, and bench/stats.ts after its bulk load. */
export const reachBackfill = `insert or ignore into case_reach (scope_path, id, ${reachColumns.join(', ')})
  select a.path, c.id, ${reachColumns.map((c) => `c.${c}`).join(', ')}
  from case_unit cu join unit_ancestor a on a.unit_id = cu.unit_id join case_file c on c.id = cu.case_id`;

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect !== 'sqlite') return;
  const run = (q: string) => sql.raw(q).execute(db);
  await run(`create table unit_ancestor (unit_id text not null, path text not null, primary key (unit_id, path)) without rowid`);
  await run(`create table case_reach (
    scope_path text not null,
    id text not null,
    seq_no integer not null,
    received_date text not null,
    state text not null,
    submitted_at text not null,
    due_accept text,
    due_assign text,
    due_reply text,
    due_review_decision text,
    is_denunciation integer not null,
    accused_unit_ids text not null,
    category_code text not null,
    region_code text not null,
    channel text not null,
    target text not null,
    evaluation text,
    petitioner_id text,
    pending_extension text,
    primary key (seq_no, scope_path)) without rowid`);

  // A unit's ancestors (and itself) by path prefix, leaving out the top of the tree.
  await run(`insert into unit_ancestor (unit_id, path)
    select u.id, a.path from unit u join unit a on substr(u.path, 1, length(a.path)) = a.path where a.parent_id is not null`);
  // Both ways, so the order units are added in does not matter: the new unit under every unit above
  // it, and every unit already below it under the new one.
  await run(`create trigger unit_ancestor_insert after insert on unit begin
    insert or ignore into unit_ancestor (unit_id, path)
      select new.id, a.path from unit a where substr(new.path, 1, length(a.path)) = a.path and a.parent_id is not null;
    insert or ignore into unit_ancestor (unit_id, path)
      select d.id, new.path from unit d where substr(d.path, 1, length(new.path)) = new.path and new.parent_id is not null;
  end`);
  await run(`create trigger unit_ancestor_delete after delete on unit begin
    delete from unit_ancestor where unit_id = old.id;
  end`);

  await run(reachBackfill);
  const changed = reachColumns.map((c) => `new.${c} is not old.${c}`).join(' or ');
  const set = reachColumns.map((c) => `${c} = new.${c}`).join(', ');
  await run(`create trigger case_reach_update after update on case_file when ${changed} begin
    update case_reach set ${set} where seq_no = old.seq_no;
  end`);
  await run(`create trigger case_reach_delete after delete on case_file begin
    delete from case_reach where seq_no = old.seq_no;
  end`);

  // The queue indexes of migration 012 behind the jurisdiction: a queue by due date (one state /
  // several states and due-date ranges) and newest first, each holding what the filters test.
  const key = `(${staffDueKeyIndexExpression})`;
  // The due dates too: SQLite evaluates the key from them on every row it tests (a range of the key
  // included), reading the table for each unless the index holds them (0.26 against 2.6 ms for a
  // city's count of 1,001 overdue cases).
  const filters = 'is_denunciation, accused_unit_ids, category_code, region_code, channel, target, evaluation, petitioner_id, pending_extension, seq_no, received_date, due_accept, due_assign, due_reply, due_review_decision';
  await run(`create index case_reach_due_idx on case_reach (scope_path, state, ${key}, submitted_at, id, ${filters})`);
  await run(`create index case_reach_due_key_idx on case_reach (scope_path, ${key}, submitted_at, id, state, ${filters})`);
  await run(`create index case_reach_submitted_idx on case_reach (scope_path, submitted_at, id, state, ${filters})`);
  await run(`analyze case_reach`);
}
