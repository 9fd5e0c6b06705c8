/**
 * Chinese words for full-text search. jieba splits 信访人 and 拖欠工资 the way people read them
 * (Intl.Segmenter and FTS5 trigram do not: trigram cannot find the 2-character word 工资).
 * Documents are indexed in search mode (a long word and its dictionary sub-words: 农民工 → 农民,
 * 民工, 农民工); queries are cut into the coarsest words, each of which the index then holds.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

let jieba: Jieba | undefined;
function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

const separators = /[^\p{L}\p{N}]+/u;

/** Lower-cased words without punctuation; 'XF2026-000123' becomes 'xf2026', '000123' on both databases alike. */
function clean(tokens: string[]): string[] {
  const out: string[] = [];
  for (const raw of tokens) {
    for (const t of raw.toLowerCase().split(separators)) if (t) out.push(t);
  }
  return out;
}

/** The words of documents, in search mode, for the index (duplicates kept out). */
export function indexTokens(...texts: (string | null | undefined)[]): string[] {
  const seen = new Set<string>();
  for (const text of texts) {
    if (!text) continue;
    for (const t of clean(segmenter().cutForSearch(text, true))) seen.add(t);
  }
  return [...seen];
}

export interface QueryTerm {
  readonly word: string;
  /** A lone character matches every indexed word that starts with it (楼 → 楼道). */
  readonly prefix: boolean;
}

/**
 * A query as groups that must all match; a group matches when one of its alternatives does, and an
 * alternative when all its terms do. 拖欠工资 → (拖欠工资) or (拖欠 and 工资), so a text that says
 * 拖欠了工资 is found too.
 */
export type SearchQuery = readonly (readonly (readonly QueryTerm[])[])[];

function parseUncached(q: string): SearchQuery {
  const seen = new Set<string>();
  const groups: QueryTerm[][][] = [];
  const term = (w: string): QueryTerm => Object.freeze({ word: w, prefix: [...w].length === 1 });
  for (const w of clean(segmenter().cut(q, true))) {
    if (seen.has(w)) continue;
    seen.add(w);
    const alternatives: QueryTerm[][] = [[term(w)]];
    const parts = clean(segmenter().cutForSearch(w, true)).filter((x) => x !== w);
    if ([...w].length > 2 && parts.length > 1) alternatives.push(parts.map(term));
    groups.push(alternatives);
    if (groups.length >= 10) break;
  }
  return Object.freeze(groups.map((alts) => Object.freeze(alts.map((terms) => Object.freeze(terms)))));
}

/** The last queries parsed, most recent last: a search reads its query up to three times per request (count, page) and staff page through one. */
const parsedQueries = new Map<string, SearchQuery>();
export const parsedQueriesKept = 500;

/**
 * The query's words (only its first 100 characters are read). jieba costs some 0.2 ms a query, so
 * the last queries are kept, frozen: the same text always parses the same way.
 */
export function parseQuery(q: string): SearchQuery {
  const text = q.slice(0, 100);
  const kept = parsedQueries.get(text);
  if (kept) {
    parsedQueries.delete(text);
    parsedQueries.set(text, kept);
    return kept;
  }
  const parsed = parseUncached(text);
  if (parsedQueries.size >= parsedQueriesKept) parsedQueries.delete(parsedQueries.keys().next().value as string);
  parsedQueries.set(text, parsed);
  return parsed;
}

/** The words a case is found by: its title and content (case numbers are matched on seq_no instead). */
export function caseSearchTokens(c: { title: string; content: string }): string[] {
  return indexTokens(c.title, c.content);
}
