/**
 * Statistics rollups (domain/stats-rollup.ts, migration 016): kept in step with every case change
 * inside the transaction that makes it (mutateCase); a new case (createCase) only joins a queue
 * (migration 020) that is applied in batches, summed per rollup row — by the scheduler every few
 * seconds and before any statistics are read, so no figure ever misses a case; built from the cases
 * in chunks (in the background after the migration, resumable), rebuilt on demand,
 * and read by the statistics for the whole months of a period before the current month; the days
 * at the edges of the period and the current month are counted from the cases themselves, so the
 * figures are exactly those of stats.repository's SQL.
 */
import type { AppContext } from './context.js';
import type { TxContext } from '../store/tx.js';
import type { CaseRow } from '../store/case.repository.js';
import { inTransaction } from '../store/tx.js';
import { addDays } from '../domain/calendar.js';
import {
  caseNodes,
  contributions,
  diffContributions,
  eachContribution,
  nextChunkSize,
  rollupKeyParts,
  type Contribution,
  type ContributionSink,
  type RollupCase,
  type RollupDim,
  type RollupKind,
} from '../domain/stats-rollup.js';
import type { GroupKey, MeasureKey } from '../domain/measures.js';
import * as repo from '../store/stats-rollup.repository.js';
import * as stats from '../store/stats.repository.js';

/** Government units below the root: the jurisdiction nodes kept in the rollups ('/' covers the root). */
function isNodeUnit(ctx: AppContext, unitId: string): boolean {
  const u = ctx.units.get(unitId);
  return u !== undefined && u.kind === 'government' && u.parentId !== null;
}

async function caseContributions(ctx: AppContext, t: TxContext, row: RollupCase & { id: string }): Promise<Contribution[]> {
  const { paths, same } = await repo.rollupLinks(t.tx, [row.id]);
  return contributions(row, caseNodes(paths.get(row.id) ?? [], (id) => isNodeUnit(ctx, id)), same.get(row.id) ?? []);
}

/** A case as the rollups hold it when its change begins: whether they hold it at all, and what it adds. */
export interface RollupSnapshot {
  held: boolean;
  before: Contribution[];
}

/**
 * What a case adds to the rollups now (read inside the transaction, after the case row is locked,
 * before it changes). While the rollups are being built, a case the build has not reached yet is
 * left to the build; on PostgreSQL the build's state is read under a share lock, so no chunk of the
 * build commits between this read and the change's commit.
 */
export async function rollupBefore(ctx: AppContext, t: TxContext, row: CaseRow): Promise<RollupSnapshot> {
  // A queued case is applied as it stands when the queue is: its change has nothing to correct. The
  // queue is read after the state's lock is held (a statement of its own, so on PostgreSQL it sees
  // a flush that committed while this one waited for the lock); SQLite reads both at once.
  const held =
    t.dialect === 'sqlite'
      ? await repo.rollupHoldsUnqueued(t.tx, row.id, Number(row.seq_no))
      : (await repo.rollupHolds(t.tx, Number(row.seq_no))) && !(await repo.rollupQueued(t.tx, row.id));
  return { held, before: held ? await caseContributions(ctx, t, row) : [] };
}

/** Applies the change of a case's contributions (after its writes, in the same transaction). */
export async function rollupAfter(ctx: AppContext, t: TxContext, row: CaseRow, s: RollupSnapshot): Promise<void> {
  if (!s.held) return;
  const after = await caseContributions(ctx, t, row);
  await repo.applyContributions(t, diffContributions(s.before, after));
}

/**
 * A new case joins the rollups' queue (in its own transaction: no queued row without its case, no
 * case without its queued row); flushRollups adds it. One small row instead of ~100 rollup rows per
 * submission, and the rows of many cases summed before they are written.
 */
export async function rollupNewCase(_ctx: AppContext, t: TxContext, row: CaseRow): Promise<void> {
  await repo.queueRollup(t.tx, row.id);
}

/**
 * Cases per transaction of a flush: each adds ~100 rollup rows per case before summing, so a batch
 * of 250 keeps the event loop's pause short (the flush yields between batches).
 */
const flushCases = 250;

/**
 * One batch of the queue in one transaction: the first queued cases (in id order) the rollups are to
 * hold get their contributions as they stand now, summed per rollup row; every case read is taken
 * off the queue. On PostgreSQL the build's state row is locked for update, so a case change (which
 * takes it for share, then reads the queue) sees either its case queued or its case applied.
 */
async function flushRollupChunk(ctx: AppContext, size: number): Promise<number> {
  return inTransaction(ctx.store, async (t) => {
    await repo.rollupState(t.tx, t.dialect === 'postgres' ? 'update' : null);
    const queued = await repo.queuedRollups(t.tx, size);
    if (queued.length === 0) return 0;
    const held = queued.filter((q) => q.held).map((q) => q.caseId);
    if (held.length > 0) await repo.applyContributions(t, byKey(await pageContributions(ctx, t.tx, await repo.rollupCasesById(t.tx, held))));
    await repo.unqueueRollups(
      t.tx,
      queued.map((q) => q.caseId),
    );
    return queued.length;
  });
}

/** The flush under way per database; a new flush waits for it, then empties what was queued since. */
const flushing = new WeakMap<AppContext['store'], Promise<number>>();

/** Applies the whole queue of new cases to the rollups, batch by batch; resolves with the cases taken. */
export function flushRollups(ctx: AppContext, o: { chunkSize?: number } = {}): Promise<number> {
  const prev = flushing.get(ctx.store);
  const chunk = o.chunkSize ?? flushCases;
  const run = async () => {
    let n = 0;
    for (;;) {
      const k = await flushRollupChunk(ctx, chunk);
      n += k;
      if (k < chunk) return n;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  const next = prev ? prev.then(run, run) : run();
  flushing.set(ctx.store, next);
  const clear = () => {
    if (flushing.get(ctx.store) === next) flushing.delete(ctx.store);
  };
  next.then(clear, clear);
  return next;
}

/** A sink that adds each contribution into a map keyed by rollup key (the sums a set of cases makes): one object per rollup row. */
function sinkInto(acc: Map<string, Contribution>): ContributionSink {
  return (node, dim, kind, month, key, region, den, x) => {
    const k = rollupKeyParts(node, dim, kind, month, key, region, den);
    const e = acc.get(k);
    if (e) {
      e.n += x.n;
      e.hit += x.hit;
      e.hit2 += x.hit2;
      e.pending += x.pending;
    } else acc.set(k, { node, dim, kind, month, key, region, den, n: x.n, hit: x.hit, hit2: x.hit2, pending: x.pending });
  };
}

/** Adds contributions into a map keyed by rollup key. */
function accumulate(acc: Map<string, Contribution>, list: Contribution[]): void {
  const add = sinkInto(acc);
  for (const x of list) add(x.node, x.dim, x.kind, x.month, x.key, x.region, x.den, x);
}

/** The summed contributions of a page of cases (read with rollupCasePage), added as they are made. */
async function pageContributions(ctx: AppContext, db: TxContext['tx'] | AppContext['store']['db'], page: (RollupCase & { id: string })[]): Promise<Map<string, Contribution>> {
  const acc = new Map<string, Contribution>();
  const { paths, same } = await repo.rollupLinks(
    db,
    page.map((c) => c.id),
  );
  const sink = sinkInto(acc);
  for (const c of page) eachContribution(c, caseNodes(paths.get(c.id) ?? [], (id) => isNodeUnit(ctx, id)), same.get(c.id) ?? [], sink);
  return acc;
}

const byKey = (list: Map<string, Contribution>) =>
  [...list.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, c]) => c);

/**
 * What the rollups must hold, computed from the cases alone without writing (every non-zero row,
 * in key order): the check that the rollups kept in step with every change equal the cases.
 */
export async function rollupsFromCases(ctx: AppContext): Promise<Contribution[]> {
  const acc = new Map<string, Contribution>();
  for (let after = 0; ; ) {
    const page = await repo.rollupCasePage(ctx.store.db, after, 2000);
    if (page.length === 0) break;
    after = page.at(-1)!.seq_no;
    for (const c of (await pageContributions(ctx, ctx.store.db, page)).values()) accumulate(acc, [c]);
  }
  return byKey(acc).filter((c) => c.n !== 0 || c.hit !== 0 || c.hit2 !== 0 || c.pending !== 0);
}

/**
 * Cases per chunk of the build: one transaction each, during which every other write (and, on
 * SQLite, every other query of this process) waits. A chunk's cost per case grows with the rollup
 * tables, so unless a size is given the build sizes each chunk from the last one's time to take
 * about 250 ms (nextChunkSize): a few hundred cases at a million, more while the tables are small.
 */
const chunkCases = 500;

/**
 * The build run with nothing else to serve (`xinfang stats rebuild`, bench/stats.ts): fixed chunks of
 * 5,000 cases. Time-sized chunks shrink as the tables grow, and small chunks sum fewer contributions
 * per row and commit more often: 100,000 cases on SQLite took 354 s in 250 ms chunks against 121 s in
 * chunks of 2,000; PostgreSQL past 100,000 cases built 9,000-12,000 cases a minute in 2 s chunks,
 * 23,500 in chunks of 5,000. A server's writes on the same database wait for a chunk (seconds).
 */
export const offlineBuild: BuildOptions = { chunkSize: 5000 };

/**
 * One chunk of the build, in one transaction: the next cases by number (seq_no) after the watermark, their
 * contributions added, the watermark moved past them; or, when no case is left, the rollups marked
 * built. A crash loses at most the chunk under way, which the next build redoes.
 */
export async function buildRollupChunk(ctx: AppContext, size = chunkCases): Promise<{ done: boolean; cases: number }> {
  return inTransaction(ctx.store, async (t) => {
    const s = await repo.rollupState(t.tx, t.dialect === 'postgres' ? 'update' : null);
    if (s.built) return { done: true, cases: 0 };
    const page = await repo.rollupCasePage(t.tx, s.uptoSeq, size);
    if (page.length === 0) {
      await repo.setRollupBuilt(t.tx, ctx.clock.now().toISOString());
      return { done: true, cases: 0 };
    }
    await repo.applyContributions(t, byKey(await pageContributions(ctx, t.tx, page)));
    // Queued cases of this page are now counted as they stand: the queue must not add them again.
    await repo.unqueueRollups(
      t.tx,
      page.map((c) => c.id),
    );
    await repo.setRollupUpto(t.tx, page.at(-1)!.seq_no);
    return { done: false, cases: page.length };
  });
}

export interface BuildOptions {
  /** Cases per chunk, fixed; without it each chunk is sized to take about 250 ms (nextChunkSize). */
  chunkSize?: number;
  /** Stop after this many chunks (the build resumes from its watermark next time). */
  maxChunks?: number;
  /** Asked between chunks: true stops the build (e.g. the scheduler is stopping). */
  shouldStop?: () => boolean;
}

/**
 * Builds the rollups chunk by chunk from the watermark, yielding to the event loop between chunks
 * so requests and case changes go on meanwhile (statistics are counted from the cases until the
 * build is done). Safe to run from several instances: each chunk re-reads the watermark under lock.
 */
export async function buildStatsRollups(ctx: AppContext, o: BuildOptions = {}): Promise<{ done: boolean; chunks: number; cases: number }> {
  let chunks = 0;
  let cases = 0;
  let size = chunkCases;
  for (;;) {
    if (o.maxChunks !== undefined && chunks >= o.maxChunks) return { done: false, chunks, cases };
    if (o.shouldStop?.()) return { done: false, chunks, cases };
    const t0 = performance.now();
    const r = await buildRollupChunk(ctx, o.chunkSize ?? size);
    if (r.done) return { done: true, chunks, cases };
    chunks += 1;
    cases += r.cases;
    if (r.cases === size) size = nextChunkSize(size, performance.now() - t0);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Empties the rollups and builds them again from the cases, chunk by chunk (`xinfang stats rebuild`, tests). */
export async function rebuildStatsRollups(ctx: AppContext, o: BuildOptions = {}): Promise<{ cases: number; rows: number }> {
  await inTransaction(ctx.store, async (t) => {
    await repo.rollupState(t.tx, t.dialect === 'postgres' ? 'update' : null);
    await repo.resetRollups(t.tx);
  });
  const r = await buildStatsRollups(ctx, o);
  const count = async (table: 'stats_rollup' | 'stats_rollup_total') => Number((await ctx.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { cases: r.cases, rows: (await count('stats_rollup')) + (await count('stats_rollup_total')) };
}

/** Off: every figure is counted from the cases (tests compare both ways). buildOnRead: a statistics read starts a missing build. */
export const rollupSettings = { enabled: true, buildOnRead: true };

/** The build under way per database (several apps may share a process, e.g. in tests). */
const building = new WeakMap<AppContext['store'], Promise<unknown>>();

/** Starts the build in the background unless one is under way in this process; resolves when it ends. */
export function startRollupBuild(ctx: AppContext, o: BuildOptions = {}): Promise<unknown> {
  let b = building.get(ctx.store);
  if (!b) {
    b = buildStatsRollups(ctx, o)
      .catch((err: unknown) => console.error(`统计汇总构建中断（下次从断点继续）：${err instanceof Error ? err.message : String(err)}`))
      .finally(() => building.delete(ctx.store));
    building.set(ctx.store, b);
  }
  return b;
}

/**
 * Whether the rollups can be read: built, and every new case queued before this read applied. If not
 * yet built, the build is started and this read counts from the cases; so does a read whose flush
 * of the queue failed (slower, never wrong).
 */
async function ensureBuilt(ctx: AppContext): Promise<boolean> {
  const r = await repo.rollupReadiness(ctx.store.db);
  if (!r.built) {
    if (rollupSettings.buildOnRead) void startRollupBuild(ctx);
    return false;
  }
  if (!r.queued) return true;
  try {
    await flushRollups(ctx);
    return true;
  } catch (err) {
    console.error(`统计汇总队列写入失败（本次统计按案件逐件计算）：${err instanceof Error ? err.message : String(err)}`);
    return false;
  }
}

/**
 * `key`: only that group's counts (a drill-down's total), read as such instead of every group's.
 * `sums`: rollup sums already read for this request (rollupSums()): the measures of one anchor
 * (volume, online share and repeats; participation and satisfaction) read the same rows once.
 * `live`: counts from the cases already read for this request (stats.liveCounts()), likewise.
 */
type LiveOptions = { from: string; to: string; today: string; group: GroupKey | 'none'; level: stats.RegionLevel; key?: string | undefined; sums?: RollupSums | undefined; live?: stats.LiveCounts | undefined };

/** Rollup sums read during one request, by what was asked. */
export type RollupSums = Map<string, ReturnType<typeof repo.sumRollups>>;
export const rollupSums = (): RollupSums => new Map();

function monthEnd(m: string): string {
  const y = Number(m.slice(0, 4));
  const mo = Number(m.slice(5, 7));
  return addDays(mo === 12 ? `${y + 1}-01-01` : `${y}-${String(mo + 1).padStart(2, '0')}-01`, -1);
}
const nextMonth = (m: string) => addDays(monthEnd(m), 1).slice(0, 7);
const prevMonth = (m: string) => addDays(`${m}-01`, -1).slice(0, 7);

/**
 * The whole months of [from, to] the rollups can answer, or null. For the clocks (whose counts
 * depend on the day of the query) only months strictly before the month of today. For anchors that
 * never lie after today (receipt, reply, a confirmed repeat: `upToToday`), a period reaching today
 * also takes the month of today whole, since its days after today hold nothing yet.
 */
export function wholeMonths(from: string, to: string, today: string, upToToday = false): { fromMonth: string; toMonth: string; start: string; end: string } | null {
  const fromMonth = from.slice(8) === '01' ? from.slice(0, 7) : nextMonth(from.slice(0, 7));
  const end = upToToday && to >= today ? monthEnd(today.slice(0, 7)) : to;
  let toMonth = end === monthEnd(end.slice(0, 7)) ? end.slice(0, 7) : prevMonth(end.slice(0, 7));
  const cap = upToToday ? today.slice(0, 7) : prevMonth(today.slice(0, 7));
  if (toMonth > cap) toMonth = cap;
  if (fromMonth > toMonth) return null;
  return { fromMonth, toMonth, start: `${fromMonth}-01`, end: monthEnd(toMonth) };
}

/** Received-case volumes read from the rollups, for a few minutes (an estimate that only steers a plan). */
const volumes = new WeakMap<AppContext['store'], Map<string, { at: number; total: number; perDay: number }>>();

async function volumeOf(ctx: AppContext, node: string): Promise<{ total: number; perDay: number }> {
  let m = volumes.get(ctx.store);
  if (!m) volumes.set(ctx.store, (m = new Map()));
  const now = Date.now();
  const hit = m.get(node);
  if (hit && now - hit.at < 5 * 60_000) return hit;
  const months = await repo.receivedPerMonth(ctx.store.db, node);
  const recent = months.slice(-4, -1).length > 0 ? months.slice(-4, -1) : months;
  const v = { at: now, total: months.reduce((n, x) => n + x.n, 0), perDay: recent.reduce((n, x) => n + x.n, 0) / Math.max(1, recent.length * 30) };
  m.set(node, v);
  return v;
}

/**
 * How to count the cases of a period's edge (days outside the whole months) in a jurisdiction:
 * 'probe' finds the period's cases of the whole province by date and checks each for a link into
 * the jurisdiction; 'drive' reads the jurisdiction's links first. Probing wins while the province
 * receives fewer cases in those days than the jurisdiction holds in all (a city's month at a
 * million cases); a county's few thousand links beat a month of the province.
 */
async function edgeMode(ctx: AppContext, node: string, from: string, to: string): Promise<'drive' | 'probe'> {
  if (node === '/') return 'probe';
  const [province, jurisdiction] = [await volumeOf(ctx, '/'), await volumeOf(ctx, node)];
  return dayCount(from, to) * province.perDay * probeCost[ctx.store.dialect] <= jurisdiction.total ? 'probe' : 'drive';
}

/**
 * What probing a case costs against reading one case of the jurisdiction's links (edgeMode). On
 * PostgreSQL a probe reads the case's links by key and their rows (about 20 µs), while the links of
 * a jurisdiction are read index-only and hashed (about 1 µs each, two per case): a county's edge days
 * are driven from its links (1,000,000 cases: 2 days of replies, 120 -> 20 ms).
 */
const probeCost: Record<AppContext['store']['dialect'], number> = { sqlite: 1, postgres: 10 };

/** The rollup node for a viewer's scope and unit filter, or null when the rollups cannot answer. */
function rollupNode(ctx: AppContext, s: stats.StatsScope): string | null {
  if (s.categoryCode || s.channel || s.target) return null;
  let node = s.scopePath;
  if (s.unitPath) {
    if (s.scopePath !== '/' && !s.unitPath.startsWith(s.scopePath)) return null;
    node = s.unitPath;
  }
  if (node === '/') return node;
  const id = node.split('/').filter(Boolean).at(-1)!;
  return isNodeUnit(ctx, id) ? node : null;
}

const kindOf: Record<Exclude<MeasureKey, 'overdue'>, RollupKind> = {
  volume: 'received',
  online: 'received',
  repeat: 'received',
  acceptance: 'acceptance',
  assignment: 'assignment',
  completion: 'completion',
  participation: 'replied',
  satisfaction: 'replied',
};

function regionKey(code: string, level: stats.RegionLevel): string {
  return level === 'province' ? `${code.slice(0, 2)}0000` : level === 'city' ? `${code.slice(0, 4)}00` : code;
}

/**
 * Due and hit counts of a measure per group, as stats.measureCounts returns them: whole months
 * before the current one from the rollups, the rest of the period from the cases.
 */
export async function measureCountsFast(ctx: AppContext, s: stats.StatsScope, m: Exclude<MeasureKey, 'overdue'>, o: LiveOptions): Promise<stats.Counts[]> {
  const db = ctx.store.db;
  const node = rollupSettings.enabled ? rollupNode(ctx, s) : null;
  const kind = kindOf[m];
  const clock = kind === 'acceptance' || kind === 'assignment' || kind === 'completion';
  const whole = wholeMonths(o.from, o.to, o.today, !clock);
  // Until the rollups are built, every figure is counted from the cases (slower, never wrong).
  if (!node || !(await ensureBuilt(ctx))) return stats.measureCounts(db, s, m, o, 'drive', o.live);
  const acc = new Map<string, stats.Counts>();
  const add = (key: string, due: number, hit: number) => {
    const e = acc.get(key) ?? { key, due: 0, hit: 0 };
    e.due += due;
    e.hit += hit;
    acc.set(key, e);
  };
  const dim: RollupDim = o.group === 'channel' || o.group === 'target' || o.group === 'unit' || o.group === 'receivingUnit' || o.group === 'region' ? o.group : 'category';
  const by: 'month' | 'none' | 'key' = o.group === 'month' ? 'month' : o.group === 'none' ? 'none' : 'key';
  // One group: its key (a region at its level is a code prefix; a month narrows the months read).
  const one = o.key !== undefined && o.group !== 'none' ? o.key : undefined;
  const onlyKey = one === undefined || o.group === 'month' ? undefined : o.group === 'region' ? stats.regionKeyPrefix(one, o.level) : one;
  const keyOf = (g: string) => (o.group === 'region' ? regionKey(g, o.level) : g);
  /** Adds (sign 1) or takes away (−1) the rollups of months [from, to]: as due counts for a clock, every case owing it by then. */
  const addMonths = async (fromM: string, toM: string, sign: 1 | -1) => {
    const fromMonth = one !== undefined && o.group === 'month' && one > fromM ? one : fromM;
    const toMonth = one !== undefined && o.group === 'month' && one < toM ? one : toM;
    if (fromMonth > toMonth) return;
    const read = (k: RollupKind) => {
      const q = { node, dim, kind: k, fromMonth, toMonth, regionPrefix: s.regionPrefix, excludeAccusedPaths: s.excludeAccusedPaths, by, onlyKey };
      if (!o.sums) return repo.sumRollups(db, q);
      const id = JSON.stringify(q);
      let r = o.sums.get(id);
      if (!r) o.sums.set(id, (r = repo.sumRollups(db, q)));
      return r;
    };
    for (const r of await read(kind)) {
      const [due, hit] = rollupMeasure(m, r);
      add(keyOf(r.key), sign * due, sign * hit);
    }
    if (m === 'repeat') for (const r of await read('same')) add(keyOf(r.key), sign * r.n, sign * r.n);
  };
  /** Counts days [from, to] from the cases (as of `today`; for a clock as of a far day, every case owing it). */
  const addLive = async (from: string, to: string, sign: 1 | -1, today = o.today) => {
    const mode = await edgeMode(ctx, node, from, to);
    for (const r of await stats.measureCounts(db, s, m, { ...o, from, to, today }, mode, o.live)) add(r.key, sign * r.due, sign * r.hit);
  };
  if (whole) await addMonths(whole.fromMonth, whole.toMonth, 1);
  // The days of the period outside the whole months, month by month: counted from the cases, or —
  // when the rest of their month is shorter — as the month's rollup less the rest of the month.
  // For a clock the rollup counts every case owing it; the days from today on are set right by
  // taking those away and adding them as of today (a case due today or later is not owed yet).
  const thisMonth = o.today.slice(0, 7);
  for (const [a, b] of edgePieces(o.from, o.to, whole)) {
    const month = a.slice(0, 7);
    const start = `${month}-01`;
    const end = monthEnd(month);
    const days = dayCount(a, b);
    const rest = dayCount(start, end) - days;
    if (month > thisMonth || rest >= days) {
      await addLive(a, b, 1);
      continue;
    }
    await addMonths(month, month, 1);
    if (a > start) await addLive(start, addDays(a, -1), -1, farDay);
    if (b < end) await addLive(addDays(b, 1), end, -1, farDay);
    if (clock && b >= o.today) {
      const x = a > o.today ? a : o.today;
      await addLive(x, b, -1, farDay);
      await addLive(x, b, 1);
    }
  }
  return [...acc.values()].filter((r) => r.due > 0);
}

/** A day after every due date: counted as of it, a clock's due set holds every case owing it. */
const farDay = '9999-12-31';

function dayCount(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
}

/** The days of [from, to] outside the whole months, split at month ends. */
export function edgePieces(from: string, to: string, whole: { start: string; end: string } | null): [string, string][] {
  const ranges: [string, string][] = whole ? [[from, addDays(whole.start, -1)], [addDays(whole.end, 1), to]] : [[from, to]];
  const out: [string, string][] = [];
  for (const [a0, b] of ranges) {
    for (let a = a0; a <= b; ) {
      const e = monthEnd(a.slice(0, 7));
      const pieceEnd = e < b ? e : b;
      out.push([a, pieceEnd]);
      a = addDays(pieceEnd, 1);
    }
  }
  return out;
}

/** A month's rollup counts as the measure's due and hit. */
function rollupMeasure(m: Exclude<MeasureKey, 'overdue'>, r: { n: number; hit: number; hit2: number; pending: number }): [number, number] {
  switch (m) {
    case 'volume':
      return [r.n, r.n];
    case 'online':
      return [r.n, r.hit];
    case 'repeat':
      return [r.n, r.hit2];
    case 'acceptance':
    case 'assignment':
    case 'completion':
      return [r.n + r.pending, r.hit];
    case 'participation':
      return [r.n, r.hit];
    case 'satisfaction':
      return [r.hit, r.hit2];
  }
}
