/** Presents cases: the public tracking view (no personal data, nothing internal) and the staff view. */
import type { AppContext } from './context.js';
import { caseNumber } from './case.service.js';
import { petitionerDocumentViews, signatureAwaiting } from './document.service.js';
import { currentDeadlines, deadlineSpecs, deadlineSummary, today, withCountdowns, type DeadlineSpec } from './deadlines.js';
import { nextState, stateLabel, type CaseState } from '../domain/case-state.js';
import { categories, nameOf } from '../domain/catalog.js';
import { maskAddress, maskName, maskPhone } from '../domain/masking.js';
import { compareDates } from '../domain/calendar.js';
import * as cases from '../store/case.repository.js';
import type { CaseRow, EventRow, ListRow } from '../store/case.repository.js';
import { repeatOfCase } from '../store/stats.repository.js';
import { listDocuments, type DocumentMeta } from '../store/document.repository.js';

/** What the views need of the context to name units (the tracking projection is built with only this). */
type Units = Pick<AppContext, 'units'>;

const eventLabels: Record<string, string> = {
  submitted: '登记',
  accepted: '受理',
  rejected: '不予受理',
  assigned: '交办',
  forwarded: '转送',
  signed: '承办单位签收',
  returned: '承办单位退回',
  urged: '催办',
  supervised: '督办',
  extension_requested: '申请延期',
  extension_approved: '延期',
  extension_denied: '延期未获批准',
  replied: '答复',
  evaluated: '评价',
  review_requested: '申请复查/复核',
  review_decided: '复查/复核意见',
  merged: '合并办理',
  unmerged: '撤销合并',
  closed: '办结',
  withdrawn: '撤回',
  message: '留言',
  note: '内部批注',
  pii_unmasked: '查看完整个人信息',
  receipt_confirmed: '确认收到答复',
  attachment_added: '补充材料',
  document_issued: '制发文书',
  document_signed: '信访人签署文书',
  signature_disputed: '信访人报告“这不是我签的”',
  document_downloaded: '下载文书',
  published: '阳光信访公开',
  unpublished: '撤回公开',
  split_out: '拆分另立新件',
  split_from: '由原件拆分登记',
  supervision_opened: '列入督办',
  supervision_note: '督办意见',
  supervision_answered: '被督办单位报告',
  supervision_returned: '督办报告退回重办',
  supervision_reminded: '督办逾期催报',
  supervision_closed: '督办办结',
  supervision_escalated: '提级督办',
  inspection_finding: '督导检查意见',
  correction_required: '整改要求',
  correction_reported: '整改情况报告',
  correction_accepted: '整改验收通过',
  correction_reopened: '整改未通过验收',
};

/** A short Chinese sentence for an event, safe for the petitioner to read. */
function describe(ctx: Units, e: EventRow, p: Record<string, unknown>): string {
  const s = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : '');
  switch (e.type) {
    case 'submitted':
      return `信访件已登记，编号 ${s('caseNo')}，受理机关：${ctx.units.displayName(s('receivingUnitId'))}`;
    case 'accepted':
      return `已受理，应于 ${s('dueReply')} 前办理答复`;
    case 'rejected':
      return `不予受理：${s('reason')}。${s('guidanceText')}`;
    case 'assigned':
      return `已交办 ${s('unitName')} 办理（交办件，一盯到底），答复期限 ${s('dueReply')}`;
    case 'forwarded':
      return `已转送 ${s('unitName')} 办理，答复期限 ${s('dueReply')}`;
    case 'signed':
      return `${s('unitName')} 已签收，正在办理`;
    case 'urged':
      return `${s('byUnitName')} 已向 ${s('unitName')} 催办`;
    case 'supervised':
      return `${s('byUnitName')} 已对本件督办`;
    case 'extension_approved':
      return `办理期限延长 ${String(p.days)} 天至 ${s('dueReply')}，理由：${s('reason')}`;
    case 'replied':
      return `${s('unitName')} 已作出答复，如不服可于 ${s('dueReviewRequest')} 前申请复查`;
    case 'evaluated':
      return `信访人评价：${s('label')}`;
    case 'review_requested':
      return `信访人申请${s('label')}，应于 ${s('due')} 前作出意见`;
    case 'review_decided':
      return `${s('unitName')} 作出${s('label')}意见（${p.outcome === 'changed' ? '变更原处理意见' : '维持原处理意见'}）`;
    case 'merged':
      return `与信访件 ${s('intoCaseNo')} 合并办理`;
    case 'unmerged':
      return `撤销与信访件 ${s('fromCaseNo')} 的合并，本件恢复单独办理`;
    case 'split_out':
      return `信访人补充反映的内容经核实不是同一事项，已另立为信访件 ${s('newCaseNo')} 办理，查询码已另行告知信访人`;
    case 'split_from':
      return `由信访件 ${s('fromCaseNo')} 中信访人补充反映的内容拆分，另立本件办理`;
    case 'closed':
      return '已办结';
    case 'withdrawn':
      return '信访人已撤回';
    case 'message':
      return p.from === 'petitioner' ? '信访人留言' : '工作人员回复留言';
    case 'receipt_confirmed':
      return '信访人已确认收到答复';
    case 'attachment_added':
      // The filename is free text (often a name or an ID number) and this line is public: leave it out.
      return p.purpose === 'reply' ? '承办单位上传了答复材料' : '信访人补充了材料';
    case 'document_issued':
      return `${s('unitName')} 制发《${s('title')}》（${s('docNo')}）`;
    case 'signature_disputed':
      return `信访人报告《${s('title')}》（${s('docNo')}）不是本人所签，已报上一级信访部门督办`;
    case 'supervision_opened':
      return `本件已列入${s('byUnitName')}督办，责成${s('unitName')}于 ${s('dueDate')} 前报告办理情况`;
    case 'supervision_answered':
      return `${s('unitName')}已向督办单位书面报告办理情况`;
    case 'supervision_closed':
      return `${s('byUnitName')}督办事项已办结`;
    case 'supervision_escalated':
      return `本件已提级由${s('toUnitName')}督办，责成${s('unitName')}于 ${s('dueDate')} 前报告办理情况`;
    case 'document_signed':
      return `信访人本人已签署《${s('title')}》（${s('docNo')}）`;
    case 'document_downloaded':
      return `下载《${s('title')}》（${s('docNo')}）`;
    default:
      return eventLabels[e.type] ?? e.type;
  }
}

function timelineEntry(ctx: Units, e: EventRow, includeActor: boolean) {
  const payload = JSON.parse(e.payload) as Record<string, unknown>;
  const text = typeof payload.text === 'string' ? payload.text : null;
  return {
    seq: e.seq,
    type: e.type,
    label: eventLabels[e.type] ?? e.type,
    at: e.at,
    visibility: e.visibility as 'public' | 'internal',
    summary: describe(ctx, e, payload),
    text,
    comment: typeof payload.comment === 'string' ? payload.comment : null,
    ...(includeActor ? { actorKind: e.actor_kind, actorUnitName: e.actor_unit_id ? ctx.units.displayName(e.actor_unit_id) : null, payload } : {}),
  };
}

function attachmentView(a: cases.AttachmentRow) {
  return { id: a.id, filename: a.filename, mime: a.mime, size: a.size, sha256: a.sha256, purpose: a.purpose, createdAt: a.created_at };
}

/**
 * What the petitioner may do in the case's current state, before the one rule that depends on the
 * day: a review may be requested only until `reviewUntil`.
 */
export function citizenActionsOfState(row: CaseRow): { actions: string[]; reviewUntil: string | null } {
  const facts = { state: row.state as CaseState, reviewLevel: row.review_level, hasPendingExtension: row.pending_extension !== null, evaluated: row.evaluation !== null };
  const actions: string[] = [];
  for (const a of ['message', 'withdraw', 'evaluate', 'review-request', 'confirm-receipt'] as const) {
    if (nextState(facts, a) === null) continue;
    if (a === 'confirm-receipt' && row.reply_received_at) continue;
    actions.push(a);
  }
  return { actions, reviewUntil: row.due_review_request };
}

/** The actions of `citizenActionsOfState` still open on `day`. */
export function actionsOn(parts: { actions: readonly string[]; reviewUntil: string | null }, day: string): string[] {
  const late = parts.reviewUntil !== null && compareDates(day, parts.reviewUntil) > 0;
  return late ? parts.actions.filter((a) => a !== 'review-request') : [...parts.actions];
}

/** What the petitioner can do now (for the portal's buttons). */
export function citizenAllowed(ctx: AppContext, row: CaseRow): string[] {
  return actionsOn(citizenActionsOfState(row), today(ctx));
}

/**
 * The public tracking view in two parts: `view`, everything that depends only on what is recorded
 * about the case (it changes only when the case does), and what depends on the day as well — the
 * deadlines' countdowns and whether a review may still be requested.
 */
export interface TrackingParts {
  view: ReturnType<typeof trackingStatic>;
  deadlines: DeadlineSpec[];
  actions: string[];
  reviewUntil: string | null;
}

function trackingStatic(ctx: Units, row: CaseRow, allEvents: readonly EventRow[], attachments: readonly cases.AttachmentRow[], documentList: DocumentMeta[]) {
  const events = allEvents.filter((e) => e.visibility === 'public');
  const replies = events
    .filter((e) => e.type === 'replied' || e.type === 'review_decided')
    .map((e) => {
      const p = JSON.parse(e.payload) as { text?: string; unitName?: string; attachmentIds?: string[] };
      return {
        at: e.at,
        kind: e.type === 'replied' ? 'reply' : 'review',
        unitName: p.unitName ?? null,
        text: p.text ?? '',
        attachments: attachments.filter((a) => p.attachmentIds?.includes(a.id)).map(attachmentView),
      };
    });
  const awaiting: { kind: string; label: string; until: string | null; documentId?: string }[] = [];
  if (['replied', 'reviewed', 'final'].includes(row.state)) {
    if (!row.reply_received_at) awaiting.push({ kind: 'confirm-receipt', label: '请确认已收到答复意见', until: null });
    if (!row.evaluation) awaiting.push({ kind: 'evaluate', label: '请对办理结果进行评价', until: null });
    if (row.state !== 'final' && row.due_review_request) {
      awaiting.push({ kind: 'review-request', label: row.review_level === 0 ? '如不服答复，可申请复查' : '如不服复查意见，可申请复核', until: row.due_review_request });
    }
  }
  const documents = petitionerDocumentViews(ctx, row, documentList);
  awaiting.push(...signatureAwaiting(documents));
  return {
    id: row.id,
    caseNo: caseNumber(row),
    state: row.state,
    stateLabel: stateLabel(row.state as CaseState),
    title: row.title,
    category: nameOf(categories, row.category_code),
    regionName: ctx.units.displayName(row.region_code),
    channel: row.channel,
    receivingUnitName: ctx.units.displayName(row.receiving_unit_id),
    currentUnitName: ctx.units.displayName(row.current_unit_id),
    submittedAt: row.submitted_at,
    evaluation: row.evaluation,
    supervised: row.supervised === 1,
    timeline: events.map((e) => timelineEntry(ctx, e, false)),
    replies,
    documents,
    awaitingPetitioner: awaiting,
  };
}

/** The tracking view's parts from the case row and everything recorded on it (events, attachments, documents). */
export function trackingParts(
  ctx: Units,
  row: CaseRow,
  events: readonly EventRow[],
  attachments: readonly cases.AttachmentRow[],
  documentList: DocumentMeta[],
): TrackingParts {
  return { view: trackingStatic(ctx, row, events, attachments, documentList), deadlines: deadlineSpecs(row), ...citizenActionsOfState(row) };
}

/** The whole tracking view from its parts, as of `day` (default: today). */
export function trackingFromParts(ctx: AppContext, parts: TrackingParts, day = today(ctx)) {
  return { ...parts.view, deadlines: withCountdowns(ctx, parts.deadlines, day), allowedActions: actionsOn(parts, day) };
}

/** The public tracking view: state and public timeline, no personal data, nothing internal. */
export async function trackingView(ctx: AppContext, row: CaseRow) {
  const db = ctx.store.db;
  const parts = trackingParts(ctx, row, await cases.listEvents(db, row.id), await cases.listAttachments(db, row.id), await listDocuments(db, row.id));
  return trackingFromParts(ctx, parts);
}

/** The petitioner's own view adds the content, their attachments and the query code. */
export async function ownerView(ctx: AppContext, row: CaseRow) {
  const base = await trackingView(ctx, row);
  const attachments = await cases.listAttachments(ctx.store.db, row.id);
  return {
    ...base,
    queryCode: ctx.crypto.decrypt(row.query_code_enc),
    content: row.content,
    address: ctx.crypto.decryptOptional(row.address_enc),
    publicConsent: row.public_consent === 1,
    coPetitioners: row.co_petitioners_enc ? (JSON.parse(ctx.crypto.decrypt(row.co_petitioners_enc)) as unknown[]) : [],
    attachments: attachments.map(attachmentView),
  };
}

/** One line of a list (my cases, office queue). */
export function listItem(ctx: AppContext, row: ListRow) {
  return {
    id: row.id,
    caseNo: caseNumber(row),
    title: row.title,
    state: row.state,
    stateLabel: stateLabel(row.state as CaseState),
    category: nameOf(categories, row.category_code),
    categoryCode: row.category_code,
    regionCode: row.region_code,
    regionName: ctx.units.displayName(row.region_code),
    channel: row.channel,
    currentUnitName: ctx.units.displayName(row.current_unit_id),
    submittedAt: row.submitted_at,
    deadlines: currentDeadlines(ctx, row),
    supervised: row.supervised === 1,
    isDenunciation: row.is_denunciation === 1,
  };
}

/** The staff case page: content, masked petitioners, full timeline with internal notes. */
export async function staffView(ctx: AppContext, row: CaseRow, assignments: cases.AssignmentRow[], allowedActions: string[]) {
  const events = await cases.listEvents(ctx.store.db, row.id);
  const attachments = await cases.listAttachments(ctx.store.db, row.id);
  const name = ctx.crypto.decryptOptional(row.petitioner_name_enc);
  const phone = ctx.crypto.decryptOptional(row.petitioner_phone_enc);
  const address = ctx.crypto.decryptOptional(row.address_enc);
  const co = row.co_petitioners_enc ? (JSON.parse(ctx.crypto.decrypt(row.co_petitioners_enc)) as { name: string; phone?: string; representative?: boolean }[]) : [];
  return {
    ...listItem(ctx, row),
    content: row.content,
    target: row.target,
    receivingUnitId: row.receiving_unit_id,
    currentUnitId: row.current_unit_id,
    reviewLevel: row.review_level,
    evaluation: row.evaluation,
    mergedInto: row.merged_into,
    /** 重复信访: the open case this one may repeat (merge with the merge action, or split). */
    repeatOf: await repeatOfCase(ctx.store.db, row.id),
    pendingExtension: row.pending_extension ? (JSON.parse(row.pending_extension) as unknown) : null,
    extensionDays: row.extension_days,
    dueDates: deadlineSummary(row),
    petitioner: {
      name: name ? maskName(name) : null,
      phone: phone ? maskPhone(phone) : null,
      address: address ? maskAddress(address) : null,
      registered: row.petitioner_id !== null,
    },
    coPetitioners: co.map((c) => ({ name: maskName(c.name), phone: c.phone ? maskPhone(c.phone) : null, representative: c.representative === true })),
    publicConsent: row.public_consent === 1,
    assignments: assignments.map((a) => ({
      id: a.id,
      unitId: a.unit_id,
      unitName: ctx.units.displayName(a.unit_id),
      kind: a.kind,
      status: a.status,
      assignedAt: a.assigned_at,
      dueDate: a.due_date,
      signedAt: a.signed_at,
      returnedAt: a.returned_at,
      returnReason: a.return_reason,
    })),
    attachments: attachments.map(attachmentView),
    timeline: events.map((e) => timelineEntry(ctx, e, true)),
    headHash: row.head_hash,
    allowedActions,
  };
}
