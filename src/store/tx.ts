/** Transactions: one per use case. On PostgreSQL the case row is locked FOR UPDATE; on SQLite
 * a no-op write takes the database's single write lock up front so two writers never deadlock. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';
import type { CaseRow } from './case.repository.js';
import type { Dialect, Store } from './db.js';

export type Tx = Kysely<Database> | Transaction<Database>;

export interface TxContext {
  tx: Transaction<Database>;
  dialect: Dialect;
}

/** Runs `fn` in one transaction. */
export function inTransaction<T>(store: Store, fn: (t: TxContext) => Promise<T>): Promise<T> {
  return store.db.transaction().execute((tx) => fn({ tx, dialect: store.dialect }));
}

/** Locks a case row for the rest of the transaction; false when it does not exist. */
export async function lockCaseRow(t: TxContext, caseId: string): Promise<boolean> {
  if (t.dialect === 'postgres') {
    const r = await sql<{ id: string }>`select id from case_file where id = ${caseId} for update`.execute(t.tx);
    return r.rows.length > 0;
  }
  const r = await t.tx.updateTable('case_file').set({ event_count: sql`event_count` }).where('id', '=', caseId).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Locks several case rows for the rest of the transaction, in id order (two transactions locking
 * overlapping sets wait for each other instead of deadlocking), and reads them under the lock: the
 * rows that exist, in id order.
 */
export async function lockCaseRows(t: TxContext, caseIds: string[]): Promise<CaseRow[]> {
  if (caseIds.length === 0) return [];
  const ids = [...new Set(caseIds)].sort();
  const read = t.tx.selectFrom('case_file').selectAll().where('id', 'in', ids).orderBy('id');
  if (t.dialect === 'postgres') return read.forUpdate().execute();
  // SQLite: the no-op write takes the database's single write lock; then the rows.
  await t.tx.updateTable('case_file').set({ event_count: sql`event_count` }).where('id', 'in', ids).execute();
  return read.execute();
}
