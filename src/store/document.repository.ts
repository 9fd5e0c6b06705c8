/** Official documents (文书) and staff-entry records (来信/来访/来电). */
import type { CaseEntryTable, DocumentTable } from './schema.js';
import type { Tx, TxContext } from './tx.js';

export type DocumentRow = DocumentTable;
export type DocumentMeta = Omit<DocumentTable, 'content_enc'>;
export type CaseEntryRow = CaseEntryTable;

export const metaColumns = [
  'id',
  'case_id',
  'ordinal',
  'kind',
  'title',
  'doc_no',
  'unit_id',
  'addressee_unit_id',
  'audience',
  'year',
  'serial',
  'issued_date',
  'issued_at',
  'issued_by',
  'trigger_event',
  'filename',
  'size',
  'sha256',
  'petitioner_signs',
  'petitioner_signed_at',
  'petitioner_signed_by',
] as const;

/** How many documents the case has (under the case lock, for the next ordinal). */
export async function countDocuments(db: Tx, caseId: string): Promise<number> {
  const r = await db.selectFrom('document').select((eb) => eb.fn.countAll<number>().as('n')).where('case_id', '=', caseId).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertDocument(t: TxContext, row: DocumentRow): Promise<void> {
  await t.tx.insertInto('document').values(row).execute();
}

/** The documents of a case without their content, oldest first. */
export function listDocuments(db: Tx, caseId: string): Promise<DocumentMeta[]> {
  return db.selectFrom('document').select(metaColumns).where('case_id', '=', caseId).orderBy('ordinal').execute();
}

/** One document of a case, with its (encrypted) content. */
export function findDocument(db: Tx, caseId: string, documentId: string): Promise<DocumentRow | undefined> {
  return db.selectFrom('document').selectAll().where('case_id', '=', caseId).where('id', '=', documentId).executeTakeFirst();
}

/** Records the petitioner's signature, once: false when someone signed first. */
export async function markSigned(t: TxContext, documentId: string, accountId: string | null, at: string): Promise<boolean> {
  const r = await t.tx
    .updateTable('document')
    .set({ petitioner_signed_at: at, petitioner_signed_by: accountId })
    .where('id', '=', documentId)
    .where('petitioner_signed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertCaseEntry(t: TxContext, row: CaseEntryRow): Promise<void> {
  await t.tx.insertInto('case_entry').values(row).execute();
}

export function findCaseEntry(db: Tx, caseId: string): Promise<CaseEntryRow | undefined> {
  return db.selectFrom('case_entry').selectAll().where('case_id', '=', caseId).executeTakeFirst();
}

export function findEntryByIdempotency(db: Tx, registrarId: string, key: string): Promise<CaseEntryRow | undefined> {
  return db.selectFrom('case_entry').selectAll().where('registrar_id', '=', registrarId).where('idempotency_key', '=', key).executeTakeFirst();
}
