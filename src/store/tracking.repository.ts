/** The public tracking projection (case_tracking, migration 011) and the batched reads that build it. */
import { sql } from 'kysely';
import type { CaseTrackingTable } from './tracking.schema.js';
import type { Tx } from './tx.js';
import type { Store } from './db.js';
import type { Database as SqliteHandle, Statement as SqliteStatement } from 'better-sqlite3';
import type { AttachmentRow, CaseRow, EventRow } from './case.repository.js';
import { metaColumns, type DocumentMeta } from './document.repository.js';

export type TrackingRow = CaseTrackingTable;

/** The projection row for a query code's lookup hash: one read through the unique index. */
export function findTracking(db: Tx, queryCodeHash: string): Promise<Pick<TrackingRow, 'view' | 'clocks' | 'format'> | undefined> {
  return db.selectFrom('case_tracking').select(['view', 'clocks', 'format']).where('query_code_hash', '=', queryCodeHash).executeTakeFirst();
}

const publicTrackingSql = 'select view, clocks, format from case_tracking where query_code_hash = ?';
const readerStatements = new WeakMap<SqliteHandle, SqliteStatement>();

/**
 * findTracking for the public lookup (GET /api/track/:queryCode): the last committed projection. On
 * SQLite it is read on the store's read-only connection (see Store.reader), not through the serving
 * connection's lock nor inside a transaction it may have open; elsewhere through the pool as usual.
 */
export async function findPublicTracking(store: Store, queryCodeHash: string): Promise<Pick<TrackingRow, 'view' | 'clocks' | 'format'> | undefined> {
  const reader = store.reader;
  if (!reader) return findTracking(store.db, queryCodeHash);
  let stmt = readerStatements.get(reader);
  if (!stmt) readerStatements.set(reader, (stmt = reader.prepare(publicTrackingSql)));
  return stmt.get(queryCodeHash) as Pick<TrackingRow, 'view' | 'clocks' | 'format'> | undefined;
}

/** The projection row of a case (tests, checks). */
export function findTrackingOfCase(db: Tx, caseId: string): Promise<TrackingRow | undefined> {
  return db.selectFrom('case_tracking').selectAll().where('case_id', '=', caseId).executeTakeFirst();
}

/** Writes (or replaces) the projection rows of cases in one statement, inside the caller's transaction. */
export async function upsertTrackings(db: Tx, rows: TrackingRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('case_tracking')
    .values(rows)
    .onConflict((oc) =>
      oc.column('case_id').doUpdateSet((eb) => ({
        view: eb.ref('excluded.view'),
        clocks: eb.ref('excluded.clocks'),
        format: eb.ref('excluded.format'),
        query_code_hash: eb.ref('excluded.query_code_hash'),
      })),
    )
    .execute();
}

/** Up to `limit` cases after `afterSeq` (by seq_no) whose projection is missing or of another format. */
export function casesNeedingTracking(db: Tx, format: number, afterSeq: number, limit: number): Promise<{ id: string; seq_no: number }[]> {
  return db
    .selectFrom('case_file')
    .leftJoin('case_tracking', 'case_tracking.case_id', 'case_file.id')
    .select(['case_file.id', 'case_file.seq_no'])
    .where('case_file.seq_no', '>', afterSeq)
    .where((eb) => eb.or([eb('case_tracking.case_id', 'is', null), eb('case_tracking.format', '<>', format)]))
    .orderBy('case_file.seq_no')
    .limit(limit)
    .execute();
}

/**
 * Locks the cases (a no-op write: the write lock on SQLite, the row locks on PostgreSQL, as
 * store/tx.ts lockCaseRow does for one) and reads them, so no change can slip in between.
 */
export async function lockAndReadCases(tx: Tx, ids: string[]): Promise<CaseRow[]> {
  if (ids.length === 0) return [];
  await tx.updateTable('case_file').set({ event_count: sql`event_count` }).where('id', 'in', ids).execute();
  return tx.selectFrom('case_file').selectAll().where('id', 'in', ids).execute();
}

function byCase<T extends { case_id: string }>(rows: T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const list = m.get(r.case_id);
    if (list) list.push(r);
    else m.set(r.case_id, [r]);
  }
  return m;
}

/** Events, attachments and documents (without content) of several cases, in each case's own order. */
export async function recordsOfCases(
  db: Tx,
  caseIds: string[],
): Promise<{ events: Map<string, EventRow[]>; attachments: Map<string, AttachmentRow[]>; documents: Map<string, DocumentMeta[]> }> {
  if (caseIds.length === 0) return { events: new Map(), attachments: new Map(), documents: new Map() };
  const events = await db.selectFrom('case_event').selectAll().where('case_id', 'in', caseIds).orderBy('case_id').orderBy('seq').execute();
  const attachments = await db.selectFrom('attachment').selectAll().where('case_id', 'in', caseIds).orderBy('case_id').orderBy('created_at').execute();
  const documents = await db.selectFrom('document').select(metaColumns).where('case_id', 'in', caseIds).orderBy('case_id').orderBy('ordinal').execute();
  return { events: byCase(events), attachments: byCase(attachments), documents: byCase(documents) };
}
