/**
 * 考核: each unit's score for a period over its subtree — the measures of DOMAIN.md weighted by the
 * scheme its government set, minus repeats and supervision findings — with the ranking among
 * sibling units, published snapshots that never change afterwards, and the cases behind every line.
 * The case sets are exactly those of the statistics' drill-down (stats.repository.ts).
 */
import crypto from 'node:crypto';
import type { AppContext } from './context.js';
import type { StaffPrincipal } from './auth.service.js';
import { badInput, conflict, forbidden } from './errors.js';
import { today } from './deadlines.js';
import { caseNumber } from './case.service.js';
import type { Unit } from './units.js';
import {
  defaultWeights,
  itemLabels,
  itemRules,
  penaltyItems,
  periodRange,
  rankScores,
  rateItems,
  scoreUnit,
  validateWeights,
  type AssessmentItem,
  type AssessmentWeights,
  type PenaltyItem,
  type RateItem,
  type UnitScore,
} from '../domain/assessment.js';
import * as stats from '../store/stats.repository.js';
import * as repo from '../store/assessment.repository.js';
import { findingRefs, type FindingRef } from '../store/findings.repository.js';
import { inTransaction } from '../store/tx.js';

export type GroupKind = 'region' | 'department';

/** How many case ids one line keeps (a snapshot stores them; the page lists them). */
const maxRefsPerLine = 5000;

export interface Scheme {
  id: string;
  ownerUnitId: string | null;
  ownerUnitName: string;
  name: string;
  weights: AssessmentWeights;
  revision: number;
  updatedAt: string | null;
  inherited: boolean;
}

function requireRead(p: StaffPrincipal): void {
  if (!p.permissions.has('assessment.read')) throw forbidden('您的角色不能查看考核结果');
}

function requireManage(p: StaffPrincipal): void {
  if (!p.permissions.has('assessment.manage')) throw forbidden('只有领导可以设置考核权重或发布考核结果');
}

/** The unit judged for a staff member's own unit: a bureau or mailbox office stands for its government. */
export function assessedUnit(ctx: AppContext, u: Unit): Unit {
  if ((u.kind === 'bureau' || u.kind === 'mailbox') && u.parentId) return ctx.units.get(u.parentId) ?? u;
  return u;
}

function unitOr400(ctx: AppContext, id: string, field: string): Unit {
  const u = ctx.units.get(id);
  if (!u) throw badInput('单位不存在', { [field]: '单位不存在' });
  return assessedUnit(ctx, u);
}

function inScope(p: StaffPrincipal, u: Unit): boolean {
  return u.path.startsWith(p.scope.path);
}

function period(periodKey: string): { from: string; to: string; label: string } {
  const r = periodRange(periodKey);
  if (!r) throw badInput('考核期间格式应为 2026、2026-Q1 或 2026-03', { period: '考核期间格式应为 2026、2026-Q1 或 2026-03' });
  return r;
}

/** The units ranked under a government: its sub-governments (region) or its departments. */
export function groupMembers(ctx: AppContext, parent: Unit, group: GroupKind): Unit[] {
  return ctx.units.childrenOf(parent.id).filter((u) => (group === 'region' ? u.kind === 'government' : u.kind === 'department'));
}

/** The group a unit is ranked in: among its parent's sub-governments or departments. */
function groupOf(ctx: AppContext, u: Unit): { parent: Unit; group: GroupKind } | null {
  const parent = u.parentId ? ctx.units.get(u.parentId) : undefined;
  if (!parent) return null;
  return { parent, group: u.kind === 'department' ? 'department' : 'region' };
}

// Schemes

function schemeView(ctx: AppContext, row: repo.SchemeRow | undefined, forUnit: Unit): Scheme {
  if (!row) return { id: 'default', ownerUnitId: null, ownerUnitName: '系统默认', name: '默认考核方案', weights: { ...defaultWeights }, revision: 0, updatedAt: null, inherited: true };
  return {
    id: row.id,
    ownerUnitId: row.owner_unit_id,
    ownerUnitName: ctx.units.displayName(row.owner_unit_id),
    name: row.name,
    weights: { ...defaultWeights, ...(JSON.parse(row.weights) as Partial<AssessmentWeights>) },
    revision: row.revision,
    updatedAt: row.updated_at,
    inherited: row.owner_unit_id !== forUnit.id,
  };
}

/** The scheme a government judges its units by: its own, else the nearest one above, else the default. */
export async function schemeFor(ctx: AppContext, parent: Unit): Promise<Scheme> {
  const chain: Unit[] = [];
  for (let u: Unit | undefined = parent; u; u = u.parentId ? ctx.units.get(u.parentId) : undefined) chain.push(u);
  const rows = await repo.schemesOwnedBy(ctx.store.db, chain.map((u) => u.id));
  const nearest = chain.map((u) => rows.find((r) => r.owner_unit_id === u.id)).find((r) => r !== undefined);
  return schemeView(ctx, nearest, parent);
}

/** GET the scheme in force for a government of the caller's jurisdiction. */
export async function getScheme(ctx: AppContext, p: StaffPrincipal, unitId: string | undefined) {
  requireRead(p);
  const u = unitId ? unitOr400(ctx, unitId, 'unit') : assessedUnit(ctx, p.scope);
  if (!inScope(p, u) && !p.scope.path.startsWith(u.path)) throw forbidden('无权查看该单位的考核方案');
  const s = await schemeFor(ctx, u);
  return {
    unitId: u.id,
    unitName: u.name,
    scheme: s,
    items: [...rateItems, ...penaltyItems].map((k) => ({ key: k, label: itemLabels[k], kind: (rateItems as readonly string[]).includes(k) ? 'rate' : 'penalty', rule: itemRules[k] })),
    canEdit: p.permissions.has('assessment.manage') && inScope(p, u) && u.kind === 'government',
  };
}

/** PUT a government's own scheme (a leader of that government or above); optimistic on the revision. */
export async function saveScheme(ctx: AppContext, p: StaffPrincipal, input: { unitId: string; name: string; weights: Record<string, unknown>; revision: number }) {
  requireManage(p);
  const u = unitOr400(ctx, input.unitId, 'unitId');
  if (u.kind !== 'government') throw badInput('考核方案只能由政府（地区）设置', { unitId: '请选择地区' });
  if (!inScope(p, u)) throw forbidden('只能设置本辖区的考核方案');
  const v = validateWeights(input.weights);
  if ('errors' in v) throw badInput('考核权重不正确', v.errors);
  const now = ctx.clock.now().toISOString();
  const own = (await repo.schemesOwnedBy(ctx.store.db, [u.id]))[0];
  const current = own?.revision ?? 0;
  if (input.revision !== current) throw conflict('考核方案已被他人修改，请刷新后再改', 'stale_revision');
  const row: repo.SchemeRow = { id: own?.id ?? crypto.randomUUID(), owner_unit_id: u.id, name: input.name, weights: JSON.stringify(v.weights), revision: current + 1, updated_by: p.account.id, updated_at: now };
  await inTransaction(ctx.store, async (t) => {
    if (!(await repo.saveScheme(t.tx, row, current))) throw conflict('考核方案已被他人修改，请刷新后再改', 'stale_revision');
    await repo.recordEvent(t.tx, { subjectKind: 'assessment_scheme', subjectId: row.id, type: 'scheme_saved', actorId: p.account.id, actorUnitId: p.unit.id, at: now, payload: { ownerUnitId: u.id, revision: row.revision, weights: v.weights, previous: own ? JSON.parse(own.weights) : null } });
  });
  return getScheme(ctx, p, u.id);
}

// Computing

interface LineRefs {
  total: number;
  refs: FindingRef[];
}

export interface UnitResult {
  unitId: string;
  unitName: string;
  score: UnitScore;
  refs: Partial<Record<AssessmentItem, LineRefs>>;
}

const rateMeasure: Record<RateItem, 'acceptance' | 'assignment' | 'completion' | 'participation' | 'satisfaction'> = {
  acceptance: 'acceptance',
  assignment: 'assignment',
  completion: 'completion',
  participation: 'participation',
  satisfaction: 'satisfaction',
};

/**
 * A unit's cases as the statistics count them for it, except denunciations naming the unit, a unit
 * under it, or one above it: those are never counted (nor listed) for the unit judged.
 */
export function unitScope(ctx: AppContext, u: Unit): stats.StatsScope {
  const above = ctx.units.ancestorPaths(u.id).filter((x) => x !== u.path);
  // The pattern `%"<path>%` (an unclosed quote) matches an accused path anywhere in the subtree.
  return { scopePath: u.path, excludeAccusedPaths: [...above, `${u.path}%`] };
}

/** Counts, score and (optionally) the refs behind each deduction of one unit. */
export async function computeUnit(ctx: AppContext, u: Unit, range: { from: string; to: string }, weights: AssessmentWeights, withRefs: boolean): Promise<UnitResult> {
  const db = ctx.store.db;
  const d = today(ctx);
  const scope = unitScope(ctx, u);
  const o = { from: range.from, to: range.to, today: d, group: 'none' as const, level: 'city' as const };
  const live = stats.liveCounts(); // the measures of one anchor read the cases once
  const [rateCounts, repeat, findings] = await Promise.all([
    Promise.all(rateItems.map((k) => stats.measureCounts(db, scope, rateMeasure[k], o, 'drive', live))),
    stats.measureCounts(db, scope, 'repeat', o, 'drive', live),
    findingRefs(ctx, u, range.from, range.to, d),
  ]);
  const rates = Object.fromEntries(rateItems.map((k, i) => [k, { hit: rateCounts[i]![0]?.hit ?? 0, due: rateCounts[i]![0]?.due ?? 0 }])) as Record<RateItem, { hit: number; due: number }>;
  const penalties: Record<PenaltyItem, number> = {
    repeat: repeat[0]?.hit ?? 0,
    inspectionProblem: findings.inspectionProblem.length,
    overdueCorrection: findings.overdueCorrection.length,
    supervision: findings.supervision.length,
  };
  const score = scoreUnit({ rates, penalties }, weights);
  const refs: UnitResult['refs'] = {};
  if (withRefs) {
    const drill = async (m: 'acceptance' | 'assignment' | 'completion' | 'participation' | 'satisfaction' | 'repeat', part: stats.DrillPart): Promise<LineRefs> => {
      const r = await stats.drillCases(db, scope, m, { ...o, part, limit: maxRefsPerLine, offset: 0 });
      return { total: r.total, refs: r.rows.map((x) => ({ kind: 'case' as const, id: x.id, caseId: x.id })) };
    };
    for (const k of rateItems) {
      const line = score.lines.find((l) => l.item === k)!;
      if (line.due > line.hit) refs[k] = await drill(rateMeasure[k], 'miss');
    }
    if (penalties.repeat > 0) refs.repeat = await drill('repeat', 'hit');
    for (const k of ['inspectionProblem', 'overdueCorrection', 'supervision'] as const) {
      if (findings[k].length > 0) refs[k] = { total: findings[k].length, refs: findings[k].slice(0, maxRefsPerLine) };
    }
  }
  return { unitId: u.id, unitName: u.name, score, refs };
}

function requireParent(ctx: AppContext, p: StaffPrincipal, parentId: string | undefined): Unit {
  const parent = parentId ? unitOr400(ctx, parentId, 'parent') : assessedUnit(ctx, p.scope);
  if (parent.kind !== 'government') throw badInput('排名只能按地区（政府）查看', { parent: '请选择地区' });
  if (!inScope(p, parent)) throw forbidden('无权查看该地区所属单位的考核排名');
  return parent;
}

function defaultGroup(ctx: AppContext, parent: Unit, group: GroupKind | undefined): GroupKind {
  if (group) return group;
  return groupMembers(ctx, parent, 'region').length > 0 ? 'region' : 'department';
}

interface SnapshotUnit {
  unitId: string;
  unitName: string;
  rank: number;
  total: number;
  max: number;
  deduction: number;
  lines: UnitScore['lines'];
}

/** GET the ranking of the units under a government for a period: the published snapshot, else computed now. */
export async function ranking(ctx: AppContext, p: StaffPrincipal, q: { parent?: string | undefined; group?: GroupKind | undefined; period: string }) {
  requireRead(p);
  const parent = requireParent(ctx, p, q.parent);
  const group = defaultGroup(ctx, parent, q.group);
  const range = period(q.period);
  const snap = await repo.findSnapshot(ctx.store.db, parent.id, group, q.period);
  const base = { parentId: parent.id, parentName: parent.name, group, period: q.period, periodLabel: range.label, from: range.from, to: range.to, canPublish: p.permissions.has('assessment.manage') };
  if (snap) {
    const units = JSON.parse(snap.results) as SnapshotUnit[];
    return {
      ...base,
      published: true,
      publishedAt: snap.published_at,
      computedOn: snap.computed_on,
      scheme: { id: snap.scheme_id, revision: snap.scheme_revision, weights: JSON.parse(snap.weights) as AssessmentWeights },
      rows: units,
    };
  }
  const scheme = await schemeFor(ctx, parent);
  const members = groupMembers(ctx, parent, group);
  const results = [];
  for (const u of members) results.push(await computeUnit(ctx, u, range, scheme.weights, false));
  return {
    ...base,
    published: false,
    publishedAt: null,
    computedOn: today(ctx),
    scheme: { id: scheme.id, revision: scheme.revision, weights: scheme.weights },
    rows: rankScores(results.map((r) => ({ unitId: r.unitId, unitName: r.unitName, total: r.score.total, max: r.score.max, deduction: r.score.deduction, lines: r.score.lines }))),
  };
}

/** POST: freezes the ranking of a period with every case behind it; refused when already published. */
export async function publishRanking(ctx: AppContext, p: StaffPrincipal, q: { parent?: string | undefined; group?: GroupKind | undefined; period: string }) {
  requireManage(p);
  const parent = requireParent(ctx, p, q.parent);
  const group = defaultGroup(ctx, parent, q.group);
  const range = period(q.period);
  const d = today(ctx);
  if (range.to >= d) throw conflict(`考核期间尚未结束（至 ${range.to}），结束后才能发布`, 'period_open');
  if (await repo.findSnapshot(ctx.store.db, parent.id, group, q.period)) throw conflict('该期间的考核结果已发布，不能再次发布', 'already_published');
  const scheme = await schemeFor(ctx, parent);
  const members = groupMembers(ctx, parent, group);
  if (members.length === 0) throw conflict('该地区下没有可考核的单位', 'no_units');
  const results: UnitResult[] = [];
  for (const u of members) results.push(await computeUnit(ctx, u, range, scheme.weights, true));
  const ranked = rankScores(results.map((r) => ({ unitId: r.unitId, unitName: r.unitName, total: r.score.total, max: r.score.max, deduction: r.score.deduction, lines: r.score.lines })));
  const refs = results.flatMap((r) => Object.entries(r.refs).flatMap(([item, l]) => l.refs.map((x) => ({ unit_id: r.unitId, item, ref: refKey(x) }))));
  const now = ctx.clock.now().toISOString();
  const row: repo.SnapshotRow = {
    id: crypto.randomUUID(),
    parent_unit_id: parent.id,
    group_kind: group,
    period: q.period,
    from_date: range.from,
    to_date: range.to,
    computed_on: d,
    scheme_id: scheme.id,
    scheme_revision: scheme.revision,
    weights: JSON.stringify(scheme.weights),
    results: JSON.stringify(ranked),
    published_by: p.account.id,
    published_at: now,
  };
  await inTransaction(ctx.store, async (t) => {
    if (!(await repo.insertSnapshot(t, row, refs))) throw conflict('该期间的考核结果已发布，不能再次发布', 'already_published');
    await repo.recordEvent(t.tx, {
      subjectKind: 'assessment_snapshot',
      subjectId: row.id,
      type: 'assessment_published',
      actorId: p.account.id,
      actorUnitId: p.unit.id,
      at: now,
      payload: { parentUnitId: parent.id, group, period: q.period, schemeId: scheme.id, schemeRevision: scheme.revision, units: ranked.map((r) => ({ unitId: r.unitId, total: r.total, rank: r.rank })) },
    });
  });
  return ranking(ctx, p, { parent: parent.id, group, period: q.period });
}

/** A ref as stored in a snapshot: a case id, or 'kind|id|caseId|label' for a finding. */
function refKey(r: FindingRef): string {
  return r.kind === 'case' ? r.id : [r.kind, r.id, r.caseId ?? '', (r.label ?? '').slice(0, 200)].join('|');
}

function parseRef(s: string): FindingRef {
  const [kind, id, caseId, ...label] = s.split('|');
  if (id === undefined) return { kind: 'case', id: s, caseId: s };
  return { kind: kind as FindingRef['kind'], id, caseId: caseId || null, label: label.join('|') };
}

/**
 * GET a unit's own page for a period: its score (published, else live), every line with its rule,
 * and the cases behind each deduction (the caller sees the unit only within its jurisdiction).
 */
export async function unitPage(ctx: AppContext, p: StaffPrincipal, q: { unit?: string | undefined; period: string }) {
  requireRead(p);
  const u = q.unit ? unitOr400(ctx, q.unit, 'unit') : assessedUnit(ctx, p.scope);
  if (!inScope(p, u)) throw forbidden('无权查看该单位的考核结果');
  const range = period(q.period);
  const g = groupOf(ctx, u);
  const snap = g ? await repo.findSnapshot(ctx.store.db, g.parent.id, g.group, q.period) : undefined;
  const entry = snap ? (JSON.parse(snap.results) as SnapshotUnit[]).find((r) => r.unitId === u.id) : undefined;
  let lines: UnitScore['lines'];
  let total: number;
  let max: number;
  let refs: Partial<Record<string, { total: number; refs: FindingRef[] }>> = {};
  let weights: AssessmentWeights;
  if (snap && entry) {
    ({ lines, total, max } = entry);
    weights = JSON.parse(snap.weights) as AssessmentWeights;
    for (const r of await repo.snapshotRefs(ctx.store.db, snap.id, u.id)) {
      const l = (refs[r.item] ??= { total: 0, refs: [] });
      l.total++;
      l.refs.push(parseRef(r.ref));
    }
  } else {
    const scheme = await schemeFor(ctx, g?.parent ?? u);
    weights = scheme.weights;
    const r = await computeUnit(ctx, u, range, weights, true);
    ({ lines, total, max } = r.score);
    refs = r.refs;
  }
  // The cases behind each line, by number and title (no personal data); a denunciation naming the viewer's unit stays hidden.
  const caseIds = [...new Set(Object.values(refs).flatMap((l) => l!.refs.map((x) => x.caseId).filter((x): x is string => x !== null)))];
  const heads = new Map<string, Awaited<ReturnType<typeof repo.caseHeads>>[number]>();
  for (let i = 0; i < caseIds.length; i += 500) for (const h of await repo.caseHeads(ctx.store.db, caseIds.slice(i, i + 500))) heads.set(h.id, h);
  const hidden = (h: { is_denunciation: number; accused_unit_ids: string }) => h.is_denunciation === 1 && (JSON.parse(h.accused_unit_ids) as string[]).some((a) => p.unit.path.startsWith(a));
  return {
    unitId: u.id,
    unitName: u.name,
    period: q.period,
    periodLabel: range.label,
    from: range.from,
    to: range.to,
    published: Boolean(snap && entry),
    publishedAt: snap && entry ? snap.published_at : null,
    rank: entry?.rank ?? null,
    rankOf: snap && entry ? (JSON.parse(snap.results) as SnapshotUnit[]).length : null,
    groupParentId: g?.parent.id ?? null,
    groupParentName: g?.parent.name ?? null,
    weights,
    total,
    max,
    deduction: Math.round((max - total) * 100) / 100,
    lines: lines.map((l) => {
      const r = refs[l.item];
      const items = (r?.refs ?? []).map((x) => {
        const h = x.caseId ? heads.get(x.caseId) : undefined;
        if (h && hidden(h)) return { kind: x.kind, id: null, caseId: null, caseNo: null, title: '（检举揭发件，不予显示）', note: null, state: null };
        return { kind: x.kind, id: x.id, caseId: h ? h.id : null, caseNo: h ? caseNumber(h) : null, title: h ? h.title : (x.label ?? ''), note: x.label ?? null, state: h?.state ?? null };
      });
      return { ...l, rule: itemRules[l.item], refTotal: r?.total ?? 0, cases: items };
    }),
  };
}

/** GET the assessed units the caller may open: its own and those under it (for the pickers). */
export function assessableUnits(ctx: AppContext, p: StaffPrincipal) {
  requireRead(p);
  const own = assessedUnit(ctx, p.scope);
  const out = ctx.units
    .all()
    .filter((u) => (u.kind === 'government' || u.kind === 'department') && u.path.startsWith(own.path))
    .sort((a, b) => a.path.localeCompare(b.path))
    .slice(0, 2000)
    .map((u) => ({ id: u.id, name: u.name, kind: u.kind, level: u.level, parentId: u.parentId, hasRegions: groupMembers(ctx, u, 'region').length > 0, hasDepartments: groupMembers(ctx, u, 'department').length > 0 }));
  return { ownUnitId: own.id, units: out, canManage: p.permissions.has('assessment.manage') };
}
