/** The full-text index of cases (migration 004): writes inside the case's transaction, and the match condition. */
import { PostgresAdapter, sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database } from './schema.js';
import type { Tx, TxContext } from './tx.js';
import { caseSearchTokens, parseQuery, type QueryTerm, type SearchQuery } from '../domain/search-text.js';
import { accusedTagPrefix, scopeTagPrefix, tagsSql } from './migrations/022-search-tags.js';
import { reachable } from './migrations/021-case-reach.js';

type AnyDb = Tx | Kysely<Database>;

export function isPostgres(db: AnyDb): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

const hex = (path: string) => Buffer.from(path, 'utf8').toString('hex');

/** SQLite: the word placing a case in the jurisdiction at `path` (migration 022). */
export function scopeTag(path: string): string {
  return `${scopeTagPrefix}${hex(path)}`;
}

/** SQLite: the word of a denunciation accusing the unit at `path` (migration 022). */
export function accusedTag(path: string): string {
  return `${accusedTagPrefix}${hex(path)}`;
}

/** A tag of migration 022: never a word of a text or of a query, so tags can be told apart in an entry. */
export function isSearchTag(word: string): boolean {
  return /^_[sa]2f(?:[0-9a-f]{2})*$/.test(word);
}

/** The jurisdictions a unit at `path` puts its cases in: it and every unit above it but the top of the tree (as case_reach). */
export function reachPaths(unitPath: string): string[] {
  const parts = unitPath.split('/').filter(Boolean);
  return parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}/`).filter(reachable);
}

async function sqliteEntry(t: TxContext, seqNo: number, words: string[], tags: string[] | undefined): Promise<string> {
  let all = tags;
  if (!all) {
    const r = await sql<{ tags: string }>`select ${sql.raw(tagsOf(String(Math.trunc(seqNo))))} as tags`.execute(t.tx);
    all = (r.rows[0]?.tags ?? '').split(' ').filter(Boolean);
  }
  return [...words.filter((w) => !isSearchTag(w)), ...all].join(' ');
}

/** The tags of a case as SQL: its case_reach rows, and its accused units if it is a denunciation. */
function tagsOf(seqNo: string): string {
  return `trim(${tagsSql(seqNo)})`;
}

/**
 * (Re)writes the index entry of one case: its own words plus those of cases merged into it; on
 * SQLite also its tags (migration 022), read from case_reach and case_file.
 */
export async function indexCase(t: TxContext, seqNo: number, tokens: string[]): Promise<void> {
  if (t.dialect === 'postgres') {
    await sql`insert into case_search (seq_no, tsv) values (${seqNo}, array_to_tsvector(${tokens}::text[]))
      on conflict (seq_no) do update set tsv = excluded.tsv`.execute(t.tx);
  } else {
    const body = await sqliteEntry(t, seqNo, tokens, undefined);
    await sql`delete from case_search where rowid = ${seqNo}`.execute(t.tx);
    await sql`insert into case_search (rowid, body) values (${seqNo}, ${body})`.execute(t.tx);
  }
}

/**
 * Writes the index entry of a case being created (nothing to replace: no delete first on SQLite),
 * linked so far to the unit at `unitPath` alone; `accused`: the accused units' paths of a denunciation.
 */
export async function indexNewCase(t: TxContext, seqNo: number, tokens: string[], place: { unitPath: string; accused: string[] }): Promise<void> {
  if (t.dialect === 'postgres') return indexCase(t, seqNo, tokens);
  const body = await sqliteEntry(t, seqNo, tokens, [...reachPaths(place.unitPath).map(scopeTag), ...place.accused.map(accusedTag)]);
  await sql`insert into case_search (rowid, body) values (${seqNo}, ${body})`.execute(t.tx);
}

/**
 * SQLite: writes the tags of a case again after it joined jurisdictions (a new unit linked): its
 * words are those of the entry, without its old tags.
 */
export async function retagCase(t: TxContext, seqNo: number): Promise<void> {
  if (t.dialect !== 'sqlite') return;
  const r = await sql<{ body: string }>`select body from case_search where rowid = ${seqNo}`.execute(t.tx);
  const old = r.rows[0];
  if (!old) return;
  await indexCase(t, seqNo, old.body.split(' ').filter(Boolean));
}

/** Indexes a case together with every case merged into it (合并办理: the earlier case is found by the later words too). */
export async function indexCaseWithMerged(t: TxContext, c: { id: string; seq_no: number; title: string; content: string }): Promise<void> {
  const merged = await t.tx.selectFrom('case_file').select(['title', 'content']).where('merged_into', '=', c.id).execute();
  const words = new Set(caseSearchTokens(c));
  for (const m of merged) for (const w of caseSearchTokens(m)) words.add(w);
  await indexCase(t, c.seq_no, [...words]);
}

function ftsTerm(t: QueryTerm): string {
  return `"${t.word.replace(/"/g, '""')}"${t.prefix ? '*' : ''}`;
}

function tsTerm(t: QueryTerm): string {
  return `'${t.word.replace(/\\/g, '\\\\').replace(/'/g, "''")}'${t.prefix ? ':*' : ''}`;
}

function render(q: SearchQuery, term: (t: QueryTerm) => string, and: string, or: string): string {
  return q.map((alts) => `(${alts.map((terms) => `(${terms.map(term).join(and)})`).join(or)})`).join(and);
}

/** The query's words, without any that has the form of a tag (migration 022): a query never asks for a tag itself. */
function queryOf(q: string): SearchQuery {
  const parsed = parseQuery(q);
  if (!parsed.some((alts) => alts.some((terms) => terms.some((t) => isSearchTag(t.word))))) return parsed;
  return parsed.map((alts) => alts.filter((terms) => !terms.some((t) => isSearchTag(t.word)))).filter((alts) => alts.length > 0);
}

/**
 * SQLite: where matches are counted and read by the index alone (migration 022): the cases of the
 * jurisdiction at `path` ('/' = every case; otherwise a path case_reach holds), without the
 * denunciations against the units at `excludeAccusedPaths`.
 */
export interface SearchScope {
  path: string;
  excludeAccusedPaths: string[];
}

function ftsMatch(parsed: SearchQuery, scope: SearchScope | undefined): string {
  let m = render(parsed, ftsTerm, ' AND ', ' OR ');
  if (!scope) return m;
  if (scope.path !== '/') m = `(${m}) AND "${scopeTag(scope.path)}"`;
  if (scope.excludeAccusedPaths.length > 0) m = `(${m}) NOT (${scope.excludeAccusedPaths.map((p) => `"${accusedTag(p)}"`).join(' OR ')})`;
  return m;
}

const caseNumberQuery = /^\s*XF\s*(\d{4})\s*[-－]?\s*(\d{1,9})\s*$/i;

/**
 * The condition on case_file for a free-text query: a case number (XF2026-000123) matches that case,
 * anything else must contain every word of the query (Chinese words by jieba).
 *
 * `drive` (SQLite): the matches are few (see countMatches), so they drive the query: each is looked
 * up by seq_no. Otherwise (unary +) the matches are a set to probe, never the driver: a common word
 * matches thousands of cases, and the queue's ordered index finds a page of them after a few rows.
 * `scope` (SQLite): only the matches of that scope (SearchScope) are in the set; the query must read
 * the same scope's cases anyway.
 */
export function searchCondition(db: AnyDb, q: string, opts: { drive?: boolean; scope?: SearchScope | undefined } = {}): Expression<SqlBool> {
  const no = caseNumberQuery.exec(q);
  if (no) return sql<SqlBool>`(case_file.seq_no = ${Number(no[2])} and case_file.received_date like ${`${no[1]}-%`})`;
  const parsed = queryOf(q);
  if (parsed.length === 0) return sql<SqlBool>`1 = 0`;
  if (isPostgres(db)) {
    return sql<SqlBool>`case_file.seq_no in (select seq_no from case_search where tsv @@ ${render(parsed, tsTerm, ' & ', ' | ')}::tsquery)`;
  }
  const match = ftsMatch(parsed, opts.scope);
  if (opts.drive) return sql<SqlBool>`case_file.seq_no in (select rowid from case_search where case_search match ${match})`;
  return sql<SqlBool>`+case_file.seq_no in (select rowid from case_search where case_search match ${match})`;
}

/**
 * How many cases of the whole index a free-text query matches, counting no further than `upTo`
 * (SQLite: the FTS5 doclists only, no case row); null for a case number or on PostgreSQL, whose
 * planner weighs the GIN matches itself.
 */
export async function countMatches(db: AnyDb, q: string, upTo: number): Promise<number | null> {
  const match = sqliteMatch(db, q, undefined);
  if (match === null || match === '') return match === null ? null : 0;
  const r = await sql<{ n: number }>`select count(*) as n from (select rowid from case_search where case_search match ${match} limit ${upTo})`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/** SQLite: the FTS5 MATCH expression of a free-text query in `scope` ('' when it has no word); null for a case number or on PostgreSQL. */
function sqliteMatch(db: AnyDb, q: string, scope: SearchScope | undefined): string | null {
  if (isPostgres(db) || caseNumberQuery.test(q)) return null;
  const parsed = queryOf(q);
  return parsed.length === 0 ? '' : ftsMatch(parsed, scope);
}

/**
 * SQLite: the case numbers of a free-text query's matches in `scope`, the first `upTo` of them by
 * number (the FTS5 doclists only, no case row); null for a case number or on PostgreSQL.
 */
export async function scopedMatches(db: AnyDb, q: string, upTo: number, scope: SearchScope): Promise<number[] | null> {
  const match = sqliteMatch(db, q, scope);
  if (match === null || match === '') return match === null ? null : [];
  const r = await sql<{ n: number }>`select rowid as n from case_search where case_search match ${match} limit ${upTo}`.execute(db);
  return r.rows.map((x) => Number(x.n));
}

/**
 * SQLite: the case is one of `seqNos`, as a JSON list: `drive` looks each up by seq_no; otherwise
 * (unary +) the list is a set probed along the query's order.
 */
export function seqNoIn(seqNos: readonly number[], drive: boolean): Expression<SqlBool> {
  const list = JSON.stringify(seqNos);
  if (drive) return sql<SqlBool>`case_file.seq_no in (select value from json_each(${list}))`;
  return sql<SqlBool>`+case_file.seq_no in (select value from json_each(${list}))`;
}
