/**
 * 004: full-text search over cases with Chinese words. jieba's tokens (see domain/search-text.ts)
 * are stored per case, keyed by case_file.seq_no:
 * - SQLite: an FTS5 table (unicode61 splits the space-joined tokens back into the same words);
 * - PostgreSQL: a tsvector built with array_to_tsvector (the tokens verbatim, lower-cased like the
 *   'simple' configuration, and independent of the database's locale) under a GIN index.
 * Existing cases are indexed here; new ones when they are created (same transaction).
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.js';
import { caseSearchTokens } from '../../domain/search-text.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') {
    await sql`create table case_search (seq_no integer primary key references case_file (seq_no), tsv tsvector not null)`.execute(db);
    await sql`create index case_search_tsv_idx on case_search using gin (tsv)`.execute(db);
  } else {
    await sql`create virtual table case_search using fts5(body, tokenize = 'unicode61 remove_diacritics 2')`.execute(db);
  }
  // The 待签收 queue looks assignments up by unit.
  await sql`create index assignment_unit_status_idx on assignment (unit_id, status)`.execute(db);
  // Every column the queues filter, count and sort on, so counting and paging a queue reads these
  // narrow indexes and never the case rows (whose contents run to thousands of characters): by state
  // for the whole province, by case id for a jurisdiction's set of cases (from case_unit).
  // PostgreSQL leaves out pending_extension: a long reason could pass its index-row size limit.
  const covered = [
    'seq_no',
    'is_denunciation',
    'accused_unit_ids',
    'due_accept',
    'due_assign',
    'due_reply',
    'due_review_decision',
    'region_code',
    'category_code',
    'channel',
    'target',
    'evaluation',
    'petitioner_id',
    ...(dialect === 'postgres' ? [] : ['pending_extension']),
  ];
  await sql`create index case_queue_idx on case_file (${sql.raw(['state', 'submitted_at', 'id', ...covered].join(', '))})`.execute(db);
  await sql`create index case_scope_idx on case_file (${sql.raw(['id', 'state', 'submitted_at', ...covered].join(', '))})`.execute(db);
  if (dialect === 'postgres') {
    // LIKE 'prefix%' on the unit paths uses an index only with the pattern operator class.
    await sql`create index case_unit_path_pattern_idx on case_unit (unit_path text_pattern_ops, case_id)`.execute(db);
  }

  let after = 0;
  for (;;) {
    const batch = await sql<{ seq_no: number; title: string; content: string }>`
      select seq_no, title, content from case_file where seq_no > ${after} order by seq_no limit 500`.execute(db);
    if (batch.rows.length === 0) break;
    for (const r of batch.rows) {
      const tokens = caseSearchTokens(r);
      if (dialect === 'postgres') {
        await sql`insert into case_search (seq_no, tsv) values (${r.seq_no}, array_to_tsvector(${tokens}::text[]))`.execute(db);
      } else {
        await sql`insert into case_search (rowid, body) values (${r.seq_no}, ${tokens.join(' ')})`.execute(db);
      }
    }
    after = Number(batch.rows[batch.rows.length - 1]!.seq_no);
  }
}
