/** Staff use cases: the queue, the case page with allowed actions, and every workflow action. */
import { petitionerMessages } from './petitioner-notify.js';
import crypto from 'node:crypto';
import type { AppContext } from './context.js';
import { AppError, badInput, conflict, forbidden, notFound } from './errors.js';
import { DueDates, today } from './deadlines.js';
import { mutateCase, type Actor, type Mutation } from './case-mutation.js';
import type { StaffPrincipal, Principal } from './auth.service.js';
import { caseNumber } from './case.service.js';
import { withActionDocuments } from './document.service.js';
import { allowedStaffActions, decideStaffAction, type ActorFacts, type CaseUnitFacts } from '../domain/case-policy.js';
import { actionFieldErrors } from '../domain/action-fields.js';
import { isTerminal, nextState, stateLabel, type CaseState, type StaffAction } from '../domain/case-state.js';
import { guidanceCodes, rejectReasonCodes, nameOf, guidanceChannels, rejectReasons } from '../domain/catalog.js';
import { maxExtensionDays } from '../domain/clocks.js';
import { compareDates } from '../domain/calendar.js';
import * as cases from '../store/case.repository.js';
import { indexCaseWithMerged } from '../store/search.repository.js';
import { jurisdictionPath, workbenchFilter, type WorkbenchQuery } from './queues.js';
import type { CaseRow } from '../store/case.repository.js';
import type { Tx, TxContext } from '../store/tx.js';
import type { Unit } from './units.js';
import { unitNotice } from './notify.service.js';

/** The staff principal, or 403 for citizens on staff routes. */
export function requireStaff(p: Principal | null): StaffPrincipal {
  if (!p) throw new AppError(401, 'not_logged_in', '请先登录');
  if (p.kind !== 'staff') throw forbidden('此功能仅限工作人员使用');
  return p;
}

function actorFacts(p: StaffPrincipal): ActorFacts {
  return { permissions: p.permissions, unitId: p.unit.id, scopePath: p.scope.path };
}

/** True when the denunciation rule hides the case from this staff member. */
export function hiddenByDenunciation(ctx: AppContext, p: StaffPrincipal, row: CaseRow): boolean {
  if (!row.is_denunciation) return false;
  const accused = JSON.parse(row.accused_unit_ids) as string[];
  return accused.some((a) => p.unit.path.startsWith(a));
}

/** Loads the facts the policy needs: the case's units and its active assignment. */
export async function caseUnitFacts(ctx: AppContext, row: CaseRow, db: Tx = ctx.store.db): Promise<{ facts: CaseUnitFacts; assignments: cases.AssignmentRow[]; unitPaths: string[] }> {
  const assignments = await cases.listAssignments(db, row.id);
  const active = assignments.find((a) => a.status === 'pending' || a.status === 'signed');
  const replied = [...assignments].reverse().find((a) => a.status === 'replied');
  const unit = (id: string | undefined) => (id ? ctx.units.get(id) : undefined);
  const receiving = unit(row.receiving_unit_id);
  // For a 复核 the policy needs who made the 复查: the unit of the last review decision.
  const reviewed = row.review_level >= 2 ? (await cases.listEvents(db, row.id)).filter((e) => e.type === 'review_decided').pop() : undefined;
  const reviewedUnitId = reviewed?.actor_unit_id ?? null;
  const merge = row.state === 'merged' ? await mergeFacts(db, row) : null;
  const facts: CaseUnitFacts = {
    state: row.state as CaseState,
    reviewLevel: row.review_level,
    hasPendingExtension: row.pending_extension !== null,
    evaluated: row.evaluation !== null,
    receivingUnitId: row.receiving_unit_id,
    receivingUnitPath: receiving?.path ?? '',
    activeUnitId: active?.unit_id ?? null,
    activeUnitPath: unit(active?.unit_id)?.path ?? null,
    repliedUnitId: replied?.unit_id ?? null,
    repliedUnitPath: unit(replied?.unit_id)?.path ?? null,
    reviewedUnitId,
    reviewedUnitPath: unit(reviewedUnitId ?? undefined)?.path ?? null,
    stateBeforeMerge: merge?.fromState ?? null,
    closedWindows: { ...closedWindows(ctx, row), ...(merge?.closed ? { unmerge: merge.closed } : {}) },
  };
  const unitPaths = [receiving?.path, ...assignments.map((a) => unit(a.unit_id)?.path)].filter((x): x is string => !!x);
  return { facts, assignments, unitPaths };
}

/** What the last 'merged' event of a merged case recorded: the state to return to, and the superseded assignment. */
interface MergeRecord {
  intoCaseId: string;
  intoCaseNo: string;
  fromState: CaseState | null;
  assignment: { id: string; status: string } | null;
}

async function lastMerge(db: Tx, caseId: string): Promise<MergeRecord | null> {
  const e = (await cases.listEvents(db, caseId)).filter((x) => x.type === 'merged').pop();
  if (!e) return null;
  const p = JSON.parse(e.payload) as { intoCaseId?: string; intoCaseNo?: string; fromState?: string; assignment?: { id: string; status: string } | null };
  return { intoCaseId: p.intoCaseId ?? '', intoCaseNo: p.intoCaseNo ?? '', fromState: (p.fromState as CaseState | undefined) ?? null, assignment: p.assignment ?? null };
}

/**
 * 撤销合并 is possible while the case it was merged into is still being handled: once that case is
 * answered or closed, the petitioner's matter was answered with it (a new matter is split off instead).
 */
async function mergeFacts(db: Tx, row: CaseRow): Promise<{ fromState: CaseState | null; closed: { code: string; reason: string } | null }> {
  const m = await lastMerge(db, row.id);
  if (!m?.fromState) return { fromState: null, closed: null };
  const into = row.merged_into ? await cases.findCase(db, row.merged_into) : undefined;
  const intoOpen = into !== undefined && !isTerminal(into.state as CaseState) && into.state !== 'replied' && into.state !== 'reviewed';
  return {
    fromState: m.fromState,
    closed: intoOpen ? null : { code: 'into_closed', reason: `合并到的信访件 ${m.intoCaseNo} 已答复或办结，不能再撤销合并；如属另一事项，请另行登记` },
  };
}

/** The legal windows that refuse an action today, so allowedActions never offers what would fail. */
function closedWindows(ctx: AppContext, row: CaseRow): CaseUnitFacts['closedWindows'] {
  const d = today(ctx);
  const out: CaseUnitFacts['closedWindows'] = {};
  if (row.due_return && compareDates(d, row.due_return) > 0) {
    out.return = { code: 'window_closed', reason: `退回须在收到后 5 个工作日内提出（期限 ${row.due_return} 已过），请签收办理或报上级协调` };
  }
  if (row.due_reply && compareDates(d, row.due_reply) > 0) out['request-extension'] = { code: 'window_closed', reason: '延期须在办理期限届满前申请' };
  const reviewWindowOpen = row.due_review_request !== null && compareDates(d, row.due_review_request) <= 0;
  const satisfied = row.evaluation === 'satisfied' || row.evaluation === 'basically_satisfied';
  if (reviewWindowOpen && !satisfied) {
    out.close = { code: 'window_open', reason: `信访人申请${row.review_level === 0 ? '复查' : '复核'}的期限至 ${row.due_review_request} 届满，期满后方可办结` };
  }
  return out;
}

/** Loads a case the staff member may see (jurisdiction + denunciation rule), else 404. */
export async function visibleCase(ctx: AppContext, p: StaffPrincipal, caseId: string) {
  if (!p.permissions.has('case.read')) throw forbidden('您的角色不能查看信访件');
  const row = await cases.findCase(ctx.store.db, caseId);
  if (!row) throw notFound();
  const f = await caseUnitFacts(ctx, row);
  if (!f.unitPaths.some((path) => path.startsWith(p.scope.path)) || hiddenByDenunciation(ctx, p, row)) throw notFound();
  return { row, ...f };
}

/** Actions this staff member may take on the case now. */
export function allowedActionsFor(p: StaffPrincipal, facts: CaseUnitFacts): StaffAction[] {
  return allowedStaffActions(actorFacts(p), facts);
}

export type ActionBody = Record<string, unknown>;

function str(body: ActionBody, key: string, label: string, opts: { min?: number; max?: number; optional?: boolean } = {}): string {
  const v = body[key];
  if (v === undefined || v === null || v === '') {
    if (opts.optional) return '';
    throw badInput(`请填写${label}`, { [key]: `请填写${label}` });
  }
  if (typeof v !== 'string') throw badInput(`${label}格式不正确`, { [key]: `${label}应为文字` });
  const s = v.trim();
  if (s.length < (opts.min ?? 1)) throw badInput(`${label}至少 ${opts.min ?? 1} 个字`, { [key]: `${label}过短` });
  if (s.length > (opts.max ?? 5000)) throw badInput(`${label}不能超过 ${opts.max ?? 5000} 个字`, { [key]: `${label}过长` });
  return s;
}

function targetUnit(ctx: AppContext, p: StaffPrincipal, row: CaseRow, body: ActionBody): Unit {
  const id = str(body, 'unitId', '承办单位', { max: 64 });
  const u = ctx.units.get(id);
  if (!u) throw badInput('承办单位不存在', { unitId: '承办单位不存在' });
  if (u.kind !== 'department' && u.kind !== 'bureau') throw badInput('只能交办或转送给职能部门或信访部门', { unitId: '请选择具体的承办单位' });
  if (!u.path.startsWith(p.scope.path)) throw forbidden('只能交办或转送给本辖区内的单位');
  if (row.is_denunciation) {
    const accused = JSON.parse(row.accused_unit_ids) as string[];
    if (accused.some((a) => u.path.startsWith(a))) throw forbidden('检举揭发件不得交由被检举的单位办理');
  }
  return u;
}

/** Performs a staff workflow action: policy check, state transition, event, notification. */
export async function performAction(ctx: AppContext, p: StaffPrincipal, caseId: string, action: StaffAction, body: ActionBody): Promise<CaseRow> {
  const fieldErrors = actionFieldErrors(action, body);
  if (fieldErrors) throw badInput(`请求含有此操作不接受或格式不对的项目：${Object.keys(fieldErrors).join('、')}`, fieldErrors);
  await visibleCase(ctx, p, caseId);
  const actor: Actor = { kind: 'staff', id: p.account.id, unitId: p.unit.id };
  return mutateCase(ctx, caseId, actor, async (row, t) => {
    // Decide on the locked, freshly read row: a concurrent action cannot slip between check and write.
    const { facts, assignments } = await caseUnitFacts(ctx, row, t.tx);
    const decision = decideStaffAction(action, actorFacts(p), facts);
    if (!decision.ok) {
      if (decision.status === 403) throw forbidden(decision.reason);
      throw decision.code ? conflict(decision.reason, decision.code) : conflict(`${decision.reason}（当前状态：${stateLabel(row.state as CaseState)}）`, 'invalid_state');
    }
    const next = nextState(facts, action)!;
    const active = assignments.find((a) => a.status === 'pending' || a.status === 'signed');
    // The document the action issues (受理告知书, 交办函 …) is rendered and stored in this same transaction.
    return withActionDocuments(ctx, t, p, row, await buildMutation(ctx, p, row, action, next, body, active, t.tx), active, body);
  });
}

/** SMS to the petitioner's phone and e-mail to the address of a case filed by e-mail (services/petitioner-notify.ts). */
function petitionerSms(ctx: AppContext, row: CaseRow, template: string, payload: Record<string, unknown>): Mutation['outbox'] {
  return petitionerMessages(ctx, row, template, payload);
}

async function buildMutation(
  ctx: AppContext,
  p: StaffPrincipal,
  row: CaseRow,
  action: StaffAction,
  next: CaseState,
  body: ActionBody,
  active: cases.AssignmentRow | undefined,
  tx: Tx,
): Promise<Mutation> {
  const now = ctx.clock.now().toISOString();
  const d = today(ctx);
  const due = new DueDates(ctx);
  switch (action) {
    case 'accept': {
      const dueReply = due.due('handling', d);
      return {
        patch: { state: next, accepted_at: now, due_reply: dueReply, uncovered_years: due.merged(row.uncovered_years) },
        events: [{ type: 'accepted', visibility: 'public', payload: { unitId: row.receiving_unit_id, dueReply, note: str(body, 'note', '受理意见', { optional: true, max: 1000 }) || null } }],
        outbox: petitionerSms(ctx, row, 'case_accepted', { dueReply }),
      };
    }
    case 'reject': {
      const reasonCode = str(body, 'reasonCode', '不予受理理由', { max: 64 });
      const guidance = str(body, 'guidanceChannel', '引导渠道', { max: 64 });
      const fields: Record<string, string> = {};
      if (!rejectReasonCodes.has(reasonCode)) fields.reasonCode = '请从列表中选择不予受理理由';
      if (!guidanceCodes.has(guidance)) fields.guidanceChannel = '请从列表中选择应当反映的渠道';
      if (Object.keys(fields).length) throw badInput('不予受理须写明理由和应当反映的渠道', fields);
      const explanation = str(body, 'explanation', '说明', { optional: true, max: 2000 });
      const channel = guidanceChannels.find((g) => g.code === guidance)!;
      return {
        patch: { state: next, closed_at: now },
        events: [
          {
            type: 'rejected',
            visibility: 'public',
            payload: {
              reasonCode,
              reason: nameOf(rejectReasons, reasonCode),
              guidanceChannel: guidance,
              guidance: channel.name,
              guidanceText: channel.text,
              explanation: explanation || null,
            },
          },
        ],
        outbox: petitionerSms(ctx, row, 'case_rejected', { guidance: channel.name }),
      };
    }
    case 'assign':
    case 'forward': {
      const unit = targetUnit(ctx, p, row, body);
      if (assignmentsBlockSameUnit(row, unit, active)) throw conflict('该单位已在办理此件');
      const instructions = str(body, 'instructions', '交办意见', { optional: true, max: 2000 });
      const dueReturn = due.due('returnWindow', d);
      const dueReply = row.due_reply ?? due.due('handling', d);
      const assignment: cases.AssignmentRow = {
        id: crypto.randomUUID(),
        case_id: row.id,
        unit_id: unit.id,
        kind: action === 'assign' ? 'assign' : 'forward',
        status: 'pending',
        assigned_by: p.account.id,
        assigned_at: now,
        due_date: dueReply,
        signed_at: null,
        returned_at: null,
        return_reason: null,
        instructions: instructions || null,
      };
      return {
        patch: { state: next, current_unit_id: unit.id, assigned_at: row.assigned_at ?? now, due_return: dueReturn, due_reply: dueReply, uncovered_years: due.merged(row.uncovered_years) },
        events: [
          {
            type: action === 'assign' ? 'assigned' : 'forwarded',
            visibility: 'public',
            payload: { unitId: unit.id, unitName: unit.name, kind: assignment.kind, dueReply, dueReturn },
          },
          ...(instructions ? [{ type: 'note', visibility: 'internal' as const, payload: { text: `交办意见：${instructions}` } }] : []),
        ],
        outbox: [...(petitionerSms(ctx, row, 'case_forwarded', { unitName: unit.name }) ?? []), ...unitNotice(ctx, unit.id, 'unit_assigned', { caseNo: caseNumber(row), title: row.title, dueReply })],
        also: async (t) => {
          await cases.insertAssignment(t, assignment);
          await cases.addCaseUnit(t, row.id, unit.id, unit.path, 'assigned');
        },
      };
    }
    case 'sign':
      return {
        patch: { state: next, due_return: null },
        events: [{ type: 'signed', visibility: 'public', payload: { unitId: p.unit.id, unitName: p.unit.name } }],
        also: (t) => cases.updateAssignment(t, active!.id, { status: 'signed', signed_at: now }),
      };
    case 'return': {
      const reason = str(body, 'reason', '退回理由', { min: 5, max: 2000 });
      return {
        patch: { state: next, current_unit_id: row.receiving_unit_id, due_return: null },
        events: [{ type: 'returned', visibility: 'internal', payload: { unitId: p.unit.id, unitName: p.unit.name, reason } }],
        also: (t) => cases.updateAssignment(t, active!.id, { status: 'returned', returned_at: now, return_reason: reason }),
      };
    }
    case 'urge':
    case 'supervise': {
      const message = str(body, 'message', action === 'urge' ? '催办意见' : '督办意见', { max: 2000 });
      const targetId = active?.unit_id ?? row.receiving_unit_id;
      return {
        patch: action === 'supervise' ? { supervised: 1 } : {},
        events: [
          {
            type: action === 'urge' ? 'urged' : 'supervised',
            visibility: 'public',
            payload: { unitId: targetId, unitName: ctx.units.displayName(targetId), byUnitName: p.unit.name },
          },
          { type: 'note', visibility: 'internal', payload: { text: `${action === 'urge' ? '催办' : '督办'}意见：${message}` } },
        ],
      };
    }
    case 'request-extension': {
      const days = Number(body.days);
      if (!Number.isInteger(days) || days < 1 || days > maxExtensionDays - row.extension_days) {
        throw badInput(`延期天数须为 1 至 ${maxExtensionDays - row.extension_days} 天`, { days: `最多还可延长 ${maxExtensionDays - row.extension_days} 天` });
      }
      const reason = str(body, 'reason', '延期理由', { min: 5, max: 2000 });
      return {
        patch: { pending_extension: JSON.stringify({ days, reason, requestedBy: p.account.id, unitId: p.unit.id, at: now }) },
        events: [{ type: 'extension_requested', visibility: 'internal', payload: { days, reason } }],
      };
    }
    case 'approve-extension': {
      const pending = JSON.parse(row.pending_extension!) as { days: number; reason: string };
      const approve = body.approve !== false;
      if (!approve) {
        return {
          patch: { pending_extension: null },
          events: [{ type: 'extension_denied', visibility: 'internal', payload: { days: pending.days, note: str(body, 'note', '意见', { optional: true }) || null } }],
        };
      }
      const total = row.extension_days + pending.days;
      const dueReply = due.due('handling', localDate(row.accepted_at ?? row.submitted_at), total);
      return {
        patch: { pending_extension: null, extension_days: total, due_reply: dueReply, uncovered_years: due.merged(row.uncovered_years) },
        events: [{ type: 'extension_approved', visibility: 'public', payload: { days: pending.days, reason: pending.reason, dueReply } }],
        outbox: petitionerSms(ctx, row, 'case_extended', { dueReply, reason: pending.reason }),
      };
    }
    case 'reply': {
      const text = str(body, 'text', '答复意见', { min: 10, max: 20000 });
      const attachmentIds = await replyAttachmentIds(tx, p, row, body.attachmentIds);
      const dueReview = due.due('reviewRequest', d);
      return {
        patch: { state: next, replied_at: now, reply_received_at: null, due_review_request: dueReview, uncovered_years: due.merged(row.uncovered_years) },
        events: [{ type: 'replied', visibility: 'public', payload: { unitId: p.unit.id, unitName: p.unit.name, text, attachmentIds, dueReviewRequest: dueReview } }],
        outbox: petitionerSms(ctx, row, 'case_replied', { dueReviewRequest: dueReview }),
        also: (t) => cases.updateAssignment(t, active!.id, { status: 'replied' }),
      };
    }
    case 'review-decision': {
      const text = str(body, 'text', '复查（复核）意见', { min: 10, max: 20000 });
      const outcome = body.outcome === 'changed' ? 'changed' : body.outcome === 'upheld' ? 'upheld' : null;
      if (!outcome) throw badInput('请选择维持或变更原处理意见', { outcome: '请选择 upheld（维持）或 changed（变更）' });
      const level = row.review_level;
      const dueNext = level >= 2 ? null : due.due('reReviewRequest', d);
      return {
        patch: { state: next, due_review_request: dueNext, due_review_decision: null, ...(next === 'final' ? { closed_at: now } : {}), uncovered_years: due.merged(row.uncovered_years) },
        events: [{ type: 'review_decided', visibility: 'public', payload: { level, label: level >= 2 ? '复核' : '复查', outcome, text, unitName: p.unit.name, dueReReviewRequest: dueNext } }],
        outbox: petitionerSms(ctx, row, 'review_decided', { level }),
      };
    }
    case 'merge': {
      const intoId = str(body, 'intoCaseId', '合并到的信访件', { max: 64 });
      if (intoId === row.id) throw badInput('不能合并到自身', { intoCaseId: '不能合并到自身' });
      const into = await cases.findCase(tx, intoId);
      if (!into) throw badInput('要合并到的信访件不存在', { intoCaseId: '信访件不存在' });
      const intoVisible = (await caseUnitFacts(ctx, into, tx)).unitPaths.some((x) => x.startsWith(p.scope.path));
      if (!intoVisible) throw badInput('要合并到的信访件不存在', { intoCaseId: '信访件不存在' });
      if (isTerminal(into.state as CaseState)) throw conflict('只能合并到尚在办理中的信访件');
      // Earlier = submitted before, or in the same instant with a lower registration number.
      const intoLater = into.submitted_at > row.submitted_at || (into.submitted_at === row.submitted_at && Number(into.seq_no) > Number(row.seq_no));
      if (intoLater) throw conflict('只能合并到更早登记的信访件');
      return {
        patch: { state: next, merged_into: into.id, closed_at: now, pending_extension: null },
        events: [
          {
            type: 'merged',
            visibility: 'public',
            // fromState and the superseded assignment let 撤销合并 put the case back where it stood.
            payload: { intoCaseId: into.id, intoCaseNo: caseNumber(into), fromState: row.state, assignment: active ? { id: active.id, status: active.status } : null },
          },
        ],
        // A unit handling the later case stops: its assignment is superseded by the earlier case's.
        also: async (t: TxContext) => {
          if (active) await cases.updateAssignment(t, active.id, { status: 'superseded' });
          // The earlier case is now found by the merged case's words as well.
          await indexCaseWithMerged(t, into);
        },
      };
    }
    case 'unmerge': {
      const reason = str(body, 'reason', '撤销合并的理由', { min: 5, max: 2000 });
      const m = (await lastMerge(tx, row.id))!;
      const into = row.merged_into ? await cases.findCase(tx, row.merged_into) : undefined;
      return {
        // The case resumes where it stood; its due dates were kept and its clocks run again.
        patch: { state: next, merged_into: null, closed_at: null },
        events: [
          { type: 'unmerged', visibility: 'public', payload: { fromCaseId: m.intoCaseId, fromCaseNo: m.intoCaseNo, state: next } },
          { type: 'note', visibility: 'internal', payload: { text: `撤销合并理由：${reason}` } },
        ],
        also: async (t: TxContext) => {
          if (m.assignment) await cases.updateAssignment(t, m.assignment.id, { status: m.assignment.status });
          // The earlier case is no longer found by this case's words.
          if (into) await indexCaseWithMerged(t, into);
        },
      };
    }
    case 'close': {
      // The review window was checked by the policy (closedWindows) on this locked row.
      const satisfied = row.evaluation === 'satisfied' || row.evaluation === 'basically_satisfied';
      return { patch: { state: next, closed_at: now }, events: [{ type: 'closed', visibility: 'public', payload: { reason: satisfied ? 'satisfied' : 'window_expired' } }] };
    }
    case 'note':
      return { patch: {}, events: [{ type: 'note', visibility: 'internal', payload: { text: str(body, 'text', '批注内容', { max: 5000 }) } }] };
  }
}

/**
 * The files a reply cites: reply attachments of this very case uploaded by the replying unit. An id
 * of another case's file, of the petitioner's own material or of another unit's upload is refused,
 * so a reply can never expose or borrow a file that does not belong to it.
 */
async function replyAttachmentIds(tx: Tx, p: StaffPrincipal, row: CaseRow, raw: unknown): Promise<string[]> {
  if (raw === undefined || raw === null) return [];
  const bad = (msg: string) => badInput(msg, { attachmentIds: msg });
  if (!Array.isArray(raw) || raw.some((x) => typeof x !== 'string' || x.length === 0 || x.length > 64)) throw bad('答复附件应为附件编号的列表');
  const ids = [...new Set(raw as string[])];
  if (ids.length > 50) throw bad('答复附件过多');
  if (ids.length === 0) return [];
  const found = await cases.attachmentsWithUploaderUnit(tx, row.id, ids);
  const usable = new Set(found.filter((a) => a.purpose === 'reply' && a.unit_id === p.unit.id).map((a) => a.id));
  if (ids.some((id) => !usable.has(id))) throw bad('答复附件须是本单位为本件上传的答复材料，请重新上传');
  return ids;
}

function assignmentsBlockSameUnit(_row: CaseRow, unit: Unit, active: cases.AssignmentRow | undefined): boolean {
  return active?.unit_id === unit.id;
}

function localDate(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
}

interface BaseQueueQuery {
  state?: string | undefined;
  due?: 'soon' | 'overdue' | undefined;
  q?: string | undefined;
  unit?: string | undefined;
  category?: string | undefined;
  channel?: string | undefined;
  page: number;
  pageSize: number;
}

export type QueueQuery = BaseQueueQuery & WorkbenchQuery;

/** The cases this staff member may see, filtered. */
export async function queue(ctx: AppContext, p: StaffPrincipal, q: QueueQuery) {
  if (!p.permissions.has('case.read')) throw forbidden('您的角色不能查看信访件');
  let unitPath: string | undefined;
  if (q.unit) {
    const u = ctx.units.get(q.unit);
    if (!u) throw badInput('单位不存在', { unit: '单位不存在' });
    unitPath = u.path;
  }
  // Pages go as far as the counted total does (XINFANG_COUNT_CAP, default 1,000 cases): beyond it
  // a filter or a search narrows the list, rather than the database skipping tens of thousands of rows.
  const cap = ctx.config.countCap;
  if (q.page > 1 && (q.page - 1) * q.pageSize >= cap) {
    const last = Math.ceil(cap / q.pageSize);
    throw badInput(`列表最多翻到前 ${cap} 件（每页 ${q.pageSize} 件时为第 ${last} 页），请用筛选条件或搜索缩小范围`, { page: `页码不能超过 ${last}` });
  }
  const d = today(ctx);
  let soon: string | undefined;
  if (q.due === 'soon') soon = ctx.calendar.addWorkingDays(d, 3).date;
  const { rows, total, totalCapped } = await cases.queueCases(ctx.store.db, {
    scopePath: jurisdictionPath(ctx, p),
    excludeAccusedPaths: ctx.units.ancestorPaths(p.unit.id),
    ...workbenchFilter(ctx, p, q),
    dueBefore: soon,
    overdueOn: q.due === 'overdue' ? d : undefined,
    q: q.q,
    unitPath,
    categoryCode: q.category,
    channel: q.channel,
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
    countCap: cap,
  });
  return { rows, total, totalCapped };
}
