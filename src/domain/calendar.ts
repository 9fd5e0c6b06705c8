/**
 * Working-day calendar (工作日历) for the legal clocks.
 *
 * Pure: no I/O and no clock reads; callers pass every date. Dates are plain 'YYYY-MM-DD'
 * strings meaning a China local date, so no time zone can shift a deadline by a day.
 * Holidays are data (State Council notices via `chinese-days`, plus admin-imported overrides),
 * never hard-coded in logic.
 */
import builtInData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

/** One day whose status differs from the plain Mon–Fri rule: a 法定节假日 or a 调休 make-up workday. */
export interface CalendarOverride {
  date: string;
  kind: 'holiday' | 'workday';
}

/** A computed date plus every year it depended on that has no holiday data (never guessed silently). */
export interface CalendarResult {
  date: string;
  uncoveredYears: number[];
}

/** Construction input: the day overrides and the years whose holiday notice they fully cover. */
export interface WorkCalendarData {
  overrides: CalendarOverride[];
  coveredYears: number[];
}

const DAY_MS = 86_400_000;
// China has used UTC+8 all year since 1991, so a fixed offset is exact for any date we handle.
const CHINA_OFFSET_MS = 8 * 3_600_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Milliseconds of UTC midnight of a 'YYYY-MM-DD' date; throws on malformed or impossible dates. */
function toUtcMs(date: string): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`Invalid date "${date}": expected YYYY-MM-DD`);
  const [, y, mo, d] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d));
  // Date.UTC silently rolls 2026-02-30 into March; a deadline must never start from a typo.
  if (fromUtcMs(ms) !== date) throw new RangeError(`Invalid date "${date}": no such day`);
  return ms;
}

function fromUtcMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function requireInteger(name: string, n: number, min: number): void {
  if (!Number.isInteger(n) || n < min) {
    throw new RangeError(`${name} must be an integer ≥ ${min}, got ${n}`);
  }
}

/**
 * Whether a string is a real day 'YYYY-MM-DD' in years 1000–9999 (2026-02-30 and 0000-00-00 are not).
 * Years below 1000 are refused because Date.UTC reads 0–99 as 1900–1999.
 */
export function isDate(date: string): boolean {
  const m = DATE_RE.exec(date);
  if (!m || Number(m[1]) < 1000) return false;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return fromUtcMs(ms) === date;
}

/** The date n calendar days after (n < 0: before) the given date. */
export function addDays(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`n must be an integer, got ${n}`);
  return fromUtcMs(toUtcMs(date) + n * DAY_MS);
}

/** Day of the week, 0 = Sunday … 6 = Saturday (same numbering as Date#getDay). */
export function dayOfWeek(date: string): number {
  return new Date(toUtcMs(date)).getUTCDay();
}

/** Sort comparator for dates: negative if a is earlier, 0 if equal, positive if later. */
export function compareDates(a: string, b: string): number {
  return Math.sign(toUtcMs(a) - toUtcMs(b));
}

/** Calendar days from a to b (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return Math.round((toUtcMs(b) - toUtcMs(a)) / DAY_MS);
}

/** The Asia/Shanghai (UTC+8) calendar date of an ISO-8601 instant, e.g. a receipt timestamp. */
export function localDateOf(isoTimestamp: string): string {
  const ms = Date.parse(isoTimestamp);
  if (Number.isNaN(ms)) throw new RangeError(`Invalid timestamp "${isoTimestamp}"`);
  return fromUtcMs(ms + CHINA_OFFSET_MS);
}

function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

interface BuiltInData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
  inLieuDays: Record<string, string>;
}

/** Overrides and covered years from the State Council notices bundled with `chinese-days`. */
function loadBuiltIn(): WorkCalendarData {
  const data: BuiltInData = builtInData;
  const overrides: CalendarOverride[] = [];
  // inLieuDays are the weekdays given off in exchange for a 调休 weekend: days off like any
  // holiday (in the current data they are all also listed under holidays; kept for safety).
  for (const date of Object.keys(data.holidays)) overrides.push({ date, kind: 'holiday' });
  for (const date of Object.keys(data.inLieuDays)) overrides.push({ date, kind: 'holiday' });
  // 调休 make-up days last, so a date listed both ways counts as a workday: working is the
  // conservative reading for a deadline.
  for (const date of Object.keys(data.workdays)) overrides.push({ date, kind: 'workday' });
  const years = new Set(overrides.map((o) => yearOf(o.date)));
  return { overrides, coveredYears: [...years].sort((a, b) => a - b) };
}

/** Working-day calendar: Mon–Fri work, Sat/Sun rest, unless an override for the date says otherwise. */
export class WorkCalendar {
  private readonly overrides: ReadonlyMap<string, CalendarOverride['kind']>;
  private readonly covered: ReadonlySet<number>;

  constructor(data: WorkCalendarData) {
    const overrides = new Map<string, CalendarOverride['kind']>();
    for (const o of data.overrides) {
      toUtcMs(o.date); // validate: a malformed override would silently never match
      overrides.set(o.date, o.kind); // later entries win
    }
    this.overrides = overrides;
    this.covered = new Set(data.coveredYears);
  }

  /** Calendar from the bundled national data plus admin-imported overrides, which win per date. */
  static withBuiltIn(extra?: { overrides: CalendarOverride[]; years: number[] }): WorkCalendar {
    const builtIn = loadBuiltIn();
    return new WorkCalendar({
      overrides: [...builtIn.overrides, ...(extra?.overrides ?? [])],
      coveredYears: [...builtIn.coveredYears, ...(extra?.years ?? [])],
    });
  }

  /** Whether holiday data exists for the year (otherwise it is computed as plain Mon–Fri). */
  isCovered(year: number): boolean {
    return this.covered.has(year);
  }

  /** Covered years in ascending order, e.g. to warn admins when next year's notice is missing. */
  get coveredYears(): number[] {
    return [...this.covered].sort((a, b) => a - b);
  }

  /** Whether the date is a working day (工作日). */
  isWorkday(date: string): boolean {
    const kind = this.overrides.get(date);
    if (kind !== undefined) return kind === 'workday';
    const dow = dayOfWeek(date);
    return dow !== 0 && dow !== 6;
  }

  /** The n-th working day after start (the start day itself never counts), n ≥ 1. */
  addWorkingDays(start: string, n: number): CalendarResult {
    requireInteger('n', n, 1);
    const seen = new YearTracker(this);
    let date = start;
    let remaining = n;
    while (remaining > 0) {
      date = addDays(date, 1);
      seen.visit(date);
      if (this.isWorkday(date)) remaining -= 1;
    }
    return { date, uncoveredYears: seen.uncovered() };
  }

  /**
   * start + n calendar days; if that day is not a working day the period ends on the next one.
   * DOMAIN.md states the rule for public holidays; we apply it to weekends as well, as Chinese
   * procedural law reads 法定休假日 when a 期间 ends (民事诉讼法 on 期间 and its judicial
   * interpretation count 双休日 too), so a period never ends on a day the office is closed.
   */
  addCalendarDays(start: string, n: number): CalendarResult {
    requireInteger('n', n, 0);
    const seen = new YearTracker(this);
    let date = addDays(start, n);
    seen.visit(date);
    while (!this.isWorkday(date)) {
      date = addDays(date, 1);
      seen.visit(date);
    }
    return { date, uncoveredYears: seen.uncovered() };
  }

  /** Working days after `from` up to and including `to`; negative count when `to` is earlier, for countdowns. */
  workingDaysBetween(from: string, to: string): number {
    const cmp = compareDates(from, to);
    if (cmp === 0) return 0;
    const lo = cmp < 0 ? from : to;
    const hi = cmp < 0 ? to : from;
    let count = 0;
    for (let d = addDays(lo, 1); compareDates(d, hi) <= 0; d = addDays(d, 1)) {
      if (this.isWorkday(d)) count += 1;
    }
    return cmp < 0 ? count : -count;
  }
}

/** Collects the uncovered years a computation stepped into, once each, in order. */
class YearTracker {
  private readonly years = new Set<number>();
  constructor(private readonly calendar: WorkCalendar) {}

  visit(date: string): void {
    const year = yearOf(date);
    if (!this.calendar.isCovered(year)) this.years.add(year);
  }

  uncovered(): number[] {
    return [...this.years].sort((a, b) => a - b);
  }
}
