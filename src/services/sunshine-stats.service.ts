/**
 * 阳光信访 public statistics: aggregated measures for a year, by month, category and city. A cell
 * counting fewer than XINFANG_PUBLIC_MIN_COUNT cases (default 5) is withheld (null), and so is a
 * rate whose denominator is that small, so no single case can be singled out.
 */
import type { AppContext } from './context.js';
import { today } from './deadlines.js';
import { categories, nameOf } from '../domain/catalog.js';
import { monthsBetween, type GroupKey, type MeasureKey } from '../domain/measures.js';
import type * as stats from '../store/stats.repository.js';
import { measureCountsFast } from './stats-rollup.service.js';

/** The smallest count published (XINFANG_PUBLIC_MIN_COUNT, default 5). */
export function publicMinCount(): number {
  const n = Number(process.env.XINFANG_PUBLIC_MIN_COUNT ?? 5);
  return Number.isInteger(n) && n >= 1 ? n : 5;
}

interface PublicCell {
  key: string;
  label: string;
  total: number | null;
  onlineShare: number | null;
  onTimeRate: number | null;
  satisfactionRate: number | null;
}

const wholeProvince: stats.StatsScope = { scopePath: '/', excludeAccusedPaths: [] };

async function cells(ctx: AppContext, from: string, to: string, group: GroupKey | 'none', label: (k: string) => string, min: number): Promise<PublicCell[]> {
  const o = { from, to, today: today(ctx), group, level: 'city' as const };
  // From the statistics rollups (a public page must not read a year of cases on every visit).
  const m = (k: Exclude<MeasureKey, 'overdue'>) => measureCountsFast(ctx, wholeProvince, k, o);
  const [volume, online, completion, satisfaction] = await Promise.all([m('volume'), m('online'), m('completion'), m('satisfaction')]);
  const keys = new Set(volume.map((r) => r.key));
  const rate = (list: stats.Counts[], k: string) => {
    const c = list.find((r) => r.key === k);
    return c && c.due >= min ? Math.round((c.hit / c.due) * 10000) / 10000 : null;
  };
  return [...keys].sort().map((k) => {
    const n = volume.find((r) => r.key === k)?.due ?? 0;
    return {
      key: k,
      label: label(k),
      total: n >= min ? n : null,
      onlineShare: n >= min ? rate(online, k) : null,
      onTimeRate: rate(completion, k),
      satisfactionRate: rate(satisfaction, k),
    };
  });
}

/** GET /api/public/stats: the year's figures (default this year). */
export async function publicStatistics(ctx: AppContext, year?: number) {
  const y = year ?? Number(today(ctx).slice(0, 4));
  const from = `${y}-01-01`;
  const to = `${y}-12-31`;
  const min = publicMinCount();
  const [total, byMonth, byCategory, byCity] = await Promise.all([
    cells(ctx, from, to, 'none', () => `${y}年`, min),
    cells(ctx, from, to, 'month', (k) => `${Number(k.slice(5, 7))}月`, min),
    cells(ctx, from, to, 'category', (k) => nameOf(categories, k), min),
    cells(ctx, from, to, 'region', (k) => ctx.units.get(k)?.name ?? k, min),
  ]);
  const months = monthsBetween(from, to).filter((mo) => mo <= today(ctx).slice(0, 7));
  const monthCells = months.map((mo) => byMonth.find((c) => c.key === mo) ?? { key: mo, label: `${Number(mo.slice(5, 7))}月`, total: null, onlineShare: null, onTimeRate: null, satisfactionRate: null });
  return {
    year: y,
    minCount: min,
    total: total[0] ?? { key: 'all', label: `${y}年`, total: null, onlineShare: null, onTimeRate: null, satisfactionRate: null },
    byMonth: monthCells,
    byCategory,
    byCity,
  };
}
