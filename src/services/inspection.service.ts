/**
 * 督导检查: a supervising bureau inspects how a unit handles cases — a sample of the unit's cases
 * (weighted towards overdue, dissatisfied, returned and disputed-signature cases), a finding per
 * case, corrections with due dates, the unit's report on each, and the inspector's acceptance.
 * The inspected unit sees exactly this record: what it is judged on.
 */
import crypto from 'node:crypto';
import type { AppContext } from './context.js';
import { badInput, conflict, forbidden, notFound } from './errors.js';
import { mutateCase, type Actor } from './case-mutation.js';
import type { StaffPrincipal } from './auth.service.js';
import { caseNumber } from './case.service.js';
import { hiddenByDenunciation } from './office.service.js';
import { today } from './deadlines.js';
import { answerPermissions, checkDueDate, denunciationTouches } from './supervision-case.service.js';
import type { Unit } from './units.js';
import { drawSample, sampleReasonLabels, sampleWeight, type SampleReason } from '../domain/inspection-sample.js';
import { stateLabel, type CaseState } from '../domain/case-state.js';
import { addDays, compareDates, localDateOf } from '../domain/calendar.js';
import { findCase, type CaseRow } from '../store/case.repository.js';
import { inTransaction, type TxContext } from '../store/tx.js';
import { enqueue } from '../store/outbox.repository.js';
import * as repo from '../store/supervision.repository.js';
import type { CorrectionRow, InspectionRow, SampleCaseRow } from '../store/supervision.repository.js';

export const inspectionStatusLabels: Record<string, string> = { open: '检查中', concluded: '整改中', closed: '已完成' };
export const correctionStatusLabels: Record<string, string> = { open: '待整改', reported: '待验收', accepted: '已验收', reopened: '重新整改' };
export const verdictLabels: Record<string, string> = { ok: '规范', problem: '存在问题' };

/** Cases considered for a sample: the most recent this many of the unit's subtree. */
const populationLimit = 5000;

type Side = 'inspector' | 'unit';

function staffActor(p: StaffPrincipal): Actor {
  return { kind: 'staff', id: p.account.id, unitId: p.unit.id };
}

function requireInspector(p: StaffPrincipal): void {
  if (!p.permissions.has('inspection.manage')) throw forbidden('需要督导检查权限');
}

/** A unit the inspector may inspect: in their jurisdiction, neither their own unit nor one above it. */
function inspectableUnit(ctx: AppContext, p: StaffPrincipal, unitId: string): Unit {
  const u = ctx.units.get(unitId);
  if (!u) throw badInput('被检查单位不存在', { unitId: '被检查单位不存在' });
  if (!u.path.startsWith(p.scope.path)) throw forbidden('只能检查本辖区内的单位');
  if (p.unit.path.startsWith(u.path)) throw forbidden('不能检查本单位或本单位的上级');
  return u;
}

function staffDue(r: SampleCaseRow): string | null {
  switch (r.state) {
    case 'submitted':
      return r.due_accept;
    case 'accepted':
    case 'returned':
      return r.due_assign;
    case 'assigned':
    case 'in_progress':
      return r.due_reply;
    case 'under_review':
      return r.due_review_decision;
    default:
      return null;
  }
}

/** The unit's cases with the reasons that weight each in a sample; denunciations touching the unit never appear. */
async function candidates(ctx: AppContext, unit: Unit, ids?: string[]) {
  const rows = (await repo.subtreeCases(ctx.store.db, unit.path, populationLimit, ids)).filter((r) => !denunciationTouches(r, unit.path));
  const sig = await repo.sampleSignals(ctx.store.db, rows.map((r) => r.id));
  const d = today(ctx);
  return rows.map((r) => {
    const reasons: SampleReason[] = [];
    const due = staffDue(r);
    const repliedLate = r.replied_at !== null && r.due_reply !== null && compareDates(localDateOf(r.replied_at), r.due_reply) > 0;
    if (sig.missedClock.has(r.id) || repliedLate || (due !== null && compareDates(due, d) < 0)) reasons.push('overdue');
    if (r.evaluation === 'dissatisfied') reasons.push('dissatisfied');
    if (sig.returned.has(r.id)) reasons.push('returned');
    if (sig.disputed.has(r.id)) reasons.push('disputed');
    return { id: r.id, reasons, row: r };
  });
}

function caseLine(ctx: AppContext, r: SampleCaseRow) {
  return { caseId: r.id, caseNo: caseNumber(r), title: r.title, state: r.state, stateLabel: stateLabel(r.state as CaseState), currentUnitName: ctx.units.displayName(r.current_unit_id), submittedAt: r.submitted_at };
}

function reasonView(reasons: SampleReason[]) {
  return { reasons, reasonLabels: reasons.map((x) => sampleReasonLabels[x]), weight: sampleWeight(reasons) };
}

/** Proposes a random sample of the unit's cases weighted to the problem signals, with the reason for each. */
export async function proposeSample(ctx: AppContext, p: StaffPrincipal, q: { unitId: string; size: number; seed?: string | undefined }) {
  requireInspector(p);
  const unit = inspectableUnit(ctx, p, q.unitId);
  const seed = q.seed ?? crypto.randomBytes(6).toString('hex');
  const pool = await candidates(ctx, unit);
  const drawn = drawSample(pool, q.size, seed);
  return {
    unitId: unit.id,
    unitName: unit.name,
    seed,
    population: pool.length,
    flagged: pool.filter((c) => c.reasons.length > 0).length,
    items: drawn.map((c) => ({ ...caseLine(ctx, c.row), ...reasonView(c.reasons) })),
  };
}

/** Starts an inspection record with its sampled cases. */
export async function createInspection(ctx: AppContext, p: StaffPrincipal, input: { unitId: string; inspectedOn: string; inspectors: string; caseIds: string[] }) {
  requireInspector(p);
  const unit = inspectableUnit(ctx, p, input.unitId);
  const d = today(ctx);
  if (compareDates(input.inspectedOn, addDays(d, 90)) > 0 || compareDates(input.inspectedOn, addDays(d, -366)) < 0) {
    throw badInput('检查日期应在一年内', { inspectedOn: '检查日期应在过去一年至未来 90 天内' });
  }
  const ids = [...new Set(input.caseIds)];
  const found = await candidates(ctx, unit, ids);
  const missing = ids.filter((id) => !found.some((c) => c.id === id));
  if (missing.length) throw badInput('所选信访件不属于被检查单位', { caseIds: `以下信访件不属于被检查单位：${missing.join('、')}` });
  const id = crypto.randomUUID();
  const now = ctx.clock.now().toISOString();
  await inTransaction(ctx.store, async (t) => {
    await repo.insertInspection(t, {
      id,
      unit_id: unit.id,
      by_unit_id: p.unit.id,
      inspected_on: input.inspectedOn,
      inspectors: input.inspectors,
      status: 'open',
      summary: null,
      created_by: p.account.id,
      created_at: now,
      concluded_at: null,
      closed_at: null,
    });
    for (const c of found) await repo.insertInspectionCase(t, { inspection_id: id, case_id: c.id, reason: JSON.stringify(c.reasons), finding: null, verdict: null, recorded_by: null, recorded_at: null });
  });
  return inspectionDetail(ctx, p, id);
}

function sideOf(ctx: AppContext, p: StaffPrincipal, i: InspectionRow): Side | null {
  const by = ctx.units.get(i.by_unit_id);
  if (by && p.permissions.has('inspection.manage') && by.path.startsWith(p.scope.path)) return 'inspector';
  // The inspected unit's own staff (or the bureau acting for the inspected government) — not its neighbours.
  if ((i.unit_id === p.unit.id || i.unit_id === p.scope.id) && answerPermissions.some((x) => p.permissions.has(x))) return 'unit';
  return null;
}

async function loadFor(ctx: AppContext, p: StaffPrincipal, id: string) {
  const i = await repo.findInspection(ctx.store.db, id);
  const side = i ? sideOf(ctx, p, i) : null;
  if (!i || !side) throw notFound('督导检查记录不存在，或您无权查看');
  return { i, side };
}

function mayAct(p: StaffPrincipal, i: InspectionRow): boolean {
  return i.by_unit_id === p.unit.id && p.permissions.has('inspection.manage');
}

function correctionOverdue(ctx: AppContext, c: CorrectionRow): boolean {
  return (c.status === 'open' || c.status === 'reopened') && compareDates(c.due_date, today(ctx)) < 0;
}

function correctionView(ctx: AppContext, p: StaffPrincipal, i: InspectionRow, side: Side, c: CorrectionRow, caseNo: string | null) {
  const allowedActions: string[] = [];
  if (side === 'unit' && i.status === 'concluded' && (c.status === 'open' || c.status === 'reopened')) allowedActions.push('report');
  if (side === 'inspector' && mayAct(p, i) && c.status === 'reported') allowedActions.push('accept', 'reopen');
  return {
    id: c.id,
    caseId: c.case_id,
    caseNo,
    requirement: c.requirement,
    dueDate: c.due_date,
    status: c.status,
    statusLabel: correctionStatusLabels[c.status] ?? c.status,
    overdue: correctionOverdue(ctx, c),
    report: c.report,
    reportedAt: c.reported_at,
    decisionNote: c.decision_note,
    decidedAt: c.decided_at,
    createdAt: c.created_at,
    allowedActions,
  };
}

/** One inspection as the viewer may see it: cases with findings, corrections with their follow-up. */
export async function inspectionDetail(ctx: AppContext, p: StaffPrincipal, id: string) {
  const { i, side } = await loadFor(ctx, p, id);
  const caseRows = await repo.inspectionCases(ctx.store.db, id);
  const rows = new Map<string, CaseRow>();
  for (const c of caseRows) {
    const r = await findCase(ctx.store.db, c.case_id);
    if (r && !hiddenByDenunciation(ctx, p, r)) rows.set(r.id, r);
  }
  const cs = caseRows.filter((c) => rows.has(c.case_id));
  const corr = (await repo.corrections(ctx.store.db, id)).filter((c) => c.case_id === null || rows.has(c.case_id));
  const acting = side === 'inspector' && mayAct(p, i);
  const allowedActions: string[] = [];
  if (acting && i.status === 'open') allowedActions.push('add-cases', 'finding', 'conclude');
  if (acting && i.status !== 'closed') allowedActions.push('add-correction');
  return {
    id: i.id,
    unitId: i.unit_id,
    unitName: ctx.units.displayName(i.unit_id),
    byUnitId: i.by_unit_id,
    byUnitName: ctx.units.displayName(i.by_unit_id),
    inspectedOn: i.inspected_on,
    inspectors: i.inspectors,
    status: i.status,
    statusLabel: inspectionStatusLabels[i.status] ?? i.status,
    summary: i.summary,
    createdAt: i.created_at,
    concludedAt: i.concluded_at,
    closedAt: i.closed_at,
    side,
    cases: cs.map((c) => ({
      ...caseLine(ctx, rows.get(c.case_id)!),
      ...reasonView(JSON.parse(c.reason) as SampleReason[]),
      verdict: c.verdict,
      verdictLabel: c.verdict ? (verdictLabels[c.verdict] ?? c.verdict) : null,
      finding: c.finding,
      recordedAt: c.recorded_at,
    })),
    corrections: corr.map((c) => correctionView(ctx, p, i, side, c, c.case_id ? caseNumber(rows.get(c.case_id)!) : null)),
    allowedActions,
  };
}

/** Inspections the viewer made (their bureau or below) and those of their own unit. */
export async function listInspections(ctx: AppContext, p: StaffPrincipal, q: { status?: string | undefined; unitId?: string | undefined; limit: number }) {
  const inspector = p.permissions.has('inspection.manage');
  const answerer = answerPermissions.some((x) => p.permissions.has(x));
  if (!inspector && !answerer) throw forbidden('需要督导检查权限或办理权限');
  const rows = await repo.listInspections(ctx.store.db, {
    byUnder: inspector ? p.scope.path : null,
    ofUnits: answerer ? [p.unit.id, p.scope.id] : [],
    unitId: q.unitId,
    statuses: q.status ? q.status.split(',') : undefined,
    limit: q.limit,
  });
  const visible = rows.filter((r) => sideOf(ctx, p, r) !== null);
  const counts = await repo.inspectionCounts(ctx.store.db, visible.map((r) => r.id), today(ctx));
  return {
    items: visible.map((r) => ({
      id: r.id,
      unitId: r.unit_id,
      unitName: ctx.units.displayName(r.unit_id),
      byUnitId: r.by_unit_id,
      byUnitName: ctx.units.displayName(r.by_unit_id),
      inspectedOn: r.inspected_on,
      inspectors: r.inspectors,
      status: r.status,
      statusLabel: inspectionStatusLabels[r.status] ?? r.status,
      side: sideOf(ctx, p, r)!,
      ...counts.get(r.id)!,
    })),
  };
}

async function actable(ctx: AppContext, p: StaffPrincipal, id: string, statuses: string[], what: string) {
  requireInspector(p);
  const { i } = await loadFor(ctx, p, id);
  if (!mayAct(p, i)) throw forbidden('只有检查单位可以执行此操作');
  if (!statuses.includes(i.status)) throw conflict(`检查记录当前状态（${inspectionStatusLabels[i.status]}）不能${what}`, 'invalid_state');
  return i;
}

/** Adds more cases of the unit to an open inspection. */
export async function addInspectionCases(ctx: AppContext, p: StaffPrincipal, id: string, caseIds: string[]) {
  const i = await actable(ctx, p, id, ['open'], '增加抽查案件');
  const unit = ctx.units.get(i.unit_id)!;
  const ids = [...new Set(caseIds)];
  const found = await candidates(ctx, unit, ids);
  const missing = ids.filter((x) => !found.some((c) => c.id === x));
  if (missing.length) throw badInput('所选信访件不属于被检查单位', { caseIds: `以下信访件不属于被检查单位：${missing.join('、')}` });
  const have = new Set((await repo.inspectionCases(ctx.store.db, id)).map((c) => c.case_id));
  await inTransaction(ctx.store, async (t) => {
    for (const c of found) {
      if (!have.has(c.id)) await repo.insertInspectionCase(t, { inspection_id: id, case_id: c.id, reason: JSON.stringify(c.reasons), finding: null, verdict: null, recorded_by: null, recorded_at: null });
    }
  });
  return inspectionDetail(ctx, p, id);
}

/** Records the finding on one sampled case: an internal event on the case and the verdict on the inspection. */
export async function recordFinding(ctx: AppContext, p: StaffPrincipal, id: string, caseId: string, input: { verdict: 'ok' | 'problem'; finding?: string | undefined }) {
  const i = await actable(ctx, p, id, ['open'], '记录检查意见');
  const line = (await repo.inspectionCases(ctx.store.db, id)).find((c) => c.case_id === caseId);
  if (!line) throw notFound('该信访件不在本次抽查范围内');
  const finding = input.finding?.trim() ?? '';
  if (input.verdict === 'problem' && finding.length < 5) throw badInput('存在问题的，请写明问题（至少 5 个字）', { finding: '请写明发现的问题' });
  const now = ctx.clock.now().toISOString();
  await mutateCase(ctx, caseId, staffActor(p), () => ({
    patch: {},
    events: [
      {
        type: 'inspection_finding',
        visibility: 'internal',
        payload: { inspectionId: id, unitName: ctx.units.displayName(i.unit_id), verdict: input.verdict, text: `督导检查（${i.inspected_on}）：${verdictLabels[input.verdict]}${finding ? `。${finding}` : ''}` },
      },
    ],
    also: (t) => repo.updateInspectionCase(t, id, caseId, { verdict: input.verdict, finding: finding || null, recorded_by: p.account.id, recorded_at: now }),
  }));
  return inspectionDetail(ctx, p, id);
}

/** In-app notice to a unit; a government's notices go to its petition bureau, which acts for it. */
function unitInapp(ctx: AppContext, t: TxContext, unitId: string, template: string, payload: Record<string, unknown>, caseId: string | null) {
  const u = ctx.units.get(unitId);
  const inbox = u?.kind === 'government' ? (ctx.units.childrenOf(u.id).find((c) => c.kind === 'bureau')?.id ?? unitId) : unitId;
  return enqueue(t, { channel: 'inapp', recipientEnc: ctx.crypto.encrypt(`unit:${inbox}`), template, payload, caseId, at: ctx.clock.now().toISOString() });
}

/** Writes a correction step: on its case as an internal event when it concerns one, else in a plain transaction. */
async function correctionWrite(ctx: AppContext, p: StaffPrincipal, caseId: string | null, event: { type: string; payload: Record<string, unknown> }, write: (t: TxContext) => Promise<void>) {
  if (caseId) {
    await mutateCase(ctx, caseId, staffActor(p), () => ({ patch: {}, events: [{ type: event.type, visibility: 'internal', payload: event.payload }], also: (t) => write(t) }));
  } else {
    await inTransaction(ctx.store, write);
  }
}

/** Demands a correction, on one sampled case or on the unit's work as a whole, with a due date. */
export async function addCorrection(ctx: AppContext, p: StaffPrincipal, id: string, input: { caseId?: string | undefined; requirement: string; dueDate: string }) {
  const i = await actable(ctx, p, id, ['open', 'concluded'], '提出整改要求');
  if (input.caseId && !(await repo.inspectionCases(ctx.store.db, id)).some((c) => c.case_id === input.caseId)) {
    throw badInput('整改要求只能针对本次抽查的信访件', { caseId: '该信访件不在本次抽查范围内' });
  }
  const dueDate = checkDueDate(ctx, input.dueDate);
  const cid = crypto.randomUUID();
  const now = ctx.clock.now().toISOString();
  await correctionWrite(ctx, p, input.caseId ?? null, { type: 'correction_required', payload: { inspectionId: id, correctionId: cid, dueDate, text: `整改要求：${input.requirement}（${dueDate} 前）` } }, async (t) => {
    await repo.insertCorrection(t, {
      id: cid,
      inspection_id: id,
      case_id: input.caseId ?? null,
      requirement: input.requirement,
      due_date: dueDate,
      status: 'open',
      report: null,
      reported_by: null,
      reported_at: null,
      decision_note: null,
      decided_by: null,
      decided_at: null,
      created_by: p.account.id,
      created_at: now,
    });
    // A correction demanded after the conclusion is told to the unit at once.
    if (i.status === 'concluded') await unitInapp(ctx, t, i.unit_id, 'correction_decided', { accepted: false, requirement: input.requirement, dueDate, note: '新的整改要求' }, input.caseId ?? null);
  });
  return inspectionDetail(ctx, p, id);
}

/** Concludes the inspection: every sampled case has a finding; the unit is told what it must correct. */
export async function concludeInspection(ctx: AppContext, p: StaffPrincipal, id: string, summary: string) {
  const i = await actable(ctx, p, id, ['open'], '形成检查意见');
  const cs = await repo.inspectionCases(ctx.store.db, id);
  const pending = cs.filter((c) => c.verdict === null).length;
  if (pending > 0) throw conflict(`还有 ${pending} 件抽查案件未记录检查意见`, 'findings_missing');
  const corr = await repo.corrections(ctx.store.db, id);
  const now = ctx.clock.now().toISOString();
  const done = corr.every((c) => c.status === 'accepted');
  await inTransaction(ctx.store, async (t) => {
    await repo.updateInspection(t, id, { status: done ? 'closed' : 'concluded', summary, concluded_at: now, ...(done ? { closed_at: now } : {}) });
    await unitInapp(ctx, t, i.unit_id, 'inspection_concluded', { inspectedOn: i.inspected_on, byUnitName: ctx.units.displayName(i.by_unit_id), cases: cs.length, problems: cs.filter((c) => c.verdict === 'problem').length, corrections: corr.length }, null);
  });
  return inspectionDetail(ctx, p, id);
}

async function correctionFor(ctx: AppContext, p: StaffPrincipal, id: string, correctionId: string) {
  const { i, side } = await loadFor(ctx, p, id);
  const c = await repo.findCorrection(ctx.store.db, id, correctionId);
  if (!c) throw notFound('整改要求不存在');
  if (c.case_id) {
    const r = await findCase(ctx.store.db, c.case_id);
    if (!r || hiddenByDenunciation(ctx, p, r)) throw notFound('整改要求不存在');
  }
  return { i, side, c };
}

/** The inspected unit reports what it did about a correction. */
export async function reportCorrection(ctx: AppContext, p: StaffPrincipal, id: string, correctionId: string, text: string) {
  const { i, side, c } = await correctionFor(ctx, p, id, correctionId);
  if (side !== 'unit') throw forbidden('只有被检查单位可以报告整改情况');
  if (i.status !== 'concluded' || (c.status !== 'open' && c.status !== 'reopened')) throw conflict(`整改要求当前状态（${correctionStatusLabels[c.status]}）不能报告`, 'invalid_state');
  const now = ctx.clock.now().toISOString();
  await correctionWrite(ctx, p, c.case_id, { type: 'correction_reported', payload: { inspectionId: id, correctionId, text: `整改情况报告：${text}` } }, async (t) => {
    const fresh = await repo.findCorrection(t.tx, id, correctionId);
    if (fresh?.status !== 'open' && fresh?.status !== 'reopened') throw conflict('整改情况已报告', 'invalid_state');
    await repo.updateCorrection(t, correctionId, { status: 'reported', report: text, reported_by: p.account.id, reported_at: now });
    await unitInapp(ctx, t, i.by_unit_id, 'correction_reported', { unitName: ctx.units.displayName(i.unit_id), requirement: c.requirement }, c.case_id);
  });
  return inspectionDetail(ctx, p, id);
}

/** The inspector accepts a reported correction, or reopens it with a new due date. */
export async function decideCorrection(ctx: AppContext, p: StaffPrincipal, id: string, correctionId: string, input: { accept: boolean; note?: string | undefined; dueDate?: string | undefined }) {
  requireInspector(p);
  const { i, c } = await correctionFor(ctx, p, id, correctionId);
  if (!mayAct(p, i)) throw forbidden('只有检查单位可以验收整改');
  if (c.status !== 'reported') throw conflict(`整改要求当前状态（${correctionStatusLabels[c.status]}）不能验收`, 'invalid_state');
  let dueDate = c.due_date;
  if (!input.accept) {
    if (!input.note || input.note.trim().length < 5) throw badInput('请写明未通过验收的理由（至少 5 个字）', { note: '请写明理由' });
    if (!input.dueDate) throw badInput('请给出重新整改的期限', { dueDate: '请给出新的期限' });
    dueDate = checkDueDate(ctx, input.dueDate);
  }
  const now = ctx.clock.now().toISOString();
  const label = input.accept ? '整改验收通过' : '整改未通过验收，重新整改';
  await correctionWrite(ctx, p, c.case_id, { type: input.accept ? 'correction_accepted' : 'correction_reopened', payload: { inspectionId: id, correctionId, text: `${label}${input.note ? `：${input.note}` : ''}` } }, async (t) => {
    const fresh = await repo.findCorrection(t.tx, id, correctionId);
    if (fresh?.status !== 'reported') throw conflict('整改要求已处理', 'invalid_state');
    await repo.updateCorrection(t, correctionId, { status: input.accept ? 'accepted' : 'reopened', due_date: dueDate, decision_note: input.note ?? null, decided_by: p.account.id, decided_at: now });
    await unitInapp(ctx, t, i.unit_id, 'correction_decided', { accepted: input.accept, requirement: c.requirement, dueDate, note: input.note ?? '' }, c.case_id);
    if (input.accept && i.status === 'concluded') {
      const rest = (await repo.corrections(t.tx, id)).filter((x) => x.id !== correctionId && x.status !== 'accepted');
      if (rest.length === 0) await repo.updateInspection(t, id, { status: 'closed', closed_at: now });
    }
  });
  return inspectionDetail(ctx, p, id);
}
