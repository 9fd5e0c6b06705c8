/** Queries of migration 010: typical cases, circulars, assessment schemes and snapshots, training texts, tours. */
import { sql } from 'kysely';
import type { Tx, TxContext } from './tx.js';
import type {
  AssessmentSchemeTable,
  AssessmentSnapshotTable,
  CircularCitationTable,
  CircularTable,
  CircularTargetTable,
  TrainingTextTable,
  TypicalCaseTable,
} from './assessment.schema.js';

export type TypicalCaseRow = TypicalCaseTable;
export type CircularRow = CircularTable;
export type CircularMeta = Omit<CircularTable, 'content_enc'>;
export type SchemeRow = AssessmentSchemeTable;
export type SnapshotRow = AssessmentSnapshotTable;
export type TrainingRow = TrainingTextTable;

/** Appends one entry to the record of changes (work_event). */
export async function recordEvent(
  db: Tx,
  e: { subjectKind: 'typical_case' | 'circular' | 'assessment_scheme' | 'assessment_snapshot' | 'training_text'; subjectId: string; type: string; actorId: string | null; actorUnitId: string | null; at: string; payload: Record<string, unknown> },
): Promise<void> {
  await db
    .insertInto('work_event')
    .values({ subject_kind: e.subjectKind, subject_id: e.subjectId, type: e.type, actor_id: e.actorId, actor_unit_id: e.actorUnitId, at: e.at, payload: JSON.stringify(e.payload) })
    .execute();
}

export function eventsOf(db: Tx, subjectKind: string, subjectId: string) {
  return db.selectFrom('work_event').selectAll().where('subject_kind', '=', subjectKind).where('subject_id', '=', subjectId).orderBy('id').execute();
}

// 典型案例

export async function insertTypical(db: Tx, row: TypicalCaseRow): Promise<void> {
  await db.insertInto('typical_case').values(row).execute();
}

export function findTypical(db: Tx, id: string): Promise<TypicalCaseRow | undefined> {
  return db.selectFrom('typical_case').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Changes a typical case only if it is still in `from` (the state check and the write are one statement). */
export async function updateTypical(db: Tx, id: string, from: string, patch: Partial<TypicalCaseRow>): Promise<boolean> {
  const r = await db.updateTable('typical_case').set(patch).where('id', '=', id).where('status', '=', from).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export function openTypicalOfCase(db: Tx, caseId: string): Promise<TypicalCaseRow | undefined> {
  return db.selectFrom('typical_case').selectAll().where('case_id', '=', caseId).where('status', 'in', ['proposed', 'published']).executeTakeFirst();
}

/** Typical cases by status; `proposedWithin` limits to those about a unit in the subtree (for the approval queue). */
export function listTypical(db: Tx, o: { status: string; withinPath?: string | undefined; publicOnly?: boolean; limit: number; offset: number }) {
  let q = db.selectFrom('typical_case').innerJoin('unit', 'unit.id', 'typical_case.unit_id').where('typical_case.status', '=', o.status);
  if (o.withinPath && o.withinPath !== '/') q = q.where('unit.path', 'like', `${o.withinPath}%`);
  if (o.publicOnly) {
    q = q
      .where('typical_case.public_requested', '=', 1)
      .where((eb) => eb.exists(eb.selectFrom('case_file').select('case_file.id').where('case_file.id', '=', eb.ref('typical_case.case_id')).where('case_file.public_consent', '=', 1).where('case_file.is_denunciation', '=', 0)));
  }
  return {
    count: () => q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow().then((r) => Number(r.n)),
    rows: () =>
      q
        .selectAll('typical_case')
        .orderBy(o.status === 'proposed' ? 'typical_case.proposed_at' : 'typical_case.decided_at', 'desc')
        .orderBy('typical_case.id')
        .limit(o.limit)
        .offset(o.offset)
        .execute(),
  };
}

// 通报

export async function insertCircular(t: TxContext, row: CircularRow, targets: CircularTargetTable[], citations: CircularCitationTable[]): Promise<void> {
  await t.tx.insertInto('circular').values(row).execute();
  for (const x of targets) await t.tx.insertInto('circular_target').values(x).execute();
  for (const c of citations) await t.tx.insertInto('circular_citation').values(c).execute();
}

const circularMetaColumns = ['id', 'kind', 'title', 'body', 'issuer_unit_id', 'issued_by', 'issued_at', 'issued_date', 'doc_no', 'year', 'serial', 'filename', 'size', 'sha256'] as const;

export function findCircular(db: Tx, id: string): Promise<CircularMeta | undefined> {
  return db.selectFrom('circular').select([...circularMetaColumns]).where('id', '=', id).executeTakeFirst();
}

export function circularContent(db: Tx, id: string): Promise<{ content_enc: string } | undefined> {
  return db.selectFrom('circular').select('content_enc').where('id', '=', id).executeTakeFirst();
}

export function targetsOf(db: Tx, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([] as CircularTargetTable[]);
  return db.selectFrom('circular_target').selectAll().where('circular_id', 'in', ids).execute();
}

export function citationsOf(db: Tx, id: string) {
  return db.selectFrom('circular_citation').selectAll().where('circular_id', '=', id).orderBy('ordinal').execute();
}

/**
 * Circulars a staff member may read: issued by a unit in their jurisdiction, or addressed to a
 * unit their own unit lies in (a county bureau reads what is addressed to its county).
 */
export function listCirculars(db: Tx, o: { scopePath: string; ownAncestorPaths: string[]; limit: number; offset: number }) {
  const q = db.selectFrom('circular').where((eb) => {
    const ors = [
      eb.exists(eb.selectFrom('unit').select('unit.id').where('unit.id', '=', eb.ref('circular.issuer_unit_id')).where('unit.path', 'like', `${o.scopePath}%`)),
      eb.exists(eb.selectFrom('circular_target').select('circular_target.unit_id').where('circular_target.circular_id', '=', eb.ref('circular.id')).where('circular_target.unit_path', 'like', `${o.scopePath}%`)),
    ];
    if (o.ownAncestorPaths.length > 0) {
      ors.push(eb.exists(eb.selectFrom('circular_target').select('circular_target.unit_id').where('circular_target.circular_id', '=', eb.ref('circular.id')).where('circular_target.unit_path', 'in', o.ownAncestorPaths)));
    }
    return eb.or(ors);
  });
  return {
    count: () => q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow().then((r) => Number(r.n)),
    rows: () => q.select([...circularMetaColumns]).orderBy('issued_at', 'desc').orderBy('id').limit(o.limit).offset(o.offset).execute(),
  };
}

export async function acknowledge(db: Tx, circularId: string, unitId: string, accountId: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('circular_target')
    .set({ acknowledged_at: at, acknowledged_by: accountId })
    .where('circular_id', '=', circularId)
    .where('unit_id', '=', unitId)
    .where('acknowledged_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// 考核

export function schemesOwnedBy(db: Tx, unitIds: string[]): Promise<SchemeRow[]> {
  if (unitIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('assessment_scheme').selectAll().where('owner_unit_id', 'in', unitIds).execute();
}

/** Inserts or replaces an owner's scheme if its revision is still `expected` (0 = none yet); false on a lost race. */
export async function saveScheme(db: Tx, row: SchemeRow, expected: number): Promise<boolean> {
  if (expected === 0) {
    const r = await db.insertInto('assessment_scheme').values(row).onConflict((oc) => oc.column('owner_unit_id').doNothing()).executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  }
  const r = await db
    .updateTable('assessment_scheme')
    .set({ name: row.name, weights: row.weights, revision: row.revision, updated_by: row.updated_by, updated_at: row.updated_at })
    .where('owner_unit_id', '=', row.owner_unit_id)
    .where('revision', '=', expected)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export function findSnapshot(db: Tx, parentUnitId: string, groupKind: string, period: string): Promise<SnapshotRow | undefined> {
  return db.selectFrom('assessment_snapshot').selectAll().where('parent_unit_id', '=', parentUnitId).where('group_kind', '=', groupKind).where('period', '=', period).executeTakeFirst();
}

export function listSnapshots(db: Tx, parentUnitIds: string[]) {
  if (parentUnitIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('assessment_snapshot')
    .select(['id', 'parent_unit_id', 'group_kind', 'period', 'from_date', 'to_date', 'published_at', 'published_by'])
    .where('parent_unit_id', 'in', parentUnitIds)
    .orderBy('published_at', 'desc')
    .limit(200)
    .execute();
}

/** Stores a snapshot and its case refs; false when one exists already for the same units and period. */
export async function insertSnapshot(t: TxContext, row: SnapshotRow, refs: { unit_id: string; item: string; ref: string }[]): Promise<boolean> {
  const r = await t.tx.insertInto('assessment_snapshot').values(row).onConflict((oc) => oc.columns(['parent_unit_id', 'group_kind', 'period']).doNothing()).executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 0) !== 1) return false;
  for (let i = 0; i < refs.length; i += 500) {
    await t.tx
      .insertInto('assessment_snapshot_case')
      .values(refs.slice(i, i + 500).map((x) => ({ snapshot_id: row.id, ...x })))
      .execute();
  }
  return true;
}

export function snapshotRefs(db: Tx, snapshotId: string, unitId: string) {
  return db.selectFrom('assessment_snapshot_case').select(['item', 'ref']).where('snapshot_id', '=', snapshotId).where('unit_id', '=', unitId).execute();
}

/** Title, number and dates of a set of cases (for the deduction lists; no personal data). */
export function caseHeads(db: Tx, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('case_file')
    .select(['id', 'seq_no', 'received_date', 'title', 'state', 'current_unit_id', 'is_denunciation', 'accused_unit_ids'])
    .where('id', 'in', ids)
    .execute();
}

// 学习园地

export function trainingRows(db: Tx): Promise<TrainingRow[]> {
  return db.selectFrom('training_text').selectAll().execute();
}

export async function saveTraining(db: Tx, row: TrainingRow, expected: number): Promise<boolean> {
  if (expected === 0) {
    const r = await db.insertInto('training_text').values(row).onConflict((oc) => oc.column('id').doNothing()).executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  }
  const r = await db
    .updateTable('training_text')
    .set({ title: row.title, source: row.source, body: row.body, sort: row.sort, revision: row.revision, retired: row.retired, updated_by: row.updated_by, updated_at: row.updated_at })
    .where('id', '=', row.id)
    .where('revision', '=', expected)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function toursDismissed(db: Tx, accountId: string): Promise<string[]> {
  const rows = await db.selectFrom('staff_tour').select('tour').where('account_id', '=', accountId).execute();
  return rows.map((r) => r.tour);
}

export async function dismissTour(db: Tx, accountId: string, tour: string, at: string): Promise<void> {
  await db.insertInto('staff_tour').values({ account_id: accountId, tour, dismissed_at: at }).onConflict((oc) => oc.columns(['account_id', 'tour']).doNothing()).execute();
}
