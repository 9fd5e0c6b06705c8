/**
 * Statistics rollups: what one case adds to the monthly counts the dashboard sums, so a year's
 * statistics read a few thousand rollup rows instead of a million cases. Each contribution is keyed
 * by the anchor month of a measure (kind), a jurisdiction node the case belongs to, one grouping
 * dimension and its key, the case's county and its denunciation accusations; the counts follow
 * stats.repository's SQL (and classifyCase) exactly, except that the clocks keep the cases still
 * owing the act apart ('pending'), because whether those count depends on the day of the query: a
 * pending case counts once its due date has passed, so pending is only summed for months wholly
 * before the current one.
 *
 * Two grains: per county (`region` = the case's county, dimensions `rollupDims`), read when the
 * statistics are filtered by region; and over all counties (`region` = '' — the totals table,
 * dimensions `totalDims`, i.e. also the county as a dimension of its own), read otherwise: a
 * province's year is then a few hundred rows, not tens of thousands.
 */
import { localDateOf } from './calendar.js';
import { onlineChannels } from './measures.js';

/** Anchors: received (volume, online share, repeats), the three clocks, the reply (participation, satisfaction), a confirmed repeat. */
export const rollupKinds = ['received', 'acceptance', 'assignment', 'completion', 'replied', 'same'] as const;
export type RollupKind = (typeof rollupKinds)[number];

/** Grouping dimensions kept in the rollups ('category' also serves no grouping, region and month). */
export const rollupDims = ['category', 'channel', 'target', 'unit', 'receivingUnit'] as const;
/** Dimensions of the totals over all counties: the same, and the county ('region'). */
export const totalDims = [...rollupDims, 'region'] as const;
export type RollupDim = (typeof totalDims)[number];
/** The `region` of a totals row (all counties). */
export const allRegions = '';

/** The facts of a case the rollups read (columns of case_file, timestamps as stored). */
export interface RollupCase {
  channel: string;
  target: string;
  category_code: string;
  region_code: string;
  current_unit_id: string;
  receiving_unit_id: string;
  state: string;
  is_denunciation: number;
  accused_unit_ids: string;
  merged_into: string | null;
  received_date: string;
  accepted_at: string | null;
  assigned_at: string | null;
  replied_at: string | null;
  closed_at: string | null;
  due_accept: string | null;
  due_assign: string | null;
  due_reply: string | null;
  evaluation: string | null;
}

/** Counts of one rollup row: n (counted: received / decided / replied), hit, hit2, pending (owed, not done). */
export interface RollupCounts {
  n: number;
  hit: number;
  hit2: number;
  pending: number;
}

export interface RollupKey {
  month: string;
  kind: RollupKind;
  node: string;
  dim: RollupDim;
  key: string;
  region: string;
  den: string;
}

export type Contribution = RollupKey & RollupCounts;

const online = new Set<string>(onlineChannels);
const noLongerOwed = new Set(['withdrawn', 'merged']);
const local = (ts: string | null) => (ts === null ? null : localDateOf(ts));

/** The anchor date and counts of each measure a case counts in (one entry per anchor kind, repeats apart). */
export function caseAnchors(c: RollupCase): { kind: RollupKind; date: string; counts: RollupCounts }[] {
  const out: { kind: RollupKind; date: string; counts: RollupCounts }[] = [];
  out.push({ kind: 'received', date: c.received_date, counts: { n: 1, hit: online.has(c.channel) ? 1 : 0, hit2: c.merged_into !== null ? 1 : 0, pending: 0 } });
  if (c.due_accept) {
    // 受理: accepted, or rejected (the decision is the closing); withdrawn or merged before it owes none.
    const decided = c.accepted_at !== null || c.state === 'rejected';
    const decision = local(c.accepted_at) ?? (c.state === 'rejected' ? local(c.closed_at) : null);
    if (decided) out.push({ kind: 'acceptance', date: c.due_accept, counts: { n: 1, hit: decision !== null && decision <= c.due_accept ? 1 : 0, hit2: 0, pending: 0 } });
    else if (!noLongerOwed.has(c.state)) out.push({ kind: 'acceptance', date: c.due_accept, counts: { n: 0, hit: 0, hit2: 0, pending: 1 } });
  }
  const clock = (kind: 'assignment' | 'completion', due: string | null, doneAt: string | null) => {
    if (!due) return;
    const done = local(doneAt);
    if (done !== null) out.push({ kind, date: due, counts: { n: 1, hit: done <= due ? 1 : 0, hit2: 0, pending: 0 } });
    else if (!noLongerOwed.has(c.state) && c.state !== 'rejected') out.push({ kind, date: due, counts: { n: 0, hit: 0, hit2: 0, pending: 1 } });
  };
  clock('assignment', c.due_assign, c.assigned_at);
  clock('completion', c.due_reply, c.replied_at);
  const replied = local(c.replied_at);
  if (replied !== null) {
    const rated = c.evaluation !== null ? 1 : 0;
    const satisfied = c.evaluation === 'satisfied' || c.evaluation === 'basically_satisfied' ? 1 : 0;
    out.push({ kind: 'replied', date: replied, counts: { n: 1, hit: rated, hit2: satisfied, pending: 0 } });
  }
  return out;
}

/** The grouping keys of a case per dimension (the same columns stats.repository groups by). */
export function dimKeys(c: RollupCase): Record<RollupDim, string> {
  return { category: c.category_code, channel: c.channel, target: c.target, unit: c.current_unit_id, receivingUnit: c.receiving_unit_id, region: c.region_code };
}

/** Receives one contribution of a case: its key's parts and counts (the counts object is shared, read it at once). */
export type ContributionSink = (node: string, dim: RollupDim, kind: RollupKind, month: string, key: string, region: string, den: string, counts: RollupCounts) => void;

/**
 * Every contribution of a case, handed to `sink` one by one: per anchor, per jurisdiction node (from
 * `nodes`), per dimension, in both grains (its county's rows and the totals). `sameDates` are the
 * received dates of the confirmed repeats ('same') joined to this case.
 */
export function eachContribution(c: RollupCase, nodes: string[], sameDates: string[], sink: ContributionSink): void {
  const anchors = caseAnchors(c);
  for (const d of sameDates) anchors.push({ kind: 'same', date: d, counts: { n: 1, hit: 1, hit2: 0, pending: 0 } });
  const keys = dimKeys(c);
  const den = c.is_denunciation ? c.accused_unit_ids : '';
  for (const a of anchors) {
    const month = a.date.slice(0, 7);
    for (const node of nodes) {
      for (const dim of rollupDims) sink(node, dim, a.kind, month, keys[dim], c.region_code, den, a.counts);
      for (const dim of totalDims) sink(node, dim, a.kind, month, keys[dim], allRegions, den, a.counts);
    }
  }
}

/** Every contribution of a case (eachContribution as a list). */
export function contributions(c: RollupCase, nodes: string[], sameDates: string[]): Contribution[] {
  const out: Contribution[] = [];
  eachContribution(c, nodes, sameDates, (node, dim, kind, month, key, region, den, x) => out.push({ node, dim, kind, month, key, region, den, n: x.n, hit: x.hit, hit2: x.hit2, pending: x.pending }));
  return out;
}

/** A rollup row's key as one string, its parts in the order of the tables' primary key (sorting by it writes rows in table order). */
export function rollupKeyParts(node: string, dim: string, kind: string, month: string, key: string, region: string, den: string): string {
  return `${node}\u0001${dim}\u0001${kind}\u0001${month}\u0001${key}\u0001${region}\u0001${den}`;
}

export function rollupKeyString(k: RollupKey): string {
  return rollupKeyParts(k.node, k.dim, k.kind, k.month, k.key, k.region, k.den);
}

/** after − before, merged per key, zero rows dropped; sorted by key so concurrent writers lock rows in one order. */
export function diffContributions(before: Contribution[], after: Contribution[]): Contribution[] {
  const acc = new Map<string, Contribution>();
  const add = (list: Contribution[], sign: 1 | -1) => {
    for (const c of list) {
      const k = rollupKeyString(c);
      const e = acc.get(k);
      if (e) {
        e.n += sign * c.n;
        e.hit += sign * c.hit;
        e.hit2 += sign * c.hit2;
        e.pending += sign * c.pending;
      } else acc.set(k, { ...c, n: sign * c.n, hit: sign * c.hit, hit2: sign * c.hit2, pending: sign * c.pending });
    }
  };
  add(before, -1);
  add(after, 1);
  return [...acc.entries()]
    .filter(([, c]) => c.n !== 0 || c.hit !== 0 || c.hit2 !== 0 || c.pending !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, c]) => c);
}

/**
 * The jurisdiction nodes of a case, from the paths of its units: the whole tree ('/') and every
 * government (region) unit above or at one of them — the scopes a statistics viewer can have.
 */
export function caseNodes(unitPaths: string[], isGovernment: (unitId: string) => boolean): string[] {
  const nodes = new Set<string>(['/']);
  for (const p of unitPaths) {
    const parts = p.split('/').filter(Boolean);
    for (let i = 0; i < parts.length; i++) if (isGovernment(parts[i]!)) nodes.add(`/${parts.slice(0, i + 1).join('/')}/`);
  }
  return [...nodes].sort();
}

/**
 * The size of the rollup build's next chunk of cases from the last one's size and time: scaled to
 * take about `targetMs`, at most doubled at once, between 50 and 5,000 cases.
 */
export function nextChunkSize(size: number, elapsedMs: number, targetMs = 250): number {
  const scaled = Math.round((size * targetMs) / Math.max(elapsedMs, 1));
  return Math.max(50, Math.min(5000, size * 2, scaled));
}
