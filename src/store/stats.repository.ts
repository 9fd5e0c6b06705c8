/**
 * Statistics in SQL: each measure of domain/measures.ts as a due set and a hit set over the cases
 * of a jurisdiction, grouped by a key, with the period applied to the measure's own anchor date.
 * Mirrors classifyCase (domain/measures.ts) — change both together.
 */
import { sql, type Expression, type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Database } from './schema.js';
import { caseInSubtree, scopedCases, staffDueKey, withoutAccused } from './workbench.repository.js';
import { pathDepth, reachable } from './migrations/021-case-reach.js';
import { isPostgres } from './search.repository.js';
import { onlineChannels, type GroupKey, type MeasureKey } from '../domain/measures.js';
import { addDays } from '../domain/calendar.js';

type Db = Kysely<Database>;

export interface StatsScope {
  /** Jurisdiction path ('/' = whole tree) and the denunciation rule's accused paths. */
  scopePath: string;
  excludeAccusedPaths: string[];
  regionPrefix?: string | undefined;
  categoryCode?: string | undefined;
  channel?: string | undefined;
  target?: string | undefined;
  /** Cases with a (receiving or assigned) unit in this subtree. */
  unitPath?: string | undefined;
}

export type RegionLevel = 'province' | 'city' | 'county';

/** The local (China, UTC+8) date of an ISO timestamp column, on either database. */
function localDate(db: Db, col: string): RawBuilder<string> {
  const c = sql.ref(col);
  return isPostgres(db)
    ? sql<string>`to_char((${c}::timestamptz at time zone 'UTC') + interval '8 hours', 'YYYY-MM-DD')`
    : sql<string>`date(${c}, '+8 hours')`;
}

interface MeasureSql {
  anchor: RawBuilder<string>;
  due: RawBuilder<SqlBool>;
  hit: RawBuilder<SqlBool>;
}

const online = sql.join(onlineChannels.map((c) => sql`${c}`));

/** The due and hit conditions of a measure (see classifyCase). */
export function measureSql(db: Db, m: Exclude<MeasureKey, 'overdue'>, today: string): MeasureSql {
  const received = sql<string>`case_file.received_date`;
  const yes = sql<SqlBool>`1 = 1`;
  switch (m) {
    case 'volume':
      return { anchor: received, due: yes, hit: yes };
    case 'online':
      return { anchor: received, due: yes, hit: sql<SqlBool>`case_file.channel in (${online})` };
    case 'repeat':
      return { anchor: received, due: yes, hit: sql<SqlBool>`case_file.merged_into is not null` };
    case 'acceptance': {
      const decision = sql`coalesce(${localDate(db, 'case_file.accepted_at')}, case when case_file.state = 'rejected' then ${localDate(db, 'case_file.closed_at')} end)`;
      const decided = sql`(case_file.accepted_at is not null or case_file.state = 'rejected')`;
      return {
        anchor: sql<string>`case_file.due_accept`,
        due: sql<SqlBool>`(${decided} or (case_file.state not in ('withdrawn', 'merged') and case_file.due_accept < ${today}))`,
        hit: sql<SqlBool>`(${decided} and ${decision} <= case_file.due_accept)`,
      };
    }
    case 'assignment':
      return {
        anchor: sql<string>`case_file.due_assign`,
        due: sql<SqlBool>`(case_file.assigned_at is not null or (case_file.state not in ('withdrawn', 'merged', 'rejected') and case_file.due_assign < ${today}))`,
        hit: sql<SqlBool>`(case_file.assigned_at is not null and ${localDate(db, 'case_file.assigned_at')} <= case_file.due_assign)`,
      };
    case 'completion':
      return {
        anchor: sql<string>`case_file.due_reply`,
        due: sql<SqlBool>`(case_file.replied_at is not null or (case_file.state not in ('withdrawn', 'merged', 'rejected') and case_file.due_reply < ${today}))`,
        hit: sql<SqlBool>`(case_file.replied_at is not null and ${localDate(db, 'case_file.replied_at')} <= case_file.due_reply)`,
      };
    case 'participation':
      return { anchor: localDate(db, 'case_file.replied_at'), due: sql<SqlBool>`case_file.replied_at is not null`, hit: sql<SqlBool>`case_file.evaluation is not null` };
    case 'satisfaction':
      return {
        anchor: localDate(db, 'case_file.replied_at'),
        due: sql<SqlBool>`case_file.evaluation is not null and case_file.replied_at is not null`,
        hit: sql<SqlBool>`case_file.evaluation in ('satisfied', 'basically_satisfied')`,
      };
  }
}

/**
 * Open states whose next staff deadline has passed (当前超期). staffDue is set exactly for the open
 * states (submitted, accepted, returned, assigned, in_progress, under_review) and the key is '~'
 * otherwise, so this is the indexed key (case_due_key_idx) before today: the few overdue cases are
 * found directly, not by reading every open one.
 */
export function overdueSql(today: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${staffDueKey} < ${today})`;
}

/** The grouping key of a case; months are the measure's own anchor month. */
export function groupSql(group: GroupKey | 'none', anchor: RawBuilder<string>, level: RegionLevel): RawBuilder<string> {
  switch (group) {
    case 'none':
      return sql<string>`'all'`;
    case 'category':
      return sql<string>`case_file.category_code`;
    case 'channel':
      return sql<string>`case_file.channel`;
    case 'target':
      return sql<string>`case_file.target`;
    case 'unit':
      return sql<string>`case_file.current_unit_id`;
    case 'receivingUnit':
      return sql<string>`case_file.receiving_unit_id`;
    case 'month':
      return sql<string>`substr(${anchor}, 1, 7)`;
    case 'region':
      switch (level) {
        case 'province':
          return sql<string>`substr(case_file.region_code, 1, 2) || '0000'`;
        case 'city':
          return sql<string>`substr(case_file.region_code, 1, 4) || '00'`;
        case 'county':
          return sql<string>`case_file.region_code`;
      }
  }
}

/**
 * The viewer's cases: 'drive' reads the jurisdiction's case links first (a whole period); 'probe'
 * checks each case found otherwise (by a short date range) for a link into the jurisdiction.
 */
function scoped<O>(db: Db, q: SelectQueryBuilder<Database, 'case_file', O>, s: StatsScope, mode: 'drive' | 'probe' = 'drive'): SelectQueryBuilder<Database, 'case_file', O> {
  const inSubtree = (path: string) => (mode === 'probe' ? caseUnitIn(db, path) : caseInSubtree(db, path));
  q = q.where(inSubtree(s.scopePath));
  if (s.unitPath) q = q.where(inSubtree(s.unitPath));
  // A denunciation naming this unit (or one above it) is never counted for it.
  return narrowed(withoutAccused(q, s.excludeAccusedPaths), s);
}

/** The scope's filters by region, category, channel and target. */
function narrowed<O>(q: SelectQueryBuilder<Database, 'case_file', O>, s: StatsScope): SelectQueryBuilder<Database, 'case_file', O> {
  if (s.regionPrefix) q = s.regionPrefix.length === 6 ? q.where('case_file.region_code', '=', s.regionPrefix) : q.where('case_file.region_code', 'like', `${s.regionPrefix}%`);
  if (s.categoryCode) q = q.where('case_file.category_code', '=', s.categoryCode);
  if (s.channel) q = q.where('case_file.channel', '=', s.channel);
  if (s.target) q = q.where('case_file.target', '=', s.target);
  return q;
}

/**
 * Groups by the first selected column (its position): PostgreSQL would not match a parameterised
 * key expression in GROUP BY to the same one in SELECT, nor accept a constant; no grouping for 'none'.
 */
function byFirstColumn<O>(q: SelectQueryBuilder<Database, 'case_file', O>, group: GroupKey | 'none'): SelectQueryBuilder<Database, 'case_file', O> {
  return group === 'none' ? q : q.groupBy(sql<number>`1`);
}

export interface Counts {
  key: string;
  due: number;
  hit: number;
}

/**
 * The period on a measure's anchor. The reply's anchor is the local date of a timestamp: the same
 * period on the stored UTC timestamps is added, so an index on replied_at finds the cases.
 */
export function inPeriodSql(m: Exclude<MeasureKey, 'overdue'>, ms: MeasureSql, from: string, to: string): RawBuilder<SqlBool> {
  const period = sql<SqlBool>`${ms.anchor} >= ${from} and ${ms.anchor} <= ${to}`;
  if (m !== 'participation' && m !== 'satisfaction') return period;
  return sql<SqlBool>`case_file.replied_at >= ${utcStartOfLocalDay(from)} and case_file.replied_at < ${utcStartOfLocalDay(addDays(to, 1))} and ${period}`;
}

/** The UTC instant (as stored, ISO 8601) at which a local (UTC+8) date begins. */
export function utcStartOfLocalDay(date: string): string {
  return `${addDays(date, -1)}T16:00:00.000Z`;
}

/**
 * Measures counted from the same cases (one anchor, one period): a single reading of the cases counts
 * all of a family (volume, online share and repeats by date of receipt; participation and
 * satisfaction by date of reply).
 */
const measureFamilies: Exclude<MeasureKey, 'overdue'>[][] = [['volume', 'online', 'repeat'], ['participation', 'satisfaction'], ['acceptance'], ['assignment'], ['completion']];

/** Counts read during one request, by family and what was asked (liveCounts()); one scope per map. */
export type LiveCounts = Map<string, Promise<Map<string, Counts[]>>>;
export const liveCounts = (): LiveCounts => new Map();

/**
 * Due and hit counts of one measure per group over [from, to] of its anchor. With `shared`, the
 * first measure of a family asked counts the whole family, and the others take their counts from it.
 */
export async function measureCounts(
  db: Db,
  s: StatsScope,
  m: Exclude<MeasureKey, 'overdue'>,
  o: { from: string; to: string; today: string; group: GroupKey | 'none'; level: RegionLevel; key?: string | undefined },
  mode: 'drive' | 'probe' = 'drive',
  shared?: LiveCounts,
): Promise<Counts[]> {
  if (!shared) return (await familyCounts(db, s, [m], o, mode)).get(m)!;
  const family = measureFamilies.find((f) => f.includes(m))!;
  const id = JSON.stringify([family[0], o.from, o.to, o.today, o.group, o.level, o.key ?? null, mode]);
  let counts = shared.get(id);
  if (!counts) shared.set(id, (counts = familyCounts(db, s, family, o, mode)));
  return (await counts).get(m)!;
}

/** The counts of measures sharing an anchor and period, from one query (and, for repeats, the joined ones). */
async function familyCounts(
  db: Db,
  s: StatsScope,
  family: Exclude<MeasureKey, 'overdue'>[],
  o: { from: string; to: string; today: string; group: GroupKey | 'none'; level: RegionLevel; key?: string | undefined },
  mode: 'drive' | 'probe',
): Promise<Map<string, Counts[]>> {
  const all = family.map((m) => measureSql(db, m, o.today));
  const ms = all[0]!; // the family's anchor and period
  const key = groupSql(o.group, ms.anchor, o.level);
  // Only one group's counts (a drill-down's total): its condition narrows the cases read.
  const only = o.key !== undefined && o.group !== 'none' ? groupCondition(o.group, o.key, ms.anchor, o.level) : sql<SqlBool>`1 = 1`;
  const owed = all.length === 1 ? ms.due : sql<SqlBool>`(${sql.join(all.map((x) => sql`(${x.due})`), sql` or `)})`;
  const sums = all.flatMap((x, i) => [
    (all.length === 1 ? sql<number>`count(*)` : sql<number>`sum(case when ${x.due} then 1 else 0 end)`).as(`due${i}`),
    (all.length === 1 ? sql<number>`sum(case when ${x.hit} then 1 else 0 end)` : sql<number>`sum(case when (${x.due}) and (${x.hit}) then 1 else 0 end)`).as(`hit${i}`),
  ]);
  const rows = (await byFirstColumn(
    scoped(db, db.selectFrom('case_file'), s, mode)
      .where(sql<SqlBool>`${inPeriodSql(family[0]!, ms, o.from, o.to)} and ${owed} and ${only}`)
      .select([key.as('key'), ...sums]),
    o.group,
  ).execute()) as unknown as Record<string, unknown>[];
  const out = new Map<string, Counts[]>();
  for (const [i, m] of family.entries()) {
    // A group none of whose cases owe this measure has no row (nor has 'none' with no case at all).
    const list = rows.map((r) => ({ key: String(r.key), due: Number(r[`due${i}`] ?? 0), hit: Number(r[`hit${i}`] ?? 0) })).filter((r) => r.due > 0);
    out.set(m, m === 'repeat' ? await withJoinedRepeats(db, s, o, mode, list) : list);
  }
  return out;
}

/**
 * 重复信访 the petitioner confirmed ('same'): no case of its own, counted on the open case it joined
 * — unless staff split it off into a case of its own (staff_verdict 'split'), which counts as that case.
 */
async function withJoinedRepeats(
  db: Db,
  s: StatsScope,
  o: { from: string; to: string; group: GroupKey | 'none'; level: RegionLevel; key?: string | undefined },
  mode: 'drive' | 'probe',
  out: Counts[],
): Promise<Counts[]> {
  const rkey = groupSql(o.group, sql<string>`case_repeat.received_date`, o.level);
  const onlyRepeat = o.key !== undefined && o.group !== 'none' ? groupCondition(o.group, o.key, sql<string>`case_repeat.received_date`, o.level) : sql<SqlBool>`1 = 1`;
  const extra = scoped(db, db.selectFrom('case_file'), s, mode)
    .innerJoin('case_repeat', 'case_repeat.case_id', 'case_file.id')
    .where(onlyRepeat)
    .where('case_repeat.decision', '=', 'same')
    .where('case_repeat.staff_verdict', 'is', null)
    .where('case_repeat.received_date', '>=', o.from)
    .where('case_repeat.received_date', '<=', o.to)
    .select([rkey.as('key'), sql<number>`count(*)`.as('n')]);
  const extraRows = (await byFirstColumn(extra, o.group).execute()).filter((e) => Number(e.n) > 0);
  const byKey = new Map(out.map((r) => [r.key, r]));
  for (const e of extraRows) {
    const k = String(e.key);
    const r = byKey.get(k) ?? { key: k, due: 0, hit: 0 };
    r.due += Number(e.n);
    r.hit += Number(e.n);
    if (!byKey.has(k)) {
      byKey.set(k, r);
      out.push(r);
    }
  }
  return out;
}

/**
 * Cases overdue now per group (month = month of receipt). On SQLite a jurisdiction's overdue cases
 * are a range of case_reach's index by due date (migration 021), which also holds every column but
 * the units: read there unless grouped by unit (1,000,000 cases, a city: the 3,141 overdue cases of
 * the province each tested, up to 56 ms, against its own 400 read in 0.4 ms).
 */
export async function overdueCounts(db: Db, s: StatsScope, o: { today: string; group: GroupKey | 'none'; level: RegionLevel }): Promise<Counts[]> {
  const key = groupSql(o.group, sql<string>`case_file.received_date`, o.level);
  const reach = !isPostgres(db) && !s.unitPath && reachable(s.scopePath);
  // PostgreSQL: a county's few thousand links are hashed and the overdue cases joined to them (1,000,000
  // cases: 9,000 links, 17 ms) instead of probing the links of the province's 3,000 overdue cases one
  // by one (79 ms); a city's 170,000 links cost more to hash (300 ms) than those probes (72 ms).
  const mode = isPostgres(db) && fewCases(s.scopePath) ? 'drive' : 'probe';
  const source = reach ? narrowed(scopedCases(db, { ...s, scopeMode: 'reach' }), s) : scoped(db, db.selectFrom('case_file'), s, mode);
  // Unary + (a no-op on the value): grouping by the bare column would draw SQLite to the index by that
  // column, which reads every case of the jurisdiction, instead of the due-date range. case_reach holds
  // no unit columns: grouped by unit, each overdue case of the jurisdiction reads its unit from its own
  // row by key (a city: its 400 cases, instead of testing the province's 3,000 for the jurisdiction).
  const unitColumn = o.group === 'unit' ? 'current_unit_id' : o.group === 'receivingUnit' ? 'receiving_unit_id' : null;
  const groupKey = !reach ? key : unitColumn ? sql<string>`(select u.${sql.ref(unitColumn)} from case_file u where u.id = case_file.id)` : sql<string>`+(${key})`;
  const rows = await byFirstColumn(source.where(overdueSql(o.today)).select([groupKey.as('key'), sql<number>`count(*)`.as('n')]), o.group).execute();
  return rows.filter((r) => Number(r.n) > 0).map((r) => ({ key: String(r.key), due: Number(r.n), hit: Number(r.n) }));
}

export type DrillPart = 'due' | 'hit' | 'miss';

export interface DrillRow {
  id: string;
  seq_no: number;
  received_date: string;
  title: string;
  channel: string;
  target: string;
  category_code: string;
  region_code: string;
  state: string;
  current_unit_id: string;
  receiving_unit_id: string;
  due_accept: string | null;
  due_assign: string | null;
  due_reply: string | null;
  accepted_at: string | null;
  assigned_at: string | null;
  replied_at: string | null;
  evaluation: string | null;
}

/** A case has a unit in the subtree (correlated, so a limited list stops early instead of reading the whole subtree). */
function caseUnitIn(db: Db, path: string): RawBuilder<SqlBool> {
  if (path === '/') return sql<SqlBool>`1 = 1`;
  // PostgreSQL would turn the EXISTS into a semi join that hashes every link of the subtree (a
  // city's tens of thousands) before the first case; OFFSET 0 keeps it a per-case probe. starts_with,
  // which no btree serves, keeps the probe on the key (case_id: the case's two or three links, 15 µs):
  // with LIKE the planner chose the index by path and read the whole subtree's range for each case
  // (1,000,000 cases: a county's 9,000 links, 1.3 ms a case; its year's volume took 11 minutes).
  if (isPostgres(db)) return sql<SqlBool>`exists (select 1 from case_unit cu where cu.case_id = case_file.id and starts_with(cu.unit_path, ${path}) offset 0)`;
  // SQLite: one lookup of case_reach's key (case number, jurisdiction), which holds every unit above or
  // at one of the case's units except the top of the tree (migration 021), instead of reading the
  // case's links and their paths (1,000,000 cases, two days of a city's due dates: 27 -> 15 ms).
  if (reachable(path)) return sql<SqlBool>`exists (select 1 from case_reach r where r.seq_no = case_file.seq_no and r.scope_path = ${path})`;
  const upper = `${path.slice(0, -1)}${String.fromCharCode(path.charCodeAt(path.length - 1) + 1)}`;
  return sql<SqlBool>`exists (select 1 from case_unit cu where cu.case_id = case_file.id and cu.unit_path >= ${path} and cu.unit_path < ${upper})`;
}

/** The county codes of a region group at its level share this prefix ('130100' at city level → '1301'). */
export function regionKeyPrefix(key: string, level: RegionLevel): string {
  return level === 'province' ? key.slice(0, 2) : level === 'city' ? key.slice(0, 4) : key;
}

/** The condition that a case is in one group, written so an index on the column can serve it. */
function groupCondition(group: GroupKey | 'none', key: string, anchor: RawBuilder<string>, level: RegionLevel): RawBuilder<SqlBool> {
  switch (group) {
    case 'none':
      return sql<SqlBool>`1 = 1`;
    case 'category':
      return sql<SqlBool>`case_file.category_code = ${key}`;
    case 'channel':
      return sql<SqlBool>`case_file.channel = ${key}`;
    case 'target':
      return sql<SqlBool>`case_file.target = ${key}`;
    case 'unit':
      return sql<SqlBool>`case_file.current_unit_id = ${key}`;
    case 'receivingUnit':
      return sql<SqlBool>`case_file.receiving_unit_id = ${key}`;
    case 'month':
      return sql<SqlBool>`(${anchor} >= ${`${key}-01`} and ${anchor} <= ${`${key}-31`})`;
    case 'region': {
      const prefix = regionKeyPrefix(key, level);
      return level === 'county' ? sql<SqlBool>`case_file.region_code = ${key}` : sql<SqlBool>`(case_file.region_code >= ${prefix} and case_file.region_code < ${`${prefix}~`})`;
    }
  }
}

/** A county's (or a department's) jurisdiction: few enough cases to read them all, where the province's are tested one by one. */
function fewCases(path: string): boolean {
  return pathDepth(path) >= 3;
}

/** The largest offset of a drill-down list; further on, narrow the filters or export. */
export const maxDrillOffset = 10_000;

/** Below this many cases behind a county's number, PostgreSQL reads its page from the county's own cases. */
const fewBehind = 500;

/**
 * The cases behind one number: a measure's due set, its hits or its misses, in one group; newest
 * first, a limited page. `total` is counted here unless the caller already knows it (from the
 * statistics' own counts).
 */
export async function drillCases(
  db: Db,
  s: StatsScope,
  m: MeasureKey,
  o: { from: string; to: string; today: string; group: GroupKey | 'none'; level: RegionLevel; key?: string | undefined; part: DrillPart; limit: number; offset: number; total?: number | undefined },
): Promise<{ rows: DrillRow[]; total: number }> {
  let cond: Expression<SqlBool>;
  let anchor: RawBuilder<string>;
  if (m === 'overdue') {
    cond = overdueSql(o.today);
    anchor = sql<string>`case_file.received_date`;
  } else {
    const ms = measureSql(db, m, o.today);
    anchor = ms.anchor;
    const inPeriod = sql<SqlBool>`${inPeriodSql(m, ms, o.from, o.to)} and ${ms.due}`;
    const part = o.part === 'due' ? sql<SqlBool>`1 = 1` : o.part === 'hit' ? ms.hit : sql<SqlBool>`not (${ms.hit})`;
    cond = sql<SqlBool>`(${inPeriod} and ${part})`;
    if (m === 'repeat' && o.part !== 'miss') {
      // The open cases that confirmed repeats ('same') joined within the period (a repeat staff split off is a case of its own).
      cond = sql<SqlBool>`(${cond} or exists (select 1 from case_repeat where case_repeat.case_id = case_file.id and case_repeat.decision = 'same' and case_repeat.staff_verdict is null
        and case_repeat.received_date >= ${o.from} and case_repeat.received_date <= ${o.to}))`;
    }
  }
  // A county's (or a department's) cases are few: its page is read from its own cases and sorted (on
  // SQLite its rows of case_reach, on PostgreSQL its links in case_unit), instead of testing the
  // province's cases newest first until the page is full (1,000,000 cases, a county's completion
  // misses of one category: 177 -> 15 ms on SQLite).
  const small = fewCases(s.scopePath);
  let q = db.selectFrom('case_file');
  // Overdue now on SQLite: case_reach holds the due dates, so its index by due key gives the county's
  // few overdue cases, not its thousands to be read and tested (1,000,000 cases: 19 of 9,000, 57 -> 1 ms).
  if (small && m === 'overdue' && !isPostgres(db)) q = q.where('case_file.id', 'in', scopedCases(db, { ...s, scopeMode: 'reach' }).where(overdueSql(o.today)).select('case_file.id'));
  else q = q.where(small ? caseInSubtree(db, s.scopePath, 'reach') : caseUnitIn(db, s.scopePath));
  if (s.unitPath) q = q.where(caseUnitIn(db, s.unitPath));
  q = withoutAccused(q, s.excludeAccusedPaths);
  if (s.regionPrefix) q = s.regionPrefix.length === 6 ? q.where('case_file.region_code', '=', s.regionPrefix) : q.where(sql<SqlBool>`(case_file.region_code >= ${s.regionPrefix} and case_file.region_code < ${`${s.regionPrefix}~`})`);
  if (s.categoryCode) q = q.where('case_file.category_code', '=', s.categoryCode);
  if (s.channel) q = q.where('case_file.channel', '=', s.channel);
  if (s.target) q = q.where('case_file.target', '=', s.target);
  q = q.where(cond);
  if (o.key !== undefined && o.group !== 'none') q = q.where(groupCondition(o.group, o.key, anchor, o.level));
  const total = o.total ?? Number((await q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  const page = q.select([
    'case_file.id',
    'case_file.seq_no',
    'case_file.received_date',
    'case_file.title',
    'case_file.channel',
    'case_file.target',
    'case_file.category_code',
    'case_file.region_code',
    'case_file.state',
    'case_file.current_unit_id',
    'case_file.receiving_unit_id',
    'case_file.due_accept',
    'case_file.due_assign',
    'case_file.due_reply',
    'case_file.accepted_at',
    'case_file.assigned_at',
    'case_file.replied_at',
    'case_file.evaluation',
  ]);
  const offset = Math.min(o.offset, maxDrillOffset);
  // PostgreSQL, a county with few cases behind the number: the planner expects the page early and walks
  // the province's cases newest first, testing each for the county, through the whole period. Read the
  // county's own cases (a materialised CTE: its links, then each case by key) and sort those instead
  // (1,000,000 cases, a county's 23 completion misses of one category: p95 260 -> 37 ms).
  const rows =
    isPostgres(db) && small && total < fewBehind
      ? await db
          .with((w) => w('behind').materialized(), () => page)
          .selectFrom('behind')
          .selectAll()
          .orderBy('received_date', 'desc')
          .orderBy('seq_no', 'desc')
          .limit(o.limit)
          .offset(offset)
          .execute()
      : await page.orderBy('case_file.received_date', 'desc').orderBy('case_file.seq_no', 'desc').limit(o.limit).offset(offset).execute();
  return { rows: rows.map((r) => ({ ...r, seq_no: Number(r.seq_no) })), total };
}

/** Repeat links (008). */
export async function insertRepeat(db: Kysely<Database> | import('kysely').Transaction<Database>, r: Database['case_repeat']): Promise<void> {
  await db.insertInto('case_repeat').values(r).execute();
}

export function repeatLinksOf(db: Db, caseId: string) {
  return db
    .selectFrom('case_repeat')
    .selectAll()
    .where((eb) => eb.or([eb('case_id', '=', caseId), eb('new_case_id', '=', caseId)]))
    .orderBy('submitted_at')
    .execute();
}

export async function setRepeatVerdict(db: Db, id: string, verdict: string | null): Promise<number> {
  const r = await db.updateTable('case_repeat').set({ staff_verdict: verdict }).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** 拆分 of a 'same' link: the message became the case `newCaseId`. */
export async function splitRepeatLink(db: Db, id: string, newCaseId: string): Promise<void> {
  await db.updateTable('case_repeat').set({ staff_verdict: 'split', new_case_id: newCaseId }).where('id', '=', id).where('staff_verdict', 'is', null).execute();
}

/**
 * Open cases of one petitioner (by account or by the keyed hash of the phone on the account), newest
 * first, without their texts (long; the repeat check keeps their words and reads a text only once: caseTexts).
 */
export function openCasesOfPetitioner(db: Db, petitionerIds: string[]) {
  if (petitionerIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('case_file')
    .select(['id', 'seq_no', 'received_date', 'state', 'query_code_enc', 'petitioner_id', 'submitted_at'])
    .where('petitioner_id', 'in', petitionerIds)
    .where('state', 'in', ['submitted', 'accepted', 'returned', 'assigned', 'in_progress', 'replied', 'under_review'])
    .orderBy('submitted_at', 'desc')
    .limit(50)
    .execute();
}

/** Title and content of the given cases. */
export function caseTexts(db: Db, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('case_file').select(['id', 'title', 'content']).where('id', 'in', ids).execute();
}

/** 'repeat_of' for the staff case page: the open case this one may repeat (a 'new' link not split), or null. */
export async function repeatOfCase(db: Db, caseId: string): Promise<{ caseId: string; caseNo: string; similarity: number; linkId: string } | null> {
  const r = await db
    .selectFrom('case_repeat')
    .innerJoin('case_file', 'case_file.id', 'case_repeat.case_id')
    .select(['case_repeat.id', 'case_repeat.case_id', 'case_repeat.similarity', 'case_file.seq_no', 'case_file.received_date'])
    .where('case_repeat.new_case_id', '=', caseId)
    .where('case_repeat.staff_verdict', 'is', null)
    .orderBy('case_repeat.submitted_at', 'desc')
    .executeTakeFirst();
  if (!r) return null;
  return { caseId: r.case_id, caseNo: `XF${r.received_date.slice(0, 4)}-${String(r.seq_no).padStart(6, '0')}`, similarity: Number(r.similarity), linkId: r.id };
}

/** Text of the cases received in a window (for hotspots and trending words), most recent first. */
export function casesForText(db: Db, s: StatsScope, from: string, to: string, limit: number) {
  return scoped(db, db.selectFrom('case_file'), s)
    .where('case_file.received_date', '>=', from)
    .where('case_file.received_date', '<=', to)
    .where('case_file.state', '!=', 'merged')
    .select(['case_file.id', 'case_file.seq_no', 'case_file.received_date', 'case_file.title', 'case_file.content', 'case_file.region_code', 'case_file.petitioner_id', 'case_file.state'])
    .orderBy('case_file.received_date', 'desc')
    .orderBy('case_file.seq_no', 'desc')
    .limit(limit)
    .execute();
}
