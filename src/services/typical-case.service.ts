/**
 * 典型案例: a case held up across the province as a good or bad example. A supervisor or leader
 * proposes it with commentary in redacted text (the machine removes what it recognises, the
 * proposer checks the rest); a leader whose jurisdiction covers the unit concerned approves
 * (publishing it to all staff) or rejects it; with the petitioner's consent it also appears on
 * 阳光信访. Each step is an internal event on the case.
 */
import crypto from 'node:crypto';
import type { AppContext } from './context.js';
import type { StaffPrincipal } from './auth.service.js';
import { badInput, conflict, forbidden, notFound } from './errors.js';
import { caseNumber } from './case.service.js';
import { mutateCase, type Actor } from './case-mutation.js';
import { visibleCase } from './office.service.js';
import { knownPersonalData, latestReply } from './sunshine.service.js';
import { unitNotice } from './notify.service.js';
import { categories, nameOf } from '../domain/catalog.js';
import { personalDataIn, personalDataLabels, redactText, type KnownPersonalData } from '../domain/redaction.js';
import { localDateOf } from '../domain/calendar.js';
import * as repo from '../store/assessment.repository.js';

export type TypicalKind = 'good' | 'bad';
export const typicalKindLabels: Record<TypicalKind, string> = { good: '正面典型', bad: '反面典型' };
const statusLabels: Record<string, string> = { proposed: '待审定', published: '已发布', rejected: '未通过', withdrawn: '已撤回' };

export interface TypicalText {
  title: string;
  summary: string;
  commentary: string;
}

const actorOf = (p: StaffPrincipal): Actor => ({ kind: 'staff', id: p.account.id, unitId: p.unit.id });

/** Refuses text that still carries personal data of the case's people (400 naming the fields). */
function checkRedacted(known: KnownPersonalData, text: TypicalText): void {
  const fields: Record<string, string> = {};
  for (const key of ['title', 'summary', 'commentary'] as const) {
    const kinds = personalDataIn(text[key], known);
    if (kinds.length > 0) fields[key] = `仍含有${kinds.map((k) => personalDataLabels[k]).join('、')}，请删除后再提交`;
  }
  if (Object.keys(fields).length > 0) throw badInput('典型案例的文字仍含有个人信息，请删除后再提交', fields);
}

function view(ctx: AppContext, r: repo.TypicalCaseRow, p: StaffPrincipal | null) {
  const unit = ctx.units.get(r.unit_id);
  const canDecide = p !== null && p.permissions.has('typical.approve') && unit !== undefined && unit.path.startsWith(p.scope.path);
  return {
    id: r.id,
    caseId: r.case_id,
    kind: r.kind as TypicalKind,
    kindLabel: typicalKindLabels[r.kind as TypicalKind],
    status: r.status,
    statusLabel: statusLabels[r.status] ?? r.status,
    title: r.title,
    summary: r.summary,
    commentary: r.commentary,
    category: nameOf(categories, r.category_code),
    regionName: ctx.units.displayName(r.region_code),
    unitId: r.unit_id,
    unitName: ctx.units.displayName(r.unit_id),
    publicRequested: r.public_requested === 1,
    proposedUnitName: ctx.units.displayName(r.proposed_unit_id),
    proposedAt: r.proposed_at,
    decidedAt: r.decided_at,
    decisionNote: r.decision_note,
    allowed: {
      decide: canDecide && r.status === 'proposed',
      withdraw: canDecide && r.status === 'published',
    },
  };
}

/** GET the proposal form for a case: a redacted draft, consent, and any open proposal. */
export async function typicalDraft(ctx: AppContext, p: StaffPrincipal, caseId: string) {
  if (!p.permissions.has('typical.propose')) throw forbidden('您的角色不能推荐典型案例');
  const { row } = await visibleCase(ctx, p, caseId);
  const known = knownPersonalData(ctx, row);
  const reply = await latestReply(ctx.store.db, row.id);
  const open = await repo.openTypicalOfCase(ctx.store.db, row.id);
  const summary = [redactText(row.content, known), reply ? `办理情况：${redactText(reply.text, known)}` : ''].filter(Boolean).join('\n');
  return {
    caseId: row.id,
    caseNo: caseNumber(row),
    eligible: row.is_denunciation !== 1 && !open,
    problem: row.is_denunciation === 1 ? '检举揭发件不得作为典型案例' : open ? '本件已推荐为典型案例' : null,
    publicConsent: row.public_consent === 1,
    draft: { title: redactText(row.title, known), summary },
    existing: open ? view(ctx, open, p) : null,
  };
}

/** POST: proposes a case as a typical case (status proposed). */
export async function proposeTypical(ctx: AppContext, p: StaffPrincipal, caseId: string, input: TypicalText & { kind: TypicalKind; public: boolean }) {
  if (!p.permissions.has('typical.propose')) throw forbidden('您的角色不能推荐典型案例');
  await visibleCase(ctx, p, caseId);
  let saved: repo.TypicalCaseRow | undefined;
  await mutateCase(ctx, caseId, actorOf(p), async (row, t) => {
    if (row.is_denunciation === 1) throw conflict('检举揭发件不得作为典型案例', 'denunciation');
    if (row.state === 'merged') throw conflict('已合并的信访件不能作为典型案例，请推荐合并后的件', 'merged');
    if (await repo.openTypicalOfCase(t.tx, row.id)) throw conflict('本件已推荐为典型案例', 'already_proposed');
    checkRedacted(knownPersonalData(ctx, row), input);
    if (input.public && row.public_consent !== 1) throw badInput('信访人未同意公开，不能在阳光信访公开', { public: '信访人未同意公开' });
    const now = ctx.clock.now().toISOString();
    saved = {
      id: crypto.randomUUID(),
      case_id: row.id,
      kind: input.kind,
      status: 'proposed',
      title: input.title,
      summary: input.summary,
      commentary: input.commentary,
      category_code: row.category_code,
      region_code: row.region_code,
      unit_id: row.current_unit_id,
      public_requested: input.public ? 1 : 0,
      proposed_by: p.account.id,
      proposed_unit_id: p.unit.id,
      proposed_at: now,
      decided_by: null,
      decided_at: null,
      decision_note: null,
      withdrawn_at: null,
    };
    const r = saved;
    return {
      patch: {},
      events: [{ type: 'typical_proposed', visibility: 'internal', payload: { typicalId: r.id, kind: r.kind, kindLabel: typicalKindLabels[input.kind], unitName: p.unit.name } }],
      also: async (tt) => {
        await repo.insertTypical(tt.tx, r);
        await repo.recordEvent(tt.tx, { subjectKind: 'typical_case', subjectId: r.id, type: 'proposed', actorId: p.account.id, actorUnitId: p.unit.id, at: now, payload: { caseId: row.id, kind: r.kind } });
      },
    };
  });
  return view(ctx, saved!, p);
}

async function loadForDecision(ctx: AppContext, p: StaffPrincipal, id: string): Promise<repo.TypicalCaseRow> {
  if (!p.permissions.has('typical.approve')) throw forbidden('只有领导可以审定典型案例');
  const r = await repo.findTypical(ctx.store.db, id);
  if (!r) throw notFound('未找到该典型案例');
  const unit = ctx.units.get(r.unit_id);
  if (!unit || !unit.path.startsWith(p.scope.path)) throw forbidden('该典型案例涉及的单位不在您的辖区，不能审定');
  return r;
}

/** POST: a leader approves (publishes, possibly with edited text) or rejects a proposal. */
export async function decideTypical(ctx: AppContext, p: StaffPrincipal, id: string, input: { approve: boolean; note?: string | undefined; text?: Partial<TypicalText> | undefined; public?: boolean | undefined }) {
  const current = await loadForDecision(ctx, p, id);
  if (current.status !== 'proposed') throw conflict(`该典型案例${statusLabels[current.status] ?? ''}，不能再审定`, 'not_proposed');
  let result: repo.TypicalCaseRow | undefined;
  await mutateCase(ctx, current.case_id, actorOf(p), async (row, t) => {
    const r = await repo.findTypical(t.tx, id);
    if (!r || r.status !== 'proposed') throw conflict('该典型案例已审定', 'not_proposed');
    const now = ctx.clock.now().toISOString();
    const text: TypicalText = { title: input.text?.title ?? r.title, summary: input.text?.summary ?? r.summary, commentary: input.text?.commentary ?? r.commentary };
    const wantsPublic = input.public ?? r.public_requested === 1;
    if (input.approve) {
      checkRedacted(knownPersonalData(ctx, row), text);
      if (wantsPublic && row.public_consent !== 1) throw badInput('信访人未同意公开，不能在阳光信访公开', { public: '信访人未同意公开' });
    }
    const patch: Partial<repo.TypicalCaseRow> = input.approve
      ? { ...text, public_requested: wantsPublic ? 1 : 0, status: 'published', decided_by: p.account.id, decided_at: now, decision_note: input.note ?? null }
      : { status: 'rejected', decided_by: p.account.id, decided_at: now, decision_note: input.note ?? null };
    result = { ...r, ...patch };
    const type = input.approve ? 'typical_published' : 'typical_rejected';
    return {
      patch: {},
      events: [{ type, visibility: 'internal', payload: { typicalId: r.id, kind: r.kind, kindLabel: typicalKindLabels[r.kind as TypicalKind], unitName: p.unit.name, public: input.approve && wantsPublic, note: input.note ?? null } }],
      outbox: input.approve ? unitNotice(ctx, noticeUnit(ctx, r.unit_id), 'typical_published', { caseNo: caseNumber(row), title: text.title, kindLabel: typicalKindLabels[r.kind as TypicalKind] }) : [],
      also: async (tt) => {
        if (!(await repo.updateTypical(tt.tx, r.id, 'proposed', patch))) throw conflict('该典型案例已审定', 'not_proposed');
        await repo.recordEvent(tt.tx, { subjectKind: 'typical_case', subjectId: r.id, type: input.approve ? 'published' : 'rejected', actorId: p.account.id, actorUnitId: p.unit.id, at: now, payload: { note: input.note ?? null, public: input.approve && wantsPublic } });
      },
    };
  });
  return view(ctx, result!, p);
}

/** POST: takes a published typical case down (e.g. a mistake in it, or consent withdrawn). */
export async function withdrawTypical(ctx: AppContext, p: StaffPrincipal, id: string, reason: string) {
  const current = await loadForDecision(ctx, p, id);
  if (current.status !== 'published') throw conflict('只有已发布的典型案例可以撤回', 'not_published');
  let result: repo.TypicalCaseRow | undefined;
  await mutateCase(ctx, current.case_id, actorOf(p), async (_row, t) => {
    const now = ctx.clock.now().toISOString();
    const patch = { status: 'withdrawn', withdrawn_at: now };
    result = { ...current, ...patch };
    return {
      patch: {},
      events: [{ type: 'typical_withdrawn', visibility: 'internal', payload: { typicalId: id, reason } }],
      also: async () => {
        if (!(await repo.updateTypical(t.tx, id, 'published', patch))) throw conflict('只有已发布的典型案例可以撤回', 'not_published');
        await repo.recordEvent(t.tx, { subjectKind: 'typical_case', subjectId: id, type: 'withdrawn', actorId: p.account.id, actorUnitId: p.unit.id, at: now, payload: { reason } });
      },
    };
  });
  return view(ctx, result!, p);
}

/** In-app notices for a government go to its petition bureau (nobody reads the government's own box). */
export function noticeUnit(ctx: AppContext, unitId: string): string {
  const u = ctx.units.get(unitId);
  if (u?.kind === 'government') return ctx.units.childrenOf(u.id).find((c) => c.kind === 'bureau')?.id ?? u.id;
  return unitId;
}

/**
 * GET typical cases: published ones for every staff member (that is their purpose); proposals,
 * rejections and withdrawals only for proposers and approvers, about units in their jurisdiction.
 */
export async function listTypical(ctx: AppContext, p: StaffPrincipal, q: { status: 'published' | 'proposed' | 'rejected' | 'withdrawn'; page: number; pageSize: number }) {
  if (q.status !== 'published' && !p.permissions.has('typical.propose') && !p.permissions.has('typical.approve')) throw forbidden('您的角色只能查看已发布的典型案例');
  const l = repo.listTypical(ctx.store.db, { status: q.status, withinPath: q.status === 'published' ? undefined : p.scope.path, limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
  const [total, rows] = await Promise.all([l.count(), l.rows()]);
  return { total, page: q.page, pageSize: q.pageSize, items: rows.map((r) => view(ctx, r, p)) };
}

/** GET one typical case (published: any staff; otherwise the proposer's and approvers' jurisdiction). */
export async function getTypical(ctx: AppContext, p: StaffPrincipal, id: string) {
  const r = await repo.findTypical(ctx.store.db, id);
  if (!r) throw notFound('未找到该典型案例');
  if (r.status !== 'published') {
    const unit = ctx.units.get(r.unit_id);
    if (!(p.permissions.has('typical.propose') || p.permissions.has('typical.approve')) || !unit?.path.startsWith(p.scope.path)) throw notFound('未找到该典型案例');
  }
  const events = await repo.eventsOf(ctx.store.db, 'typical_case', r.id);
  return { ...view(ctx, r, p), history: events.map((e) => ({ type: e.type, at: e.at, unitName: e.actor_unit_id ? ctx.units.displayName(e.actor_unit_id) : null, payload: JSON.parse(e.payload) as Record<string, unknown> })) };
}

/** The public list on 阳光信访: published typical cases whose petitioner consented. */
export async function publicTypical(ctx: AppContext, q: { page: number; pageSize: number }) {
  const l = repo.listTypical(ctx.store.db, { status: 'published', publicOnly: true, limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
  const [total, rows] = await Promise.all([l.count(), l.rows()]);
  return {
    total,
    page: q.page,
    pageSize: q.pageSize,
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      kindLabel: typicalKindLabels[r.kind as TypicalKind],
      title: r.title,
      summary: r.summary,
      commentary: r.commentary,
      category: nameOf(categories, r.category_code),
      regionName: ctx.units.displayName(r.region_code),
      publishedDate: r.decided_at ? localDateOf(r.decided_at) : null,
    })),
  };
}

