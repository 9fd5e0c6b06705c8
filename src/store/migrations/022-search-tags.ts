/**
 * 022: the jurisdictions and accused units of a case as words of its full-text entry (SQLite; issue
 * #4: a search inside a city or a county).
 *
 * A search inside a jurisdiction counted its matches by reading the jurisdiction's cases (case_reach,
 * migration 021) and testing each against the query's matches: a city's 13,000 cases for 2.7 ms,
 * whatever the word. With the jurisdiction a word of the entry, FTS5 intersects the two lists itself
 * (0.2 ms for 工资 in 石家庄, 364 of 2,769 matches). Each entry (SQLite's case_search.body) holds:
 * - a scope tag per case_reach row of the case: '_s' + the hex of the jurisdiction's path;
 * - for a denunciation, an accused tag per accused unit: '_a' + the hex of its path, so a query can
 *   leave out the denunciations against the reader's units (NOT) as withoutAccused does.
 * The table is made again with '_' a character of words (tokenchars), so a tag is one word. The
 * words of texts and queries never hold '_' (search-text.ts splits on it), so no query word, not
 * even a lone letter read as a prefix ("s"*), can match a tag.
 * The entries are written again with their tags; PostgreSQL's index is unchanged.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.js';

/** The tag of a jurisdiction and of an accused unit, each followed by the hex of the unit's path. */
export const scopeTagPrefix = '_s';
export const accusedTagPrefix = '_a';

/** A case's tags as SQL over case_reach and case_file (aliases tr, tc, tj), for the case numbered `seqNo` (a column or a number). */
export function tagsSql(seqNo: string): string {
  return `coalesce((select ' ' || group_concat('${scopeTagPrefix}' || lower(hex(tr.scope_path)), ' ') from case_reach tr where tr.seq_no = ${seqNo}), '')
    || coalesce((select ' ' || group_concat('${accusedTagPrefix}' || lower(hex(tj.value)), ' ') from case_file tc join json_each(tc.accused_unit_ids) tj where tc.seq_no = ${seqNo} and tc.is_denunciation = 1), '')`;
}

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect !== 'sqlite') return;
  const run = (q: string) => sql.raw(q).execute(db);
  // Built again rather than updated entry by entry: FTS5 replaces an entry by deleting its words one by one.
  await run(`create temp table search_untagged as select rowid as seq_no, body from case_search`);
  await run(`drop table case_search`);
  await run(`create virtual table case_search using fts5(body, tokenize = "unicode61 remove_diacritics 2 tokenchars '_'")`);
  await run(`insert into case_search (rowid, body) select t.seq_no, t.body || ${tagsSql('t.seq_no')} from search_untagged t order by t.seq_no`);
  await run(`drop table search_untagged`);
}
