/**
 * Countdowns (deadlineStatus → workingDaysBetween) walk the calendar one day at a time, parsing and
 * formatting a date string per step: a case overdue by half a year costs ~180 steps per deadline,
 * on every tracking and list request. Due dates (addWorkingDays, addCalendarDays) walk the same way,
 * and every case registered on a day asks for the same few (its receipt date plus each clock's days).
 * A WorkCalendar never changes after construction (a reload builds a new one), so the answer for a
 * pair of arguments can be remembered. Requests of one day share the same `today` and a few hundred
 * distinct due dates, so the memo stays small.
 */
import type { CalendarResult, WorkCalendar } from './calendar.js';

/** Remembers a pure function of two arguments, at most `max` answers (all forgotten beyond that). */
function remember<A, B, R>(fn: (a: A, b: B) => R, max: number): (a: A, b: B) => R {
  const memo = new Map<string, R>();
  return (a, b) => {
    const key = `${String(a)}/${String(b)}`;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const r = fn(a, b); // throws on a malformed date: nothing remembered
    if (memo.size >= max) memo.clear();
    memo.set(key, r);
    return r;
  };
}

/** A remembered CalendarResult is shared: each caller gets its own copy of the years. */
function copied(fn: (start: string, n: number) => CalendarResult): (start: string, n: number) => CalendarResult {
  return (start, n) => {
    const r = fn(start, n);
    return { date: r.date, uncoveredYears: [...r.uncoveredYears] };
  };
}

/**
 * The same calendar, with workingDaysBetween, addWorkingDays and addCalendarDays remembered per pair
 * of arguments; at most `max` answers kept of each.
 */
export function memoizeWorkingDays(calendar: WorkCalendar, max = 20_000): WorkCalendar {
  // A view that inherits everything from the calendar and overrides its pure walks.
  const view = Object.create(calendar) as WorkCalendar;
  view.workingDaysBetween = remember((from: string, to: string) => calendar.workingDaysBetween(from, to), max);
  view.addWorkingDays = copied(remember((start: string, n: number) => calendar.addWorkingDays(start, n), max));
  view.addCalendarDays = copied(remember((start: string, n: number) => calendar.addCalendarDays(start, n), max));
  return view;
}
