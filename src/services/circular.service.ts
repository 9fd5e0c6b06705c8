/**
 * 通报: a leader issues a commendation or criticism circular to chosen units of the jurisdiction,
 * citing cases, inspections, typical cases or measures; it is numbered (冀信通〔2026〕3号), rendered
 * as a PDF like every other document, stored with its SHA-256, and each addressed unit is told in
 * the app and must acknowledge receipt (签收). The issuing side sees who has and who has not.
 */
import crypto from 'node:crypto';
import type { AppContext } from './context.js';
import type { StaffPrincipal } from './auth.service.js';
import { badInput, conflict, forbidden, notFound } from './errors.js';
import { today } from './deadlines.js';
import { caseNumber } from './case.service.js';
import { visibleCase } from './office.service.js';
import { noticeUnit } from './typical-case.service.js';
import { unitScope } from './assessment.service.js';
import type { Unit } from './units.js';
import { circularKindLabels, circularNumber, circularSpec, type CircularKind } from '../documents/circular.js';
import { unitAbbreviation } from '../documents/kinds.js';
import { renderPdf } from '../documents/render.js';
import { measureLabels } from '../domain/measures.js';
import { periodRange } from '../domain/assessment.js';
import { nextCounter } from '../store/case.repository.js';
import { enqueue } from '../store/outbox.repository.js';
import * as stats from '../store/stats.repository.js';
import * as repo from '../store/assessment.repository.js';
import { inTransaction } from '../store/tx.js';

export const citableMeasures = ['acceptance', 'assignment', 'completion', 'participation', 'satisfaction', 'repeat'] as const;
export type CitableMeasure = (typeof citableMeasures)[number];

export interface IssueInput {
  kind: CircularKind;
  title: string;
  body: string;
  targetUnitIds: string[];
  caseIds: string[];
  inspectionIds: string[];
  typicalIds: string[];
  measures: { measure: CitableMeasure; period: string }[];
}

function canSee(ctx: AppContext, p: StaffPrincipal, c: repo.CircularMeta, targets: { unit_path: string }[]): boolean {
  const issuer = ctx.units.get(c.issuer_unit_id);
  if (issuer?.path.startsWith(p.scope.path)) return true;
  return targets.some((t) => t.unit_path.startsWith(p.scope.path) || p.unit.path.startsWith(t.unit_path));
}

/** The targets this staff member signs for: addressed units their own unit lies in. */
function ownTargets<T extends { unit_path: string }>(p: StaffPrincipal, targets: T[]): T[] {
  return targets.filter((t) => p.unit.path.startsWith(t.unit_path));
}

const pct = (hit: number, due: number) => (due === 0 ? '无应计件' : `${((hit / due) * 100).toFixed(2)}%（${hit}/${due}）`);

/** POST: issues a circular (numbered, rendered, stored, notified) in one transaction. */
export async function issueCircular(ctx: AppContext, p: StaffPrincipal, input: IssueInput) {
  if (!p.permissions.has('circular.issue')) throw forbidden('只有领导可以签发通报');
  const targets: Unit[] = [];
  for (const id of [...new Set(input.targetUnitIds)]) {
    const u = ctx.units.get(id);
    if (!u) throw badInput('主送单位不存在', { targetUnitIds: `单位 ${id} 不存在` });
    if (!u.path.startsWith(p.scope.path)) throw forbidden(`${u.name}不在您的辖区，不能向其发通报`);
    targets.push(u);
  }
  if (targets.length === 0) throw badInput('请选择主送单位', { targetUnitIds: '请至少选择一个主送单位' });
  const citations: { kind: 'case' | 'inspection' | 'measure' | 'typical'; ref: string; label: string }[] = [];
  for (const id of [...new Set(input.caseIds)]) {
    const { row } = await visibleCase(ctx, p, id).catch(() => {
      throw badInput('引用的信访件不存在或不在您的辖区', { caseIds: `信访件 ${id} 不存在或不在您的辖区` });
    });
    citations.push({ kind: 'case', ref: row.id, label: `${caseNumber(row)} ${row.title}` });
  }
  for (const id of [...new Set(input.typicalIds)]) {
    const t = await repo.findTypical(ctx.store.db, id);
    if (!t || t.status !== 'published') throw badInput('引用的典型案例不存在或未发布', { typicalIds: `典型案例 ${id} 不存在或未发布` });
    citations.push({ kind: 'typical', ref: t.id, label: t.title });
  }
  for (const id of [...new Set(input.inspectionIds)]) {
    const i = await ctx.store.db.selectFrom('inspection').select(['id', 'unit_id', 'inspected_on', 'summary']).where('id', '=', id).executeTakeFirst();
    const u = i ? ctx.units.get(i.unit_id) : undefined;
    if (!i || !u || !u.path.startsWith(p.scope.path)) throw badInput('引用的督导检查不存在或不在您的辖区', { inspectionIds: `督导检查 ${id} 不存在或不在您的辖区` });
    citations.push({ kind: 'inspection', ref: i.id, label: `${i.inspected_on} 对${u.name}的督导检查${i.summary ? `：${i.summary.slice(0, 80)}` : ''}` });
  }
  const d = today(ctx);
  for (const m of input.measures) {
    const range = periodRange(m.period);
    if (!range) throw badInput('引用指标的期间格式应为 2026、2026-Q1 或 2026-03', { measures: '期间格式不正确' });
    const parts: string[] = [];
    for (const u of targets) {
      const [c] = await stats.measureCounts(ctx.store.db, unitScope(ctx, u), m.measure, { from: range.from, to: range.to, today: d, group: 'none', level: 'city' });
      parts.push(`${u.name} ${pct(c?.hit ?? 0, c?.due ?? 0)}`);
    }
    citations.push({ kind: 'measure', ref: `${m.measure}:${m.period}`, label: `${measureLabels[m.measure]}（${range.label}）：${parts.join('；')}` });
  }

  const issuer = p.unit;
  const issuedAt = ctx.clock.now().toISOString();
  const year = Number(d.slice(0, 4));
  const id = crypto.randomUUID();
  let meta: repo.CircularMeta | undefined;
  await inTransaction(ctx.store, async (t) => {
    const serial = await nextCounter(t, `circular:${issuer.id}:${year}`);
    const docNo = circularNumber(unitAbbreviation(issuer, ctx.units.displayName(issuer.regionCode)), year, serial);
    const pdf = await renderPdf(
      circularSpec({ kind: input.kind, title: input.title, body: input.body, issuer: issuer.name, docNo, issuedDate: d, issuedAt, addressees: targets.map((u) => u.name), citations }),
    );
    const sha256 = crypto.createHash('sha256').update(pdf).digest('hex');
    const row: repo.CircularRow = {
      id,
      kind: input.kind,
      title: input.title,
      body: input.body,
      issuer_unit_id: issuer.id,
      issued_by: p.account.id,
      issued_at: issuedAt,
      issued_date: d,
      doc_no: docNo,
      year,
      serial,
      filename: `${input.title}（${docNo}）.pdf`,
      size: pdf.length,
      sha256,
      content_enc: ctx.crypto.encrypt(pdf.toString('base64')),
    };
    await repo.insertCircular(
      t,
      row,
      targets.map((u) => ({ circular_id: id, unit_id: u.id, unit_path: u.path, acknowledged_at: null, acknowledged_by: null })),
      citations.map((c, i) => ({ circular_id: id, ordinal: i + 1, ...c })),
    );
    await repo.recordEvent(t.tx, {
      subjectKind: 'circular',
      subjectId: id,
      type: 'issued',
      actorId: p.account.id,
      actorUnitId: p.unit.id,
      at: issuedAt,
      payload: { docNo, kind: input.kind, sha256, size: pdf.length, targets: targets.map((u) => u.id), citations: citations.map((c) => ({ kind: c.kind, ref: c.ref })) },
    });
    for (const u of targets) {
      await enqueue(t, {
        channel: 'inapp',
        recipientEnc: ctx.crypto.encrypt(`unit:${noticeUnit(ctx, u.id)}`),
        template: 'circular_issued',
        payload: { docNo, title: input.title, kindLabel: circularKindLabels[input.kind], issuerName: issuer.name },
        caseId: null,
        at: issuedAt,
      });
    }
    const { content_enc: _content, ...m } = row;
    meta = m;
  });
  return getCircular(ctx, p, meta!.id);
}

async function loadVisible(ctx: AppContext, p: StaffPrincipal, id: string) {
  const c = await repo.findCircular(ctx.store.db, id);
  if (!c) throw notFound('未找到该通报');
  const targets = await repo.targetsOf(ctx.store.db, [c.id]);
  if (!canSee(ctx, p, c, targets)) throw notFound('未找到该通报');
  return { c, targets };
}

function summary(ctx: AppContext, p: StaffPrincipal, c: repo.CircularMeta, targets: { unit_id: string; unit_path: string; acknowledged_at: string | null }[]) {
  const mine = ownTargets(p, targets);
  return {
    id: c.id,
    kind: c.kind as CircularKind,
    kindLabel: circularKindLabels[c.kind as CircularKind],
    title: c.title,
    docNo: c.doc_no,
    issuerUnitId: c.issuer_unit_id,
    issuerName: ctx.units.displayName(c.issuer_unit_id),
    issuedDate: c.issued_date,
    issuedAt: c.issued_at,
    targetCount: targets.length,
    acknowledgedCount: targets.filter((t) => t.acknowledged_at !== null).length,
    /** The addressed units the caller signs for, and whether they have. */
    mine: mine.map((t) => ({ unitId: t.unit_id, unitName: ctx.units.displayName(t.unit_id), acknowledgedAt: t.acknowledged_at })),
    canAcknowledge: p.permissions.has('circular.acknowledge') && mine.some((t) => t.acknowledged_at === null),
  };
}

/** GET the circulars the caller may read, newest first. */
export async function listCirculars(ctx: AppContext, p: StaffPrincipal, q: { page: number; pageSize: number }) {
  const l = repo.listCirculars(ctx.store.db, { scopePath: p.scope.path, ownAncestorPaths: ctx.units.ancestorPaths(p.unit.id), limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
  const [total, rows] = await Promise.all([l.count(), l.rows()]);
  const targets = await repo.targetsOf(ctx.store.db, rows.map((r) => r.id));
  return { total, page: q.page, pageSize: q.pageSize, items: rows.map((c) => summary(ctx, p, c, targets.filter((t) => t.circular_id === c.id))), canIssue: p.permissions.has('circular.issue') };
}

/** GET one circular: text, citations, every addressee with its receipt, and the record. */
export async function getCircular(ctx: AppContext, p: StaffPrincipal, id: string) {
  const { c, targets } = await loadVisible(ctx, p, id);
  const [citations, events] = await Promise.all([repo.citationsOf(ctx.store.db, c.id), repo.eventsOf(ctx.store.db, 'circular', c.id)]);
  const issuerSide = ctx.units.get(c.issuer_unit_id)?.path.startsWith(p.scope.path) ?? false;
  return {
    ...summary(ctx, p, c, targets),
    body: c.body,
    filename: c.filename,
    size: c.size,
    sha256: c.sha256,
    citations: citations.map((x) => ({ kind: x.kind, ref: x.ref, label: x.label })),
    // The issuing side sees every addressee's receipt; an addressee sees its own.
    targets: targets
      .filter((t) => issuerSide || t.unit_path.startsWith(p.scope.path) || p.unit.path.startsWith(t.unit_path))
      .map((t) => ({ unitId: t.unit_id, unitName: ctx.units.displayName(t.unit_id), acknowledgedAt: t.acknowledged_at })),
    history: events
      .filter((e) => issuerSide || e.type === 'issued' || (e.actor_unit_id !== null && ctx.units.get(e.actor_unit_id)?.path.startsWith(p.scope.path)))
      .map((e) => ({ type: e.type, at: e.at, unitName: e.actor_unit_id ? ctx.units.displayName(e.actor_unit_id) : null })),
  };
}

/** POST: an addressed unit acknowledges receipt (签收); a second receipt is a 409. */
export async function acknowledgeCircular(ctx: AppContext, p: StaffPrincipal, id: string) {
  const { c, targets } = await loadVisible(ctx, p, id);
  if (!p.permissions.has('circular.acknowledge')) throw forbidden('您的角色不能签收通报');
  const mine = ownTargets(p, targets);
  if (mine.length === 0) throw forbidden('本单位不是该通报的主送单位，不能签收');
  const open = mine.filter((t) => t.acknowledged_at === null);
  if (open.length === 0) throw conflict('本单位已签收该通报', 'already_acknowledged');
  const at = ctx.clock.now().toISOString();
  await inTransaction(ctx.store, async (t) => {
    let n = 0;
    for (const x of open) if (await repo.acknowledge(t.tx, c.id, x.unit_id, p.account.id, at)) n++;
    if (n === 0) throw conflict('本单位已签收该通报', 'already_acknowledged');
    await repo.recordEvent(t.tx, { subjectKind: 'circular', subjectId: c.id, type: 'acknowledged', actorId: p.account.id, actorUnitId: p.unit.id, at, payload: { units: open.map((x) => x.unit_id) } });
  });
  return getCircular(ctx, p, c.id);
}

/** The PDF of a circular the caller may read, checked against its stored hash. */
export async function circularPdf(ctx: AppContext, p: StaffPrincipal, id: string): Promise<{ filename: string; bytes: Buffer; sha256: string }> {
  const { c } = await loadVisible(ctx, p, id);
  const row = await repo.circularContent(ctx.store.db, c.id);
  const bytes = Buffer.from(ctx.crypto.decrypt(row!.content_enc), 'base64');
  if (crypto.createHash('sha256').update(bytes).digest('hex') !== c.sha256) throw conflict('通报文件校验失败（与登记的哈希值不符），请联系管理员', 'integrity');
  return { filename: c.filename, bytes, sha256: c.sha256 };
}
