/**
 * What the deadline sweep does to one case on one day: pure, no I/O, tested with fixed dates.
 *
 * 催办 (urge) goes out when a watched clock is within the urge window; 督办 (supervise) the day
 * after it is missed. `next` is the first date the case needs looking at again, so the sweep only
 * ever reads the cases whose `sweep_on` has come (an index range), never all open cases.
 */
import { addDays, compareDates, type WorkCalendar } from '../domain/calendar.js';
import type { ClockName, ClockRule } from '../domain/clocks.js';

/** The clocks a unit can miss (the petitioner's own windows are not urged). */
export type WatchedClock = 'acceptance' | 'assignment' | 'handling' | 'reviewDecision';

export interface SweepCaseFacts {
  state: string;
  due_accept: string | null;
  due_assign: string | null;
  due_reply: string | null;
  due_review_decision: string | null;
}

export interface PlannedAlert {
  clock: WatchedClock;
  due: string;
  kind: 'urged' | 'supervised';
}

/** Sentinel for "nothing left to watch until the deadlines change" (a change resets sweep_on). */
export const NEVER = '9999-12-31';

/** The clocks running in the case's state with their due dates. */
export function watchedClocks(c: SweepCaseFacts): { clock: WatchedClock; due: string }[] {
  const out: { clock: WatchedClock; due: string }[] = [];
  const add = (clock: WatchedClock, due: string | null) => {
    if (due) out.push({ clock, due });
  };
  switch (c.state) {
    case 'submitted':
      add('acceptance', c.due_accept);
      add('assignment', c.due_assign);
      break;
    case 'accepted':
    case 'returned':
      add('assignment', c.due_assign);
      add('handling', c.due_reply);
      break;
    case 'assigned':
    case 'in_progress':
      add('handling', c.due_reply);
      break;
    case 'under_review':
      add('reviewDecision', c.due_review_decision);
      break;
    default:
      break;
  }
  return out;
}

/**
 * Working days before the due date at which 催办 goes out: the configured window, but for a clock
 * no longer than the window (the 2-working-day acceptance clock) the last working day before it,
 * so a new case is not urged the moment it arrives.
 */
export function urgeWindow(rule: Pick<ClockRule, 'kind' | 'days'>, configured: number): number {
  if (rule.kind === 'working' && rule.days <= configured) return Math.max(rule.days - 1, 0);
  return configured;
}

/**
 * Answers of urgeFrom per calendar. A WorkCalendar never changes after construction (a reload builds
 * a new one), and a sweep asks about a few hundred distinct due dates for up to millions of cases:
 * walking back day by day with date strings each time made planning the costliest part of a sweep.
 */
const urgeMemo = new WeakMap<WorkCalendar, Map<string, string>>();

/** The working day `window` working days before `due` (提前 N 个工作日): from then on the case is urged. */
export function urgeFrom(calendar: WorkCalendar, due: string, window: number): string {
  let memo = urgeMemo.get(calendar);
  if (!memo) {
    memo = new Map();
    urgeMemo.set(calendar, memo);
  }
  const key = `${due}/${window}`;
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const d = walkBackWorkingDays(calendar, due, window);
  if (memo.size >= 20_000) memo.clear();
  memo.set(key, d);
  return d;
}

function walkBackWorkingDays(calendar: WorkCalendar, due: string, window: number): string {
  let d = due;
  for (let counted = 0; counted < window; ) {
    d = addDays(d, -1);
    if (calendar.isWorkday(d)) counted += 1;
  }
  return d;
}

/** The alerts due today (not yet recorded in `done`) and the next date to look again. */
export function planSweep(
  calendar: WorkCalendar,
  rules: Readonly<Record<ClockName, Readonly<ClockRule>>>,
  urgeDays: number,
  c: SweepCaseFacts,
  today: string,
  done: ReadonlySet<string>,
): { alerts: PlannedAlert[]; next: string } {
  const alerts: PlannedAlert[] = [];
  let next = NEVER;
  const later = (d: string) => {
    if (compareDates(d, next) < 0) next = d;
  };
  for (const { clock, due } of watchedClocks(c)) {
    const has = (kind: string) => done.has(alertKey(clock, due, kind));
    if (compareDates(today, due) > 0) {
      // Missed: 督办 (a case first seen after its deadline is supervised without a late 催办).
      if (!has('supervised')) alerts.push({ clock, due, kind: 'supervised' });
      continue;
    }
    const from = urgeFrom(calendar, due, urgeWindow(rules[clock], urgeDays));
    if (compareDates(today, from) >= 0) {
      if (!has('urged')) alerts.push({ clock, due, kind: 'urged' });
      later(addDays(due, 1));
    } else {
      later(from);
    }
  }
  return { alerts, next };
}

/** Key of a recorded alert, as stored in deadline_alert. */
export function alertKey(clock: string, due: string, kind: string): string {
  return `${clock}|${due}|${kind}`;
}
