/**
 * 统计分析: the measures of DOMAIN.md for a period, grouped, within the viewer's jurisdiction and
 * the denunciation rule; the cases behind each number; exports (CSV, XLSX) of any table.
 */
import type { AppContext } from './context.js';
import type { StaffPrincipal } from './auth.service.js';
import { badInput, forbidden } from './errors.js';
import { today } from './deadlines.js';
import { jurisdictionPath } from './queues.js';
import { caseNumber } from './case.service.js';
import { categories, nameOf } from '../domain/catalog.js';
import { stateLabel, type CaseState } from '../domain/case-state.js';
import { childLevel, measureKeys, measureLabels, ratio, regionPrefix, type GroupKey, type MeasureKey, type Ratio } from '../domain/measures.js';
import * as stats from '../store/stats.repository.js';
import { measureCountsFast, rollupSums } from './stats-rollup.service.js';

export interface StatsQuery {
  from: string;
  to: string;
  groupBy?: GroupKey | undefined;
  /** Region level for groupBy=region; default one below the region filter (province → city → county). */
  level?: stats.RegionLevel | undefined;
  region?: string | undefined;
  category?: string | undefined;
  channel?: string | undefined;
  target?: string | undefined;
  unit?: string | undefined;
}

export type RateMeasure = Exclude<MeasureKey, 'volume' | 'overdue'>;
const rateMeasures: RateMeasure[] = ['online', 'acceptance', 'assignment', 'completion', 'participation', 'satisfaction', 'repeat'];

export interface StatsRow {
  key: string;
  label: string;
  volume: number;
  overdue: number;
  online: Ratio;
  acceptance: Ratio;
  assignment: Ratio;
  completion: Ratio;
  participation: Ratio;
  satisfaction: Ratio;
  repeat: Ratio;
}

export const channelLabels: Record<string, string> = { web: '网上信访', mailbox: '领导信箱', email: '电子邮件', api: '接口', letter: '来信', visit: '来访', call: '来电' };

/** Scope of the viewer: jurisdiction, the denunciation rule and the filters. */
export function statsScope(ctx: AppContext, p: StaffPrincipal, q: Omit<StatsQuery, 'from' | 'to'>): stats.StatsScope {
  if (!p.permissions.has('stats.read')) throw forbidden('您的角色不能查看统计');
  let unitPath: string | undefined;
  if (q.unit) {
    const u = ctx.units.get(q.unit);
    if (!u) throw badInput('单位不存在', { unit: '单位不存在' });
    unitPath = u.path;
  }
  if (q.region && !/^\d{6}$/.test(q.region)) throw badInput('地区代码应为 6 位数字', { region: '地区代码应为 6 位数字' });
  return {
    scopePath: jurisdictionPath(ctx, p),
    excludeAccusedPaths: ctx.units.ancestorPaths(p.unit.id),
    regionPrefix: q.region ? regionPrefix(q.region) : undefined,
    categoryCode: q.category,
    channel: q.channel,
    target: q.target,
    unitPath,
  };
}

function checkPeriod(from: string, to: string) {
  if (from > to) throw badInput('开始日期不能晚于结束日期', { from: '开始日期不能晚于结束日期' });
}

/** The display name of a group key. */
export function groupLabel(ctx: AppContext, group: GroupKey | 'none', key: string): string {
  switch (group) {
    case 'none':
      return '合计';
    case 'category':
      return nameOf(categories, key);
    case 'channel':
      return channelLabels[key] ?? key;
    case 'target':
      if (key === 'bureau') return '信访局';
      return key.startsWith('mailbox:') ? (ctx.units.get(`${key.slice(8)}-mailbox`)?.name ?? key) : key;
    case 'unit':
    case 'receivingUnit':
      return ctx.units.get(key)?.name ?? key;
    case 'region':
      return ctx.units.get(key)?.name ?? key;
    case 'month':
      return key;
  }
}

/** The rows of a table, and the cases overdue now in all its groups (each case is in exactly one group of any grouping). */
async function collect(ctx: AppContext, scope: stats.StatsScope, q: StatsQuery, group: GroupKey | 'none', level: stats.RegionLevel): Promise<{ rows: StatsRow[]; overdueNow: number }> {
  const db = ctx.store.db;
  const d = today(ctx);
  const o = { from: q.from, to: q.to, today: d, group, level, sums: rollupSums(), live: stats.liveCounts() };
  const [volume, overdue, ...rates] = await Promise.all([
    measureCountsFast(ctx, scope, 'volume', o),
    stats.overdueCounts(db, scope, o),
    ...rateMeasures.map((m) => measureCountsFast(ctx, scope, m, o)),
  ]);
  const keys = new Set<string>();
  for (const list of [volume, ...rates]) for (const r of list) keys.add(r.key);
  // Overdue-now counts only add a row when the group has one in the period too (or no grouping).
  if (group === 'none') for (const r of overdue) keys.add(r.key);
  const maps = new Map<stats.Counts[], Map<string, stats.Counts>>();
  const get = (list: stats.Counts[], k: string) => {
    let m = maps.get(list);
    if (!m) maps.set(list, (m = new Map(list.map((r) => [r.key, r]))));
    return m.get(k);
  };
  const rows: StatsRow[] = [...keys].map((k) => {
    const row: StatsRow = {
      key: k,
      label: groupLabel(ctx, group, k),
      volume: get(volume, k)?.due ?? 0,
      overdue: get(overdue, k)?.due ?? 0,
    } as StatsRow;
    rateMeasures.forEach((m, i) => {
      const c = get(rates[i]!, k);
      row[m] = ratio(c?.hit ?? 0, c?.due ?? 0);
    });
    return row;
  });
  if (group === 'none' && rows.length === 0) {
    const empty = { key: 'all', label: '合计', volume: 0, overdue: 0 } as StatsRow;
    for (const m of rateMeasures) empty[m] = ratio(0, 0);
    rows.push(empty);
  }
  rows.sort((a, b) => (group === 'month' ? a.key.localeCompare(b.key) : b.volume - a.volume || a.key.localeCompare(b.key)));
  return { rows, overdueNow: overdue.reduce((n, r) => n + r.due, 0) };
}

function sumRows(rows: StatsRow[]): StatsRow {
  const t = { key: 'all', label: '合计', volume: 0, overdue: 0 } as StatsRow;
  for (const m of rateMeasures) {
    const hit = rows.reduce((n, r) => n + r[m].hit, 0);
    const due = rows.reduce((n, r) => n + r[m].due, 0);
    t[m] = ratio(hit, due);
  }
  t.volume = rows.reduce((n, r) => n + r.volume, 0);
  t.overdue = rows.reduce((n, r) => n + r.overdue, 0);
  return t;
}

/** GET /api/office/stats: the measures for a period, overall and grouped. */
export async function statistics(ctx: AppContext, p: StaffPrincipal, q: StatsQuery) {
  checkPeriod(q.from, q.to);
  const scope = statsScope(ctx, p, q);
  const group = q.groupBy ?? 'category';
  const level = q.level ?? childLevel(q.region);
  const { rows, overdueNow } = await collect(ctx, scope, q, group, level);
  // Every grouping puts each case (and each confirmed repeat) in exactly one group, so the totals
  // are the sums of the groups; one pass over the cases instead of two.
  const totals = [sumRows(rows)];
  // Overdue now is not bound to the period: a group may have overdue cases and none in the period,
  // so the total is that of every group, not only of the rows shown.
  totals[0]!.overdue = overdueNow;
  return {
    from: q.from,
    to: q.to,
    today: today(ctx),
    groupBy: group,
    level: group === 'region' ? level : null,
    measures: measureKeys.map((k) => ({ key: k, label: measureLabels[k] })),
    total: totals[0]!,
    rows,
  };
}

export interface DrillQuery extends StatsQuery {
  measure: MeasureKey;
  part: stats.DrillPart;
  key?: string | undefined;
  page: number;
  pageSize: number;
}

/** GET /api/office/stats/cases: the cases behind one number (no personal data: title, dates, units). */
export async function statsCases(ctx: AppContext, p: StaffPrincipal, q: DrillQuery) {
  checkPeriod(q.from, q.to);
  const scope = statsScope(ctx, p, q);
  if (!p.permissions.has('case.read')) throw forbidden('您的角色不能查看信访件');
  const group = q.groupBy ?? 'category';
  const level = q.level ?? childLevel(q.region);
  const offset = (q.page - 1) * q.pageSize;
  if (offset > stats.maxDrillOffset) throw badInput(`最多翻到第 ${stats.maxDrillOffset} 件，请缩小筛选范围或导出`, { page: '页码过大' });
  const d = today(ctx);
  const drillGroup = q.key === undefined ? 'none' : group;
  // The total is the number the viewer clicked: the statistics' own count (rollups), except for
  // repeats, whose list also holds the open cases that confirmed repeats joined, and overdue now.
  let known: number | undefined;
  if (q.measure !== 'overdue' && q.measure !== 'repeat') {
    const counts = await measureCountsFast(ctx, scope, q.measure, { from: q.from, to: q.to, today: d, group: drillGroup, level, key: q.key });
    const c = counts.find((r) => r.key === (q.key === undefined ? 'all' : q.key));
    known = !c ? 0 : q.part === 'due' ? c.due : q.part === 'hit' ? c.hit : c.due - c.hit;
  }
  const { rows, total } = await stats.drillCases(ctx.store.db, scope, q.measure, {
    from: q.from,
    to: q.to,
    today: d,
    group: drillGroup,
    level,
    key: q.key,
    part: q.part,
    limit: q.pageSize,
    offset,
    total: known,
  });
  return {
    total,
    page: q.page,
    pageSize: q.pageSize,
    items: rows.map((r) => ({
      id: r.id,
      caseNo: caseNumber(r),
      title: r.title,
      receivedDate: r.received_date,
      channel: r.channel,
      channelLabel: channelLabels[r.channel] ?? r.channel,
      category: nameOf(categories, r.category_code),
      region: ctx.units.get(r.region_code)?.name ?? r.region_code,
      state: r.state,
      stateLabel: stateLabel(r.state as CaseState),
      unit: ctx.units.displayName(r.current_unit_id),
      dueAccept: r.due_accept,
      dueAssign: r.due_assign,
      dueReply: r.due_reply,
      acceptedAt: r.accepted_at,
      assignedAt: r.assigned_at,
      repliedAt: r.replied_at,
      evaluation: r.evaluation,
    })),
  };
}

const pct = (r: Ratio) => (r.rate === null ? '' : `${(r.rate * 100).toFixed(2)}%`);

/** The table as rows of cells (header first), as both exports write it. */
export function statsTable(result: Awaited<ReturnType<typeof statistics>>): string[][] {
  const head = ['分组', '信访总量', '当前超期'];
  for (const m of rateMeasures) head.push(`${measureLabels[m]}`, `${measureLabels[m]}（分子/分母）`);
  const line = (r: StatsRow) => {
    const out = [r.label, String(r.volume), String(r.overdue)];
    for (const m of rateMeasures) out.push(pct(r[m]), `${r[m].hit}/${r[m].due}`);
    return out;
  };
  return [head, ...result.rows.map(line), line({ ...result.total, label: '合计' })];
}

/** A drill-down list as rows of cells; titles only, no petitioner data. */
export function casesTable(result: Awaited<ReturnType<typeof statsCases>>): string[][] {
  const head = ['信访件编号', '标题', '收到日期', '渠道', '类别', '地区', '状态', '当前单位', '受理期限', '交办期限', '答复期限', '评价'];
  return [
    head,
    ...result.items.map((i) => [i.caseNo, i.title, i.receivedDate, i.channelLabel, i.category, i.region, i.stateLabel, i.unit, i.dueAccept ?? '', i.dueAssign ?? '', i.dueReply ?? '', i.evaluation ?? '']),
  ];
}

/** CSV (RFC 4180, UTF-8 with BOM so spreadsheet programs read the Chinese). Formula-leading cells are quoted with ' to stop CSV injection. */
export function toCsv(rows: string[][]): string {
  const cell = (v: string) => {
    const safe = /^[=+\-@\t\r]/.test(v) && !/^-?\d/.test(v) ? `'${v}` : v;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return `\uFEFF${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

/** XLSX of the same rows, with the filters in a second sheet. */
export async function toXlsx(rows: string[][], filters: Record<string, string | undefined>): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('统计');
  for (const r of rows) ws.addRow(r.map((v) => (/^\d+$/.test(v) ? Number(v) : v)));
  ws.getRow(1).font = { bold: true };
  const f = wb.addWorksheet('筛选条件');
  for (const [k, v] of Object.entries(filters)) if (v !== undefined) f.addRow([k, v]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
