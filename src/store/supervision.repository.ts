/** 督办件 and 督导检查 rows: supervision (+ its cases), inspection, inspection_case, inspection_correction. */
import type { Selectable } from 'kysely';
import type { Tx, TxContext } from './tx.js';
import type { SupervisionTable } from './integrity.schema.js';
import type { InspectionCaseTable, InspectionCorrectionTable, InspectionTable } from './supervision.schema.js';
import { caseInSubtree } from './workbench.repository.js';
import type { CaseRow } from './case.repository.js';

export type SupervisionRow = Selectable<SupervisionTable>;
export type InspectionRow = Selectable<InspectionTable>;
export type InspectionCaseRow = Selectable<InspectionCaseTable>;
export type CorrectionRow = Selectable<InspectionCorrectionTable>;

/** The fields a new, open 督办件 starts without: no answer, not closed, not escalated. */
const unanswered = { status: 'open', answer: null, answered_by: null, answered_at: null, closed_by: null, closed_at: null, close_note: null, escalated_to: null, return_count: 0 } as const;
export type NewSupervision = Omit<SupervisionRow, keyof typeof unanswered>;

/** Opens a 督办件 over `caseIds` (the first is `row.case_id`). */
export async function insertSupervision(t: TxContext, row: NewSupervision, caseIds: string[]): Promise<void> {
  await t.tx.insertInto('supervision').values({ ...row, ...unanswered }).execute();
  for (const caseId of [...new Set(caseIds)]) await t.tx.insertInto('supervision_case').values({ supervision_id: row.id, case_id: caseId }).execute();
}

export function findSupervision(db: Tx, id: string): Promise<SupervisionRow | undefined> {
  return db.selectFrom('supervision').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateSupervision(t: TxContext, id: string, patch: Partial<SupervisionRow>): Promise<void> {
  await t.tx.updateTable('supervision').set(patch).where('id', '=', id).execute();
}

/** The cases of several supervisions: supervision id → case ids. */
export async function supervisionCases(db: Tx, ids: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (ids.length === 0) return out;
  const rows = await db.selectFrom('supervision_case').select(['supervision_id', 'case_id']).where('supervision_id', 'in', ids).execute();
  for (const r of rows) out.set(r.supervision_id, [...(out.get(r.supervision_id) ?? []), r.case_id]);
  return out;
}

/** The open 督办件 whose deadline is before `day` (unanswered: a sent-back one is open again), oldest deadline first. */
export function overdueSupervisions(db: Tx, day: string, limit: number, after?: { due: string; id: string }): Promise<SupervisionRow[]> {
  let q = db.selectFrom('supervision').selectAll().where('status', '=', 'open').where('due_date', '<', day);
  if (after) q = q.where((eb) => eb.or([eb('due_date', '>', after.due), eb.and([eb('due_date', '=', after.due), eb('id', '>', after.id)])]));
  return q.orderBy('due_date').orderBy('id').limit(limit).execute();
}

/** Records one reminder round; false when a sweep already recorded it (the primary key decides). */
export async function recordReminder(t: TxContext, row: { supervision_id: string; due_date: string; round: number; unit_id: string; at: string }): Promise<boolean> {
  const r = await t.tx.insertInto('supervision_reminder').values(row).onConflict((oc) => oc.columns(['supervision_id', 'due_date', 'round']).doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** The reminder rounds already recorded for one deadline of a 督办件. */
export async function remindedRounds(db: Tx, supervisionId: string, dueDate: string): Promise<Set<number>> {
  const rows = await db.selectFrom('supervision_reminder').select('round').where('supervision_id', '=', supervisionId).where('due_date', '=', dueDate).execute();
  return new Set(rows.map((r) => Number(r.round)));
}

/** Reminders of several 督办件 for their current deadline: id → { count, last }. */
export async function reminderSummary(db: Tx, rows: Pick<SupervisionRow, 'id' | 'due_date'>[]): Promise<Map<string, { count: number; last: string }>> {
  const out = new Map<string, { count: number; last: string }>();
  const ids = rows.filter((r) => r.due_date !== null).map((r) => r.id);
  if (ids.length === 0) return out;
  const due = new Map(rows.map((r) => [r.id, r.due_date]));
  for (let i = 0; i < ids.length; i += 500) {
    const found = await db.selectFrom('supervision_reminder').select(['supervision_id', 'due_date', 'at']).where('supervision_id', 'in', ids.slice(i, i + 500)).execute();
    for (const r of found) {
      if (due.get(r.supervision_id) !== r.due_date) continue;
      const o = out.get(r.supervision_id);
      out.set(r.supervision_id, { count: (o?.count ?? 0) + 1, last: o && o.last > r.at ? o.last : r.at });
    }
  }
  return out;
}

/** The events of a case that belong to one 督办件 (its own, or the escalation that opened it), oldest first. */
export async function supervisionEvents(db: Tx, caseId: string, supervisionId: string) {
  const rows = await db
    .selectFrom('case_event')
    .select(['seq', 'type', 'at', 'actor_kind', 'actor_unit_id', 'payload'])
    .where('case_id', '=', caseId)
    .where((eb) => eb.or([eb('type', 'like', 'supervision%'), eb('type', '=', 'supervised')]))
    .orderBy('seq')
    .execute();
  return rows
    .map((r) => ({ ...r, data: JSON.parse(r.payload) as Record<string, unknown> }))
    .filter((r) => r.data.supervisionId === supervisionId || r.data.newSupervisionId === supervisionId);
}

export interface SupervisionFilter {
  /** Supervisions opened by a unit in this subtree (null: none of these). */
  openedUnder: string | null;
  /** Supervisions addressed to one of these units (the viewer's unit and the units above it). */
  addressedTo: string[];
  statuses?: string[] | undefined;
  /** Open and past this date. */
  overdueBefore?: string | undefined;
  caseId?: string | undefined;
  limit: number;
}

/** Supervisions the viewer may see by unit, newest first (the denunciation rule is applied by the service). */
export async function listSupervisions(db: Tx, f: SupervisionFilter): Promise<SupervisionRow[]> {
  const openedUnder = f.openedUnder;
  // Neither side's to see: nothing (a bound `false` is no SQLite value, so no query either).
  if (openedUnder === null && f.addressedTo.length === 0) return [];
  let q = db.selectFrom('supervision').innerJoin('unit as su', 'su.id', 'supervision.unit_id').selectAll('supervision');
  q = q.where((eb) => {
    const ors = [];
    if (openedUnder !== null) ors.push(eb('su.path', 'like', `${openedUnder}%`));
    if (f.addressedTo.length) ors.push(eb('supervision.target_unit_id', 'in', f.addressedTo));
    return eb.or(ors);
  });
  if (f.statuses?.length) q = q.where('supervision.status', 'in', f.statuses);
  if (f.overdueBefore) q = q.where('supervision.status', '=', 'open').where('supervision.due_date', '<', f.overdueBefore);
  if (f.caseId) {
    const caseId = f.caseId;
    q = q.where('supervision.id', 'in', (eb) => eb.selectFrom('supervision_case').select('supervision_id').where('case_id', '=', caseId));
  }
  return q.orderBy('supervision.created_at', 'desc').orderBy('supervision.id').limit(f.limit).execute();
}

// ---- inspections ----

export async function insertInspection(t: TxContext, row: InspectionRow): Promise<void> {
  await t.tx.insertInto('inspection').values(row).execute();
}

export function findInspection(db: Tx, id: string): Promise<InspectionRow | undefined> {
  return db.selectFrom('inspection').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateInspection(t: TxContext, id: string, patch: Partial<InspectionRow>): Promise<void> {
  await t.tx.updateTable('inspection').set(patch).where('id', '=', id).execute();
}

export interface InspectionFilter {
  /** Inspections made by a unit in this subtree (null: none of these). */
  byUnder: string | null;
  /** Inspections of one of these units (the viewer's unit and the units above it). */
  ofUnits: string[];
  unitId?: string | undefined;
  statuses?: string[] | undefined;
  limit: number;
}

export async function listInspections(db: Tx, f: InspectionFilter): Promise<InspectionRow[]> {
  const byUnder = f.byUnder;
  if (byUnder === null && f.ofUnits.length === 0) return [];
  let q = db.selectFrom('inspection').innerJoin('unit as bu', 'bu.id', 'inspection.by_unit_id').selectAll('inspection');
  q = q.where((eb) => {
    const ors = [];
    if (byUnder !== null) ors.push(eb('bu.path', 'like', `${byUnder}%`));
    if (f.ofUnits.length) ors.push(eb('inspection.unit_id', 'in', f.ofUnits));
    return eb.or(ors);
  });
  if (f.unitId) q = q.where('inspection.unit_id', '=', f.unitId);
  if (f.statuses?.length) q = q.where('inspection.status', 'in', f.statuses);
  return q.orderBy('inspection.inspected_on', 'desc').orderBy('inspection.created_at', 'desc').limit(f.limit).execute();
}

export function inspectionCases(db: Tx, inspectionId: string): Promise<InspectionCaseRow[]> {
  return db.selectFrom('inspection_case').selectAll().where('inspection_id', '=', inspectionId).execute();
}

export async function insertInspectionCase(t: TxContext, row: InspectionCaseRow): Promise<void> {
  await t.tx.insertInto('inspection_case').values(row).execute();
}

export async function updateInspectionCase(t: TxContext, inspectionId: string, caseId: string, patch: Partial<InspectionCaseRow>): Promise<void> {
  await t.tx.updateTable('inspection_case').set(patch).where('inspection_id', '=', inspectionId).where('case_id', '=', caseId).execute();
}

export function corrections(db: Tx, inspectionId: string): Promise<CorrectionRow[]> {
  return db.selectFrom('inspection_correction').selectAll().where('inspection_id', '=', inspectionId).orderBy('created_at').orderBy('id').execute();
}

export function findCorrection(db: Tx, inspectionId: string, id: string): Promise<CorrectionRow | undefined> {
  return db.selectFrom('inspection_correction').selectAll().where('inspection_id', '=', inspectionId).where('id', '=', id).executeTakeFirst();
}

export async function insertCorrection(t: TxContext, row: CorrectionRow): Promise<void> {
  await t.tx.insertInto('inspection_correction').values(row).execute();
}

export async function updateCorrection(t: TxContext, id: string, patch: Partial<CorrectionRow>): Promise<void> {
  await t.tx.updateTable('inspection_correction').set(patch).where('id', '=', id).execute();
}

/** Counts per inspection for a list: cases, problem verdicts, open corrections, overdue corrections. */
export async function inspectionCounts(db: Tx, ids: string[], today: string) {
  const out = new Map<string, { cases: number; problems: number; openCorrections: number; overdueCorrections: number }>();
  if (ids.length === 0) return out;
  const cs = await db.selectFrom('inspection_case').select(['inspection_id', 'verdict']).where('inspection_id', 'in', ids).execute();
  const cr = await db.selectFrom('inspection_correction').select(['inspection_id', 'status', 'due_date']).where('inspection_id', 'in', ids).execute();
  for (const id of ids) out.set(id, { cases: 0, problems: 0, openCorrections: 0, overdueCorrections: 0 });
  for (const c of cs) {
    const o = out.get(c.inspection_id)!;
    o.cases++;
    if (c.verdict === 'problem') o.problems++;
  }
  for (const c of cr) {
    const o = out.get(c.inspection_id)!;
    if (c.status !== 'accepted') o.openCorrections++;
    if ((c.status === 'open' || c.status === 'reopened') && c.due_date < today) o.overdueCorrections++;
  }
  return out;
}

export type SampleCaseRow = Pick<
  CaseRow,
  'id' | 'seq_no' | 'received_date' | 'title' | 'state' | 'evaluation' | 'due_accept' | 'due_assign' | 'due_reply' | 'due_review_decision' | 'replied_at' | 'is_denunciation' | 'accused_unit_ids' | 'current_unit_id' | 'submitted_at'
>;

/** The cases a unit's subtree has handled (received or assigned), newest first, up to `limit`; optionally only `ids`. */
export async function subtreeCases(db: Tx, path: string, limit: number, ids?: string[]): Promise<SampleCaseRow[]> {
  let q = db
    .selectFrom('case_file')
    .select(['id', 'seq_no', 'received_date', 'title', 'state', 'evaluation', 'due_accept', 'due_assign', 'due_reply', 'due_review_decision', 'replied_at', 'is_denunciation', 'accused_unit_ids', 'current_unit_id', 'submitted_at'])
    .where(caseInSubtree(db, path))
    .where('merged_into', 'is', null);
  if (ids) {
    if (ids.length === 0) return [];
    q = q.where('id', 'in', ids);
  }
  return q.orderBy('submitted_at', 'desc').limit(limit).execute();
}

/** Which of `caseIds` carry each sample signal: returned by a unit, auto-督办 for a missed clock, disputed signature. */
export async function sampleSignals(db: Tx, caseIds: string[]): Promise<{ returned: Set<string>; missedClock: Set<string>; disputed: Set<string> }> {
  const returned = new Set<string>();
  const missedClock = new Set<string>();
  const disputed = new Set<string>();
  for (let i = 0; i < caseIds.length; i += 500) {
    const chunk = caseIds.slice(i, i + 500);
    for (const r of await db.selectFrom('assignment').select('case_id').where('case_id', 'in', chunk).where('status', '=', 'returned').execute()) returned.add(r.case_id);
    for (const r of await db.selectFrom('deadline_alert').select('case_id').where('case_id', 'in', chunk).where('kind', '=', 'supervised').execute()) missedClock.add(r.case_id);
    for (const r of await db.selectFrom('supervision_case').innerJoin('supervision', 'supervision.id', 'supervision_case.supervision_id').select('supervision_case.case_id').where('supervision_case.case_id', 'in', chunk).where('supervision.source', '=', 'signature_dispute').execute()) {
      disputed.add(r.case_id);
    }
  }
  return { returned, missedClock, disputed };
}
