/**
 * 督办件: a supervisor names a unit, the problem and a deadline over one case or a group of cases;
 * the unit answers in writing; the supervisor closes it or escalates it to the bureau above. Every
 * step is an event on every case concerned (public where the petitioner is concerned) and an
 * in-app notice to the unit that must act next.
 */
import crypto from 'node:crypto';
import type { AppContext } from './context.js';
import { AppError, badInput, conflict, forbidden, notFound } from './errors.js';
import { mutateCases, type Actor, type Mutation } from './case-mutation.js';
import type { StaffPrincipal } from './auth.service.js';
import { caseNumber } from './case.service.js';
import { caseUnitFacts, hiddenByDenunciation, visibleCase } from './office.service.js';
import { today } from './deadlines.js';
import { unitNotice } from './notify.service.js';
import { supervisingBureau } from './supervision.service.js';
import type { Unit } from './units.js';
import type { Permission } from '../domain/permissions.js';
import { stateLabel, type CaseState } from '../domain/case-state.js';
import { addDays, compareDates } from '../domain/calendar.js';
import * as cases from '../store/case.repository.js';
import type { CaseRow } from '../store/case.repository.js';
import * as repo from '../store/supervision.repository.js';
import type { SupervisionRow } from '../store/supervision.repository.js';

export const supervisionStatuses = ['open', 'answered', 'closed', 'escalated'] as const;
export type SupervisionStatus = (typeof supervisionStatuses)[number];
export const supervisionStatusLabels: Record<SupervisionStatus, string> = { open: '待报告', answered: '已报告', closed: '已办结', escalated: '已提级' };
const sourceLabels: Record<string, string> = { manual: '督办', signature_dispute: '信访人报告“这不是我签的”', escalation: '提级督办' };

/** Permissions that let a unit's staff answer for their unit (a 督办件 or an inspection's corrections). */
export const answerPermissions: Permission[] = ['case.reply', 'case.sign', 'case.assign', 'case.accept', 'case.extension.approve', 'case.supervise'];

/** True when the staff member may answer for `unit`: they sit in it (or below it) and act on cases there. */
export function mayAnswerFor(p: StaffPrincipal, unit: Unit | undefined): boolean {
  return !!unit && p.unit.path.startsWith(unit.path) && answerPermissions.some((x) => p.permissions.has(x));
}

/** The unit ids of the staff member's unit and every unit above it (path segments are unit ids). */
export function selfAndAbove(p: StaffPrincipal): string[] {
  return p.unit.path.split('/').filter(Boolean);
}

/** A denunciation accusing this unit, a unit inside it, or a unit above it must never reach it. */
export function denunciationTouches(row: Pick<CaseRow, 'is_denunciation' | 'accused_unit_ids'>, unitPath: string): boolean {
  if (!row.is_denunciation) return false;
  const accused = JSON.parse(row.accused_unit_ids) as string[];
  return accused.some((a) => unitPath.startsWith(a) || a.startsWith(unitPath));
}

const maxDueDays = 90;

/** A deadline for the unit: a date from today to 90 days on. */
export function checkDueDate(ctx: AppContext, due: string, field = 'dueDate'): string {
  const d = today(ctx);
  if (compareDates(due, d) < 0) throw badInput('期限不能早于今天', { [field]: '期限不能早于今天' });
  if (compareDates(due, addDays(d, maxDueDays)) > 0) throw badInput(`期限最长 ${maxDueDays} 天`, { [field]: `期限不能晚于 ${addDays(d, maxDueDays)}` });
  return due;
}

function staffActor(p: StaffPrincipal): Actor {
  return { kind: 'staff', id: p.account.id, unitId: p.unit.id };
}

function requireSupervisor(p: StaffPrincipal): void {
  if (!p.permissions.has('case.supervise')) throw forbidden('需要督办权限');
}

/** Opens a 督办件 on one case or a group of cases. */
export async function openSupervision(ctx: AppContext, p: StaffPrincipal, input: { caseIds: string[]; unitId: string; problem: string; dueDate: string }) {
  requireSupervisor(p);
  const caseIds = [...new Set(input.caseIds)];
  const target = ctx.units.get(input.unitId);
  if (!target) throw badInput('被督办单位不存在', { unitId: '被督办单位不存在' });
  if (target.kind === 'government') throw badInput('请选择具体的承办单位或信访部门', { unitId: '请选择具体的承办单位或信访部门' });
  if (target.id === p.unit.id || p.unit.path.startsWith(target.path)) throw forbidden('不能督办本单位或本单位的上级');
  if (!target.path.startsWith(p.scope.path)) throw forbidden('只能督办本辖区内的单位');
  const dueDate = checkDueDate(ctx, input.dueDate);
  // Each case must be one the supervisor may see (404 otherwise, as everywhere).
  for (const id of caseIds) await visibleCase(ctx, p, id);
  const id = crypto.randomUUID();
  const now = ctx.clock.now().toISOString();
  const rows = await mutateCases(ctx, caseIds, staffActor(p), async (locked, t) => {
    for (const row of locked) {
      if (denunciationTouches(row, target.path)) throw forbidden('检举揭发件不得交由被检举的单位或其上下级办理、督办');
      const { unitPaths } = await caseUnitFacts(ctx, row, t.tx);
      if (!unitPaths.some((u) => u.startsWith(target.path))) {
        throw badInput(`${target.name}未受理或承办过信访件 ${caseNumber(row)}`, { unitId: '请选择受理或承办过所选信访件的单位' });
      }
    }
    const first = locked.find((r) => r.id === caseIds[0]) ?? locked[0]!;
    return {
      also: (tt) =>
        repo.insertSupervision(
          tt,
          {
            id,
            case_id: first.id,
            unit_id: p.unit.id,
            target_unit_id: target.id,
            source: 'manual',
            document_id: null,
            problem: input.problem,
            reason: null,
            due_date: dueDate,
            parent_id: null,
            created_by: p.account.id,
            created_at: now,
          },
          caseIds,
        ),
      perCase: locked.map(
        (row): Mutation => ({
          patch: { supervised: 1 },
          events: [
            { type: 'supervision_opened', visibility: 'public', payload: { supervisionId: id, unitId: target.id, unitName: target.name, byUnitId: p.unit.id, byUnitName: p.unit.name, dueDate } },
            { type: 'supervision_note', visibility: 'internal', payload: { supervisionId: id, step: 'opened', text: `督办事项：${input.problem}（${target.name}应于 ${dueDate} 前书面报告）` } },
          ],
          outbox: row.id === first.id ? unitNotice(ctx, target.id, 'supervision_opened', { caseNo: caseNumber(row), title: row.title, count: locked.length, byUnitName: p.unit.name, dueDate }) : [],
        }),
      ),
    };
  });
  return supervisionDetail(ctx, p, id, rows);
}

async function loadFor(ctx: AppContext, p: StaffPrincipal, id: string) {
  const s = await repo.findSupervision(ctx.store.db, id);
  if (!s) throw notFound('督办件不存在，或您无权查看');
  const caseIds = (await repo.supervisionCases(ctx.store.db, [id])).get(id) ?? [s.case_id];
  const rows = (await Promise.all(caseIds.map((c) => cases.findCase(ctx.store.db, c)))).filter((r): r is CaseRow => !!r);
  const side = sideOf(ctx, p, s, rows);
  if (!side) throw notFound('督办件不存在，或您无权查看');
  return { s, rows, side };
}

/** How the viewer relates to a supervision: the supervising side, the side that answers, or none. */
function sideOf(ctx: AppContext, p: StaffPrincipal, s: SupervisionRow, rows: CaseRow[]): 'supervisor' | 'unit' | null {
  if (rows.some((r) => hiddenByDenunciation(ctx, p, r))) return null;
  const by = ctx.units.get(s.unit_id);
  const target = ctx.units.get(s.target_unit_id);
  if (by && p.permissions.has('case.supervise') && by.path.startsWith(p.scope.path)) return 'supervisor';
  if (mayAnswerFor(p, target)) return 'unit';
  return null;
}

function isOverdue(ctx: AppContext, s: SupervisionRow): boolean {
  return s.status === 'open' && s.due_date !== null && compareDates(s.due_date, today(ctx)) < 0;
}

function allowed(p: StaffPrincipal, s: SupervisionRow, side: 'supervisor' | 'unit'): string[] {
  const out: string[] = [];
  if (side === 'unit' && s.status === 'open') out.push('answer');
  if (side === 'supervisor' && s.unit_id === p.unit.id) {
    if (s.status === 'answered') out.push('close', 'return');
    if (s.status === 'open' || s.status === 'answered') out.push('escalate');
  }
  return out;
}

type Reminders = { count: number; last: string } | undefined;

function present(ctx: AppContext, p: StaffPrincipal, s: SupervisionRow, rows: CaseRow[], side: 'supervisor' | 'unit', reminders: Reminders) {
  const first = rows.find((r) => r.id === s.case_id) ?? rows[0];
  return {
    id: s.id,
    // Compatible with the list of 007: the first case and the petitioner's reason.
    caseId: s.case_id,
    caseNo: first ? caseNumber(first) : null,
    title: first?.title ?? null,
    documentId: s.document_id,
    reason: s.reason ?? s.problem,
    status: s.status,
    statusLabel: supervisionStatusLabels[s.status as SupervisionStatus] ?? s.status,
    overdue: isOverdue(ctx, s),
    source: s.source,
    sourceLabel: sourceLabels[s.source] ?? s.source,
    problem: s.problem,
    dueDate: s.due_date,
    byUnitId: s.unit_id,
    byUnitName: ctx.units.displayName(s.unit_id),
    unitId: s.target_unit_id,
    unitName: ctx.units.displayName(s.target_unit_id),
    side,
    cases: rows.map((r) => ({ id: r.id, caseNo: caseNumber(r), title: r.title, state: r.state, stateLabel: stateLabel(r.state as CaseState) })),
    answer: s.answer,
    answeredAt: s.answered_at,
    closedAt: s.closed_at,
    closeNote: s.close_note,
    parentId: s.parent_id,
    escalatedTo: s.escalated_to,
    createdAt: s.created_at,
    /** Times the supervisor sent an answer back (退回重办). */
    returnCount: s.return_count,
    /** Reminders the sweep sent for the current deadline (逾期催报). */
    reminders: reminders?.count ?? 0,
    lastRemindedAt: reminders?.last ?? null,
    allowedActions: allowed(p, s, side),
  };
}

const historyLabels: Record<string, string> = {
  supervised: '信访人报告“这不是我签的”，列入督办',
  supervision_opened: '发起督办',
  supervision_note: '督办意见',
  supervision_answered: '被督办单位书面报告',
  supervision_returned: '退回重办',
  supervision_reminded: '逾期催报',
  supervision_closed: '督办办结',
  supervision_escalated: '提级督办',
};

/** Every step of one 督办件 — each answer, send-back and reminder — from the events on its first case. */
async function supervisionHistory(ctx: AppContext, s: SupervisionRow) {
  const events = await repo.supervisionEvents(ctx.store.db, s.case_id, s.id);
  return events.map((e) => {
    const d = e.data;
    const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : null);
    // The escalation event of the parent opens this one: seen from here it is an opening.
    const type = e.type === 'supervision_escalated' && d.newSupervisionId === s.id ? 'supervision_opened' : e.type;
    return {
      seq: e.seq,
      type,
      label: historyLabels[type] ?? type,
      at: e.at,
      actorUnitName: e.actor_kind === 'system' ? '系统自动' : e.actor_unit_id ? ctx.units.displayName(e.actor_unit_id) : null,
      text: str('text') ?? str('reason'),
      dueDate: str('dueDate'),
    };
  });
}

export type SupervisionView = ReturnType<typeof present>;

/** One 督办件 as the viewer may see it, with its history. */
export async function supervisionDetail(ctx: AppContext, p: StaffPrincipal, id: string, _rows?: CaseRow[]) {
  const { s, rows, side } = await loadFor(ctx, p, id);
  const reminders = (await repo.reminderSummary(ctx.store.db, [s])).get(s.id);
  return { ...present(ctx, p, s, rows, side, reminders), history: await supervisionHistory(ctx, s) };
}

function requireViewer(p: StaffPrincipal): void {
  if (!answerPermissions.some((x) => p.permissions.has(x))) throw forbidden('需要督办权限或办理权限');
}

/** The 督办件 received by the viewer's unit and opened by the viewer's bureau (or below it). */
export async function listSupervisionCases(ctx: AppContext, p: StaffPrincipal, q: { status?: string | undefined; caseId?: string | undefined; side?: 'supervisor' | 'unit' | undefined; limit: number }) {
  requireViewer(p);
  const overdue = q.status === 'overdue';
  const statuses = q.status && !overdue ? q.status.split(',') : undefined;
  const rows = await repo.listSupervisions(ctx.store.db, {
    openedUnder: p.permissions.has('case.supervise') && q.side !== 'unit' ? p.scope.path : null,
    addressedTo: answerPermissions.some((x) => p.permissions.has(x)) && q.side !== 'supervisor' ? selfAndAbove(p) : [],
    statuses,
    overdueBefore: overdue ? today(ctx) : undefined,
    caseId: q.caseId,
    limit: q.limit,
  });
  const caseMap = await repo.supervisionCases(ctx.store.db, rows.map((r) => r.id));
  const reminders = await repo.reminderSummary(ctx.store.db, rows);
  const caseCache = new Map<string, CaseRow | undefined>();
  const items: SupervisionView[] = [];
  for (const s of rows) {
    const rs: CaseRow[] = [];
    for (const c of caseMap.get(s.id) ?? [s.case_id]) {
      if (!caseCache.has(c)) caseCache.set(c, await cases.findCase(ctx.store.db, c));
      const r = caseCache.get(c);
      if (r) rs.push(r);
    }
    const side = sideOf(ctx, p, s, rs);
    if (!side || (q.side && side !== q.side)) continue;
    items.push(present(ctx, p, s, rs, side, reminders.get(s.id)));
  }
  return { items };
}

/** The named unit answers in writing. */
export async function answerSupervision(ctx: AppContext, p: StaffPrincipal, id: string, text: string) {
  const { s, side } = await loadFor(ctx, p, id);
  if (side !== 'unit') throw forbidden('只有被督办单位可以报告办理情况');
  const caseIds = (await repo.supervisionCases(ctx.store.db, [id])).get(id) ?? [s.case_id];
  const now = ctx.clock.now().toISOString();
  const targetName = ctx.units.displayName(s.target_unit_id);
  await mutateCases(ctx, caseIds, staffActor(p), async (rows, t) => {
    const fresh = await repo.findSupervision(t.tx, id);
    if (fresh?.status !== 'open') throw conflict(`督办件当前状态（${supervisionStatusLabels[fresh?.status as SupervisionStatus] ?? ''}）不能再报告`, 'invalid_state');
    return {
      also: (tt) => repo.updateSupervision(tt, id, { status: 'answered', answer: text, answered_by: p.account.id, answered_at: now }),
      perCase: rows.map(
        (row): Mutation => ({
          patch: {},
          events: [{ type: 'supervision_answered', visibility: 'internal', payload: { supervisionId: id, unitId: s.target_unit_id, unitName: targetName, text, round: s.return_count + 1 } }],
          outbox: row.id === s.case_id ? unitNotice(ctx, s.unit_id, 'supervision_answered', { caseNo: caseNumber(row), title: row.title, unitName: targetName }) : [],
        }),
      ),
    };
  });
  return supervisionDetail(ctx, p, id);
}

/** The supervising unit accepts the answer and closes the 督办件. */
export async function closeSupervision(ctx: AppContext, p: StaffPrincipal, id: string, note: string | undefined) {
  const { s, side } = await loadFor(ctx, p, id);
  if (side !== 'supervisor' || s.unit_id !== p.unit.id) throw forbidden('只有督办单位可以办结督办件');
  const caseIds = (await repo.supervisionCases(ctx.store.db, [id])).get(id) ?? [s.case_id];
  const now = ctx.clock.now().toISOString();
  await mutateCases(ctx, caseIds, staffActor(p), async (rows, t) => {
    const fresh = await repo.findSupervision(t.tx, id);
    if (fresh?.status !== 'answered') throw conflict('被督办单位尚未报告办理情况，不能办结（可提级督办）', 'invalid_state');
    return {
      also: (tt) => repo.updateSupervision(tt, id, { status: 'closed', closed_by: p.account.id, closed_at: now, close_note: note ?? null }),
      perCase: rows.map(
        (row): Mutation => ({
          patch: {},
          events: [
            { type: 'supervision_closed', visibility: 'public', payload: { supervisionId: id, byUnitName: p.unit.name, unitName: ctx.units.displayName(s.target_unit_id) } },
            ...(note ? [{ type: 'supervision_note', visibility: 'internal' as const, payload: { supervisionId: id, step: 'closed', text: `督办办结意见：${note}` } }] : []),
          ],
          outbox: row.id === s.case_id ? unitNotice(ctx, s.target_unit_id, 'supervision_closed', { caseNo: caseNumber(row), title: row.title, byUnitName: p.unit.name }) : [],
        }),
      ),
    };
  });
  return supervisionDetail(ctx, p, id);
}

/**
 * 退回重办: the supervising unit finds the written answer insufficient and sends it back with a
 * reason and a new deadline; the 督办件 is open again and the unit must answer anew. The answer
 * sent back stays on the record (its 'supervision_answered' event), beside the reason.
 */
export async function returnSupervision(ctx: AppContext, p: StaffPrincipal, id: string, input: { reason: string; dueDate: string }) {
  const { s, side } = await loadFor(ctx, p, id);
  if (side !== 'supervisor' || s.unit_id !== p.unit.id) throw forbidden('只有督办单位可以退回重办');
  const dueDate = checkDueDate(ctx, input.dueDate);
  const caseIds = (await repo.supervisionCases(ctx.store.db, [id])).get(id) ?? [s.case_id];
  const targetName = ctx.units.displayName(s.target_unit_id);
  await mutateCases(ctx, caseIds, staffActor(p), async (rows, t) => {
    const fresh = await repo.findSupervision(t.tx, id);
    if (fresh?.status !== 'answered') throw conflict('只有已报告、待审核的督办件可以退回重办', 'invalid_state');
    const round = fresh.return_count + 1;
    return {
      also: (tt) =>
        repo.updateSupervision(tt, id, { status: 'open', due_date: dueDate, return_count: round, answer: null, answered_by: null, answered_at: null }),
      perCase: rows.map(
        (row): Mutation => ({
          patch: {},
          events: [
            {
              type: 'supervision_returned',
              visibility: 'internal',
              payload: { supervisionId: id, byUnitName: p.unit.name, unitId: s.target_unit_id, unitName: targetName, reason: input.reason, dueDate, round, answeredAt: fresh.answered_at },
            },
          ],
          outbox: row.id === s.case_id ? unitNotice(ctx, s.target_unit_id, 'supervision_returned', { caseNo: caseNumber(row), title: row.title, byUnitName: p.unit.name, reason: input.reason, dueDate }) : [],
        }),
      ),
    };
  });
  return supervisionDetail(ctx, p, id);
}

/** The supervising unit escalates: the bureau above opens a new 督办件 on the same unit and cases. */
export async function escalateSupervision(ctx: AppContext, p: StaffPrincipal, id: string, input: { reason: string; dueDate: string }) {
  const { s, side } = await loadFor(ctx, p, id);
  if (side !== 'supervisor' || s.unit_id !== p.unit.id) throw forbidden('只有督办单位可以提级督办');
  const above = supervisingBureau(ctx, s.unit_id);
  if (!above || above.id === s.unit_id) throw new AppError(409, 'top_level', '已是省级督办，无法再提级');
  const dueDate = checkDueDate(ctx, input.dueDate);
  const caseIds = (await repo.supervisionCases(ctx.store.db, [id])).get(id) ?? [s.case_id];
  const newId = crypto.randomUUID();
  const now = ctx.clock.now().toISOString();
  const targetName = ctx.units.displayName(s.target_unit_id);
  await mutateCases(ctx, caseIds, staffActor(p), async (rows, t) => {
    const fresh = await repo.findSupervision(t.tx, id);
    if (fresh?.status !== 'open' && fresh?.status !== 'answered') throw conflict('督办件已办结或已提级', 'invalid_state');
    for (const row of rows) if (denunciationTouches(row, above.path)) throw forbidden('检举揭发件不得交由被检举的单位督办');
    return {
      also: async (tt) => {
        await repo.insertSupervision(
          tt,
          {
            ...fresh,
            id: newId,
            unit_id: above.id,
            source: 'escalation',
            reason: input.reason,
            due_date: dueDate,
            parent_id: id,
            created_by: p.account.id,
            created_at: now,
          },
          caseIds,
        );
        await repo.updateSupervision(tt, id, { status: 'escalated', escalated_to: newId, closed_by: p.account.id, closed_at: now, close_note: input.reason });
      },
      perCase: rows.map(
        (row): Mutation => ({
          patch: { supervised: 1 },
          events: [
            { type: 'supervision_escalated', visibility: 'public', payload: { supervisionId: id, newSupervisionId: newId, byUnitName: p.unit.name, toUnitId: above.id, toUnitName: above.name, unitName: targetName, dueDate } },
            { type: 'supervision_note', visibility: 'internal', payload: { supervisionId: newId, step: 'escalated', text: `提级督办理由：${input.reason}` } },
          ],
          outbox:
            row.id === s.case_id
              ? [
                  ...unitNotice(ctx, above.id, 'supervision_escalated_in', { caseNo: caseNumber(row), title: row.title, byUnitName: p.unit.name, unitName: targetName }),
                  ...unitNotice(ctx, s.target_unit_id, 'supervision_opened', { caseNo: caseNumber(row), title: row.title, count: rows.length, byUnitName: above.name, dueDate }),
                ]
              : [],
        }),
      ),
    };
  });
  return { escalated: await supervisionDetail(ctx, p, id), newSupervisionId: newId, toUnitId: above.id, toUnitName: above.name };
}
