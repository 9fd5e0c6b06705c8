/**
 * Countdowns (deadlineStatus → workingDaysBetween) walk the calendar one day at a time, parsing and
 * formatting a date string per step: a case overdue by half a year costs ~180 steps per deadline,
 * on every tracking and list request. A WorkCalendar never changes after construction (a reload
 * builds a new one), so the answer for a (from, to) pair can be remembered. Requests of one day
 * share the same `today` and a few hundred distinct due dates, so the memo stays small.
 */
import type { WorkCalendar } from './calendar.js';

/** The same calendar, with workingDaysBetween remembered per (from, to); at most `max` pairs kept. */
export function memoizeWorkingDays(calendar: WorkCalendar, max = 20_000): WorkCalendar {
  const memo = new Map<string, number>();
  // A view that inherits everything from the calendar and overrides one pure method.
  const view = Object.create(calendar) as WorkCalendar;
  view.workingDaysBetween = (from: string, to: string): number => {
    const key = `${from}/${to}`;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const n = calendar.workingDaysBetween(from, to); // throws on a malformed date: nothing remembered
    if (memo.size >= max) memo.clear();
    memo.set(key, n);
    return n;
  };
  return view;
}
