/**
 * Hotspots (可能的群体性事项): cases of different petitioners about the same matter and place —
 * similar words (domain/similarity.ts), same county, within a window — clustered for supervisors;
 * and the words trending per region in a week against the weeks before.
 */
import type { AppContext } from './context.js';
import type { StaffPrincipal } from './auth.service.js';
import { badInput } from './errors.js';
import { statsScope } from './stats.service.js';
import { caseNumber } from './case.service.js';
import { addDays } from '../domain/calendar.js';
import { similarityTokens, tokenSimilarity } from '../domain/similarity.js';
import * as stats from '../store/stats.repository.js';

export interface HotspotQuery {
  from: string;
  to: string;
  region?: string | undefined;
  minPetitioners: number;
}

export interface TextCase {
  id: string;
  seq_no: number;
  received_date: string;
  title: string;
  content: string;
  region_code: string;
  petitioner_id: string | null;
  state: string;
}

/** Words of two cases alike at least this much (domain/similarity.ts) put them in one cluster. */
export const clusterThreshold = 0.35;

/** Clusters of alike cases per county (greedy single pass, in the order given: most recent first). */
export function clusterCases<T extends TextCase>(rows: T[]): { region: string; members: T[]; petitioners: Set<string> }[] {
  type Cluster = { region: string; tokens: Set<string>; members: T[]; petitioners: Set<string> };
  const clusters: Cluster[] = [];
  for (const r of rows) {
    const tokens = similarityTokens(r.title, r.content);
    let best: Cluster | undefined;
    let bestScore = clusterThreshold;
    for (const c of clusters) {
      if (c.region !== r.region_code) continue;
      const s = tokenSimilarity(tokens, c.tokens);
      if (s >= bestScore) {
        best = c;
        bestScore = s;
      }
    }
    const who = r.petitioner_id ?? `case:${r.id}`;
    if (best) {
      best.members.push(r);
      best.petitioners.add(who);
    } else clusters.push({ region: r.region_code, tokens, members: [r], petitioners: new Set([who]) });
  }
  return clusters;
}

/** Clusters of ≥ minPetitioners distinct petitioners per county (greedy single pass, most recent first). */
export async function hotspots(ctx: AppContext, p: StaffPrincipal, q: HotspotQuery) {
  if (q.from > q.to) throw badInput('开始日期不能晚于结束日期', { from: '开始日期不能晚于结束日期' });
  const scope = statsScope(ctx, p, { region: q.region });
  const rows = await stats.casesForText(ctx.store.db, scope, q.from, q.to, 5000);
  const clusters = clusterCases(rows);
  return {
    items: clusters
      .filter((c) => c.petitioners.size >= q.minPetitioners)
      .sort((a, b) => b.petitioners.size - a.petitioners.size)
      .map((c) => ({
        region: c.region,
        regionName: ctx.units.get(c.region)?.name ?? c.region,
        petitioners: c.petitioners.size,
        words: topWords(c.members.map((m) => similarityTokens(m.title, m.content)), 8),
        cases: c.members.map((m) => ({ id: m.id, caseNo: caseNumber(m), title: m.title, receivedDate: m.received_date, state: m.state })),
      })),
  };
}

export function topWords(sets: Set<string>[], n: number): string[] {
  const count = new Map<string, number>();
  for (const s of sets) for (const w of s) count.set(w, (count.get(w) ?? 0) + 1);
  return [...count.entries()]
    .filter(([, k]) => k >= 2 || sets.length === 1)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([w]) => w);
}

/** Words of the week ending `week` (7 days) per city, ranked by how much more often they appear than in the 4 weeks before. */
export async function trendingWords(ctx: AppContext, p: StaffPrincipal, q: { week: string; region?: string | undefined }) {
  const scope = statsScope(ctx, p, { region: q.region });
  const start = addDays(q.week, -6);
  const baseStart = addDays(start, -28);
  const rows = await stats.casesForText(ctx.store.db, scope, baseStart, q.week, 20000);
  const byRegion = new Map<string, { now: Map<string, number>; before: Map<string, number>; nowCases: number }>();
  for (const r of rows) {
    const city = `${r.region_code.slice(0, 4)}00`;
    const g = byRegion.get(city) ?? { now: new Map(), before: new Map(), nowCases: 0 };
    byRegion.set(city, g);
    const recent = r.received_date >= start;
    if (recent) g.nowCases++;
    const m = recent ? g.now : g.before;
    for (const w of similarityTokens(r.title, r.content)) m.set(w, (m.get(w) ?? 0) + 1);
  }
  return {
    from: start,
    to: q.week,
    items: [...byRegion.entries()].map(([region, g]) => ({
      region,
      regionName: ctx.units.get(region)?.name ?? region,
      cases: g.nowCases,
      words: [...g.now.entries()]
        .filter(([, k]) => k >= 2)
        // Weekly count against the weekly average of the 4 weeks before (+1 smoothing).
        .map(([word, k]) => ({ word, count: k, lift: Math.round((k / ((g.before.get(word) ?? 0) / 4 + 1)) * 100) / 100 }))
        .sort((a, b) => b.lift - a.lift || b.count - a.count)
        .slice(0, 10),
    })),
  };
}
