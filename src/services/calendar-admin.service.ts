/**
 * Calendar administration: a year's import or a single day's change, then the due dates of open
 * cases recomputed from their start dates, each moved case recording what moved (internal event).
 */
import type { AppContext } from './context.js';
import { reloadReferenceData } from './context.js';
import { importCalendarYear, type CalendarYearInput } from './calendar.service.js';
import { mutateCase } from './case-mutation.js';
import { badInput } from './errors.js';
import { localDateOf } from './deadlines.js';
import { dueDate, type ClockName } from '../domain/clocks.js';
import { addDays } from '../domain/calendar.js';
import { findCase, type CaseRow } from '../store/case.repository.js';
import { resetSweep } from '../jobs/sweep.js';
import { parseHolidayNotice } from '../domain/holiday-notice.js';

const OPEN_STATES = ['submitted', 'accepted', 'assigned', 'in_progress', 'returned', 'replied', 'under_review', 'reviewed'];

export interface MovedCase {
  caseId: string;
  changes: Record<string, { from: string | null; to: string }>;
}

type DueColumn = 'due_accept' | 'due_assign' | 'due_reply' | 'due_review_request';

/** The due dates derivable from a case's own start dates, as the current calendar computes them. */
function recomputed(ctx: AppContext, row: CaseRow): { due: Partial<Record<DueColumn, string>>; uncovered: Set<number> } {
  const uncovered = new Set<number>();
  const due: Partial<Record<DueColumn, string>> = {};
  const calc = (col: DueColumn, clock: ClockName, start: string | null, extra = 0) => {
    if (!start || row[col] === null) return;
    const r = dueDate(ctx.calendar, ctx.clocks, clock, start, extra);
    r.uncoveredYears.forEach((y) => uncovered.add(y));
    due[col] = r.date;
  };
  if (row.state === 'submitted') calc('due_accept', 'acceptance', row.received_date);
  if (['submitted', 'accepted', 'returned'].includes(row.state)) calc('due_assign', 'assignment', row.received_date);
  const handlingStart = row.accepted_at ?? row.assigned_at;
  if (['accepted', 'returned', 'assigned', 'in_progress'].includes(row.state)) calc('due_reply', 'handling', handlingStart && localDateOf(handlingStart), row.extension_days);
  if (row.state === 'replied' && row.review_level === 0) calc('due_review_request', 'reviewRequest', row.replied_at && localDateOf(row.replied_at));
  return { due, uncovered };
}

/** Recomputes open cases whose due dates reach `fromDate` or later; returns the cases that moved. */
export async function recomputeOpenCases(ctx: AppContext, fromDate: string): Promise<MovedCase[]> {
  const candidates = await ctx.store.db
    .selectFrom('case_file')
    .select('id')
    .where('state', 'in', OPEN_STATES)
    .where((eb) => eb.or((['due_accept', 'due_assign', 'due_reply', 'due_review_request'] as const).map((c) => eb(c, '>=', fromDate))))
    .orderBy('id')
    .execute();
  const moved: MovedCase[] = [];
  const differs = (row: CaseRow) => Object.entries(recomputed(ctx, row).due).some(([col, to]) => row[col as DueColumn] !== to);
  for (const { id } of candidates) {
    // Read first: an unmoved case is not touched at all (no updated_at, no lock).
    const pre = await findCase(ctx.store.db, id);
    if (!pre || !differs(pre)) continue;
    let change: MovedCase | null = null;
    await mutateCase(ctx, id, { kind: 'system', id: null, unitId: null }, (row) => {
      const { due, uncovered } = recomputed(ctx, row);
      const changes: MovedCase['changes'] = {};
      for (const [col, to] of Object.entries(due) as [DueColumn, string][]) if (row[col] !== to) changes[col] = { from: row[col], to };
      if (Object.keys(changes).length === 0) return { patch: {}, events: [] };
      change = { caseId: id, changes };
      const years = [...uncovered].sort();
      return {
        patch: { ...due, uncovered_years: years.length > 0 ? JSON.stringify(years) : null },
        events: [{ type: 'deadlines_recomputed', visibility: 'internal', payload: { reason: '工作日历调整', changes } }],
      };
    });
    if (change) moved.push(change);
  }
  await resetSweep(ctx);
  return moved;
}

/** Imports a year (JSON as calendarYearSchema) and recomputes the open cases it affects. */
export async function importYearAndRecompute(ctx: AppContext, input: CalendarYearInput) {
  const r = await importCalendarYear(ctx, input);
  const moved = await recomputeOpenCases(ctx, `${input.year}-01-01`);
  return { ...r, moved };
}

/** Sets one day to a holiday or a workday, or back to the plain weekday rule ('default'). */
export async function setCalendarDay(ctx: AppContext, date: string, kind: 'holiday' | 'workday' | 'default', note: string | null) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || addDays(date, 0) !== date) throw badInput('日期无效', { date: '日期无效' });
  const year = Number(date.slice(0, 4));
  await ctx.store.db.transaction().execute(async (tx) => {
    await tx.deleteFrom('calendar_day').where('date', '=', date).execute();
    if (kind !== 'default') await tx.insertInto('calendar_day').values({ date, year, kind, source: '管理员单日调整', note }).execute();
  });
  await reloadReferenceData(ctx);
  // A day can only move deadlines that reach it; start one clock length back to be safe.
  const moved = await recomputeOpenCases(ctx, date);
  return { date, kind, moved };
}

/** A year whose holiday notice is missing, when the office must warn (from 1 November for next year). */
export function calendarMissingYear(ctx: AppContext): number | null {
  const today = localDateOf(ctx.clock.now().toISOString());
  const year = Number(today.slice(0, 4));
  if (!ctx.calendar.isCovered(year)) return year;
  if (today.slice(5) >= '11-01' && !ctx.calendar.isCovered(year + 1)) return year + 1;
  return null;
}

/** Imports a year from the notice typed as a table (see domain/holiday-notice.ts); a make-up day in the year before is set singly. */
export async function importNoticeText(ctx: AppContext, year: number, source: string, text: string) {
  let days;
  try {
    days = parseHolidayNotice(text);
  } catch (err) {
    throw badInput(err instanceof Error ? err.message : '无法识别', { text: '格式不正确' });
  }
  const inYear = days.filter((d) => d.date.startsWith(`${year}-`));
  const outside = days.filter((d) => !d.date.startsWith(`${year}-`));
  if (outside.some((d) => d.kind === 'holiday' || Math.abs(Number(d.date.slice(0, 4)) - year) > 1)) throw badInput(`放假日期应在 ${year} 年内`, { text: '年份不符' });
  for (const d of outside) await setCalendarDay(ctx, d.date, d.kind, d.note);
  return importYearAndRecompute(ctx, { year, source, days: inYear.map((d) => ({ date: d.date, kind: d.kind, note: d.note.slice(0, 50) })) });
}
