/**
 * The legal clocks (办理时限) as configuration.
 *
 * 《信访工作条例》 writes plain "日" beside "工作日", and local rules differ, so both the kind and
 * the length of every clock are configuration with the regulation's reading as the default.
 */
import { compareDates, type CalendarResult, type WorkCalendar } from './calendar.js';

/** Every tracked deadline of a case's life, in process order. */
export type ClockName =
  | 'acceptance'
  | 'assignment'
  | 'returnWindow'
  | 'handling'
  | 'reviewRequest'
  | 'reviewDecision'
  | 'reReviewRequest'
  | 'reReviewDecision';

/** One clock: how long, counted how, and the legal text that says so (shown to staff and petitioners). */
export interface ClockRule {
  kind: 'working' | 'calendar';
  days: number;
  /** Legal source in Chinese, e.g. '《信访工作条例》第三十四条'. */
  source: string;
  /** Chinese name of the clock, e.g. '受理告知'. */
  label: string;
}

const REGULATION = '《信访工作条例》';

/** Defaults from DOMAIN.md: Hebei online practice for the first two, the 2022 regulation for the rest. */
export const defaultClocks: Readonly<Record<ClockName, Readonly<ClockRule>>> = {
  acceptance: {
    kind: 'working',
    days: 2,
    source: `河北省网上信访工作实践（网上信访，自收到之日起）；全国规定见${REGULATION}第二十二条、第二十三条（15日内）`,
    label: '受理告知',
  },
  assignment: {
    kind: 'working',
    days: 5,
    source: `河北省网上信访工作实践（自收到之日起）；全国规定见${REGULATION}第二十二条（15日内）`,
    label: '交办转送',
  },
  returnWindow: { kind: 'working', days: 5, source: `${REGULATION}第二十三条`, label: '退回异议' },
  handling: { kind: 'calendar', days: 60, source: `${REGULATION}第三十四条`, label: '办理答复' },
  reviewRequest: { kind: 'calendar', days: 30, source: `${REGULATION}第三十五条`, label: '申请复查' },
  reviewDecision: { kind: 'calendar', days: 30, source: `${REGULATION}第三十五条`, label: '复查意见' },
  reReviewRequest: { kind: 'calendar', days: 30, source: `${REGULATION}第三十六条`, label: '申请复核' },
  reReviewDecision: { kind: 'calendar', days: 30, source: `${REGULATION}第三十六条`, label: '复核意见' },
};

/** 延期: the handling clock may be extended by at most this many days (《信访工作条例》第三十四条). */
export const maxExtensionDays = 30;

const MAX_CLOCK_DAYS = 365;
const CLOCK_NAMES = Object.keys(defaultClocks) as ClockName[];
const RULE_KEYS: ReadonlySet<string> = new Set(['kind', 'days', 'source', 'label']);

function isClockName(name: string): name is ClockName {
  return (CLOCK_NAMES as string[]).includes(name);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function configError(detail: string): Error {
  return new Error(`Invalid clock configuration (XINFANG_CLOCKS): ${detail}`);
}

/** Validates one clock's partial override and merges it onto its default rule. */
function mergeRule(name: ClockName, raw: unknown): ClockRule {
  if (!isPlainObject(raw)) throw configError(`"${name}" must be an object like {"kind":"working","days":3}`);
  for (const key of Object.keys(raw)) {
    // Rejecting unknown keys catches typos such as "day", which would otherwise be ignored silently.
    if (!RULE_KEYS.has(key)) {
      throw configError(`"${name}.${key}" is not a clock setting (allowed: ${[...RULE_KEYS].join(', ')})`);
    }
  }
  const rule: ClockRule = { ...defaultClocks[name] };
  if (raw.kind !== undefined) {
    if (raw.kind !== 'working' && raw.kind !== 'calendar') {
      throw configError(`"${name}.kind" must be "working" or "calendar", got ${JSON.stringify(raw.kind)}`);
    }
    rule.kind = raw.kind;
  }
  if (raw.days !== undefined) {
    const days = raw.days;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_CLOCK_DAYS) {
      throw configError(`"${name}.days" must be an integer from 1 to ${MAX_CLOCK_DAYS}, got ${JSON.stringify(days)}`);
    }
    rule.days = days;
  }
  for (const key of ['source', 'label'] as const) {
    const value = raw[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.trim() === '') {
      throw configError(`"${name}.${key}" must be a non-empty string`);
    }
    rule[key] = value;
  }
  return rule;
}

/** Clock rules from an optional JSON override (e.g. env XINFANG_CLOCKS) merged onto the defaults; throws on bad config. */
export function parseClockConfig(json: string | undefined): Record<ClockName, ClockRule> {
  const rules = Object.fromEntries(CLOCK_NAMES.map((name) => [name, { ...defaultClocks[name] }])) as Record<
    ClockName,
    ClockRule
  >;
  if (json === undefined || json.trim() === '') return rules;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (err) {
    throw configError(`not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!isPlainObject(parsed)) throw configError('must be a JSON object keyed by clock name');
  for (const [name, raw] of Object.entries(parsed)) {
    if (!isClockName(name)) {
      throw configError(`unknown clock "${name}" (known: ${CLOCK_NAMES.join(', ')})`);
    }
    rules[name] = mergeRule(name, raw);
  }
  return rules;
}

/** Due date of a clock started on startDate; extraDays are approved 延期 days added to the period. */
export function dueDate(
  calendar: WorkCalendar,
  rules: Readonly<Record<ClockName, Readonly<ClockRule>>>,
  clock: ClockName,
  startDate: string,
  extraDays = 0,
): CalendarResult {
  // The cap of maxExtensionDays is enforced where an extension is approved; here any stored,
  // already-approved extension must still produce a date rather than throw.
  if (!Number.isInteger(extraDays) || extraDays < 0) {
    throw new RangeError(`extraDays must be a non-negative integer, got ${extraDays}`);
  }
  const rule = rules[clock];
  const days = rule.days + extraDays;
  switch (rule.kind) {
    case 'working':
      return calendar.addWorkingDays(startDate, days);
    case 'calendar':
      return calendar.addCalendarDays(startDate, days);
    default: {
      const unreachable: never = rule.kind;
      throw new Error(`Unknown clock kind ${String(unreachable)}`);
    }
  }
}

/** Whether a deadline has passed and how many working days remain (negative when overdue). */
export function deadlineStatus(
  calendar: WorkCalendar,
  due: string,
  today: string,
): { overdue: boolean; workingDaysLeft: number } {
  const overdue = compareDates(today, due) > 0;
  const left = calendar.workingDaysBetween(today, due);
  // Past a Friday deadline on Saturday no working day has elapsed yet, but the case is late:
  // keep "negative ⇔ overdue" so countdown displays need only one test.
  return { overdue, workingDaysLeft: overdue ? Math.min(left, -1) : left };
}
