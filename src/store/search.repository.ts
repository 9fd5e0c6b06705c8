/** The full-text index of cases (migration 004): writes inside the case's transaction, and the match condition. */
import { PostgresAdapter, sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database } from './schema.js';
import type { Tx, TxContext } from './tx.js';
import { caseSearchTokens, parseQuery, type QueryTerm, type SearchQuery } from '../domain/search-text.js';

type AnyDb = Tx | Kysely<Database>;

export function isPostgres(db: AnyDb): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** (Re)writes the index entry of one case: its own words plus those of cases merged into it. */
export async function indexCase(t: TxContext, seqNo: number, tokens: string[]): Promise<void> {
  if (t.dialect === 'postgres') {
    await sql`insert into case_search (seq_no, tsv) values (${seqNo}, array_to_tsvector(${tokens}::text[]))
      on conflict (seq_no) do update set tsv = excluded.tsv`.execute(t.tx);
  } else {
    await sql`delete from case_search where rowid = ${seqNo}`.execute(t.tx);
    await sql`insert into case_search (rowid, body) values (${seqNo}, ${tokens.join(' ')})`.execute(t.tx);
  }
}

/** Writes the index entry of a case being created (nothing to replace: no delete first on SQLite). */
export async function indexNewCase(t: TxContext, seqNo: number, tokens: string[]): Promise<void> {
  if (t.dialect === 'postgres') await indexCase(t, seqNo, tokens);
  else await sql`insert into case_search (rowid, body) values (${seqNo}, ${tokens.join(' ')})`.execute(t.tx);
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

/**
 * The condition on case_file for a free-text query: a case number (XF2026-000123) matches that case,
 * anything else must contain every word of the query (Chinese words by jieba).
 *
 * `drive` (SQLite): the matches are few (see countMatches), so they drive the query: each is looked
 * up by seq_no. Otherwise (unary +) the matches are a set to probe, never the driver: a common word
 * matches thousands of cases, and the queue's ordered index finds a page of them after a few rows.
 */
export function searchCondition(db: AnyDb, q: string, opts: { drive?: boolean } = {}): Expression<SqlBool> {
  const no = /^\s*XF\s*(\d{4})\s*[-－]?\s*(\d{1,9})\s*$/i.exec(q);
  if (no) return sql<SqlBool>`(case_file.seq_no = ${Number(no[2])} and case_file.received_date like ${`${no[1]}-%`})`;
  const parsed = parseQuery(q);
  if (parsed.length === 0) return sql<SqlBool>`1 = 0`;
  if (isPostgres(db)) {
    return sql<SqlBool>`case_file.seq_no in (select seq_no from case_search where tsv @@ ${render(parsed, tsTerm, ' & ', ' | ')}::tsquery)`;
  }
  const match = render(parsed, ftsTerm, ' AND ', ' OR ');
  if (opts.drive) return sql<SqlBool>`case_file.seq_no in (select rowid from case_search where case_search match ${match})`;
  return sql<SqlBool>`+case_file.seq_no in (select rowid from case_search where case_search match ${match})`;
}

/**
 * How many cases of the whole index a free-text query matches, counting no further than `upTo`
 * (SQLite: the FTS5 doclists only, no case row); null for a case number or on PostgreSQL, whose
 * planner weighs the GIN matches itself.
 */
export async function countMatches(db: AnyDb, q: string, upTo: number): Promise<number | null> {
  if (isPostgres(db) || /^\s*XF\s*\d{4}/i.test(q)) return null;
  const parsed = parseQuery(q);
  if (parsed.length === 0) return 0;
  const r = await sql<{ n: number }>`select count(*) as n from (select rowid from case_search where case_search match ${render(parsed, ftsTerm, ' AND ', ' OR ')} limit ${upTo})`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}
