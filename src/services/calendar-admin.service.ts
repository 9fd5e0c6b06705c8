/**
 * Calendar administration: a year's import (JSON, the State Council notice typed as a table, or an
 * .ics file) or a single day's change; then every due date of open cases DOMAIN.md defines is
 * recomputed from its start date. Each moved case records what moved (an internal event) and each
 * change is kept with its summary (calendar_change) for the admin. Every change can be previewed
 * first: the same computation against the calendar as it would be, nothing written.
 */
import type { AppContext } from './context.js';
import { reloadReferenceData } from './context.js';
import { importCalendarYear, type CalendarYearInput } from './calendar.service.js';
import { mutateCase } from './case-mutation.js';
import { badInput } from './errors.js';
import { localDateOf } from './deadlines.js';
import { caseNumber } from './case.service.js';
import { dueDate, type ClockName } from '../domain/clocks.js';
import { addDays, dayOfWeek, isDate, WorkCalendar, type CalendarOverride } from '../domain/calendar.js';
import { memoizeWorkingDays } from '../domain/calendar-memo.js';
import type { CaseRow } from '../store/case.repository.js';
import type { Tx } from '../store/tx.js';
import { resetSweep } from '../jobs/sweep.js';
import { parseHolidayNotice } from '../domain/holiday-notice.js';
import { parseIcsHolidays } from '../domain/ics-calendar.js';
import { calendarChangeDb } from '../store/calendar-change.schema.js';
import builtInData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

const OPEN_STATES = ['submitted', 'accepted', 'assigned', 'in_progress', 'returned', 'replied', 'under_review', 'reviewed'];

export const DUE_COLUMNS = ['due_accept', 'due_assign', 'due_return', 'due_reply', 'due_review_request', 'due_review_decision'] as const;
export type DueColumn = (typeof DUE_COLUMNS)[number];

export const dueColumnLabels: Record<DueColumn, string> = {
  due_accept: '受理告知期限',
  due_assign: '交办转送期限',
  due_return: '退回异议期限',
  due_reply: '办理答复期限',
  due_review_request: '申请复查（复核）期限',
  due_review_decision: '复查（复核）意见期限',
};

export interface MovedCase {
  caseId: string;
  caseNo: string;
  unitName: string;
  changes: Partial<Record<DueColumn, { from: string | null; to: string }>>;
}

export interface DayChange {
  date: string;
  from: 'workday' | 'rest';
  to: 'workday' | 'rest';
  note: string | null;
}

export interface RecomputeSummary {
  examined: number;
  moved: number;
  byColumn: Partial<Record<DueColumn, number>>;
}

/** What a calendar change is: a year replaced (import) and/or single days set. */
export interface CalendarChange {
  kind: 'year' | 'notice' | 'ics' | 'day';
  source: string;
  year?: number;
  replaceYear?: { year: number; days: { date: string; kind: 'holiday' | 'workday'; note: string | null }[] };
  setDays?: { date: string; kind: 'holiday' | 'workday' | 'default'; note: string | null }[];
}

export interface ChangeOutcome {
  applied: boolean;
  changeId: number | null;
  year: number | null;
  date: string | null;
  /** Days in the change (for a year import, the days listed). */
  days: number;
  /** Days whose working status differs from the current calendar. */
  dayChanges: DayChange[];
  summary: RecomputeSummary;
  /** The cases whose due dates move (first 500). */
  moved: MovedCase[];
  movedTruncated: boolean;
}

const MOVED_LIMIT = 500;

// ------------------------------------------------------------------ computing due dates

interface Starts {
  /** The pending assignment's date (退回异议 window). */
  assignedOn: string | null;
  /** The last 申请复查/复核 (decision clock). */
  reviewRequestedOn: string | null;
  /** The last 复查 decision (复核 request window). */
  reviewDecidedOn: string | null;
}

async function lastEventDate(db: Tx, caseId: string, type: string): Promise<string | null> {
  const e = await db.selectFrom('case_event').select('at').where('case_id', '=', caseId).where('type', '=', type).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return e ? localDateOf(e.at) : null;
}

/** Start dates not on the case row, read only for the states that need them. */
async function startsOf(db: Tx, row: CaseRow): Promise<Starts> {
  const s: Starts = { assignedOn: null, reviewRequestedOn: null, reviewDecidedOn: null };
  if (row.state === 'assigned' && row.due_return) {
    const a = await db.selectFrom('assignment').select('assigned_at').where('case_id', '=', row.id).where('status', '=', 'pending').orderBy('assigned_at', 'desc').limit(1).executeTakeFirst();
    s.assignedOn = a ? localDateOf(a.assigned_at) : null;
  }
  if (row.state === 'under_review' && row.due_review_decision) s.reviewRequestedOn = await lastEventDate(db, row.id, 'review_requested');
  if (row.state === 'reviewed' && row.due_review_request) s.reviewDecidedOn = await lastEventDate(db, row.id, 'review_decided');
  return s;
}

/** Every due date running in the case's state, as `calendar` computes it from the case's start dates. */
export function recomputedDueDates(ctx: AppContext, calendar: WorkCalendar, row: CaseRow, starts: Starts): { due: Partial<Record<DueColumn, string>>; uncovered: Set<number> } {
  const uncovered = new Set<number>();
  const due: Partial<Record<DueColumn, string>> = {};
  const calc = (col: DueColumn, clock: ClockName, start: string | null, extra = 0) => {
    if (!start || row[col] === null) return;
    const r = dueDate(calendar, ctx.clocks, clock, start, extra);
    r.uncoveredYears.forEach((y) => uncovered.add(y));
    due[col] = r.date;
  };
  if (row.state === 'submitted') calc('due_accept', 'acceptance', row.received_date);
  if (['submitted', 'accepted', 'returned'].includes(row.state)) calc('due_assign', 'assignment', row.received_date);
  if (row.state === 'assigned') calc('due_return', 'returnWindow', starts.assignedOn);
  const handlingStart = row.accepted_at ?? row.assigned_at;
  if (['accepted', 'returned', 'assigned', 'in_progress'].includes(row.state)) calc('due_reply', 'handling', handlingStart && localDateOf(handlingStart), row.extension_days);
  if (row.state === 'replied' && row.review_level === 0) calc('due_review_request', 'reviewRequest', row.replied_at && localDateOf(row.replied_at));
  if (row.state === 'reviewed') calc('due_review_request', 'reReviewRequest', starts.reviewDecidedOn);
  if (row.state === 'under_review') calc('due_review_decision', row.review_level >= 2 ? 'reReviewDecision' : 'reviewDecision', starts.reviewRequestedOn);
  return { due, uncovered };
}

function changesOf(row: CaseRow, due: Partial<Record<DueColumn, string>>): MovedCase['changes'] {
  const changes: MovedCase['changes'] = {};
  for (const [col, to] of Object.entries(due) as [DueColumn, string][]) if (row[col] !== to) changes[col] = { from: row[col], to };
  return changes;
}

/** Open cases with a due date on or after `fromDate`, in pages (keyset on id), full rows. */
async function* candidates(ctx: AppContext, fromDate: string): AsyncGenerator<CaseRow[]> {
  let after = '';
  for (;;) {
    const rows = await ctx.store.db
      .selectFrom('case_file')
      .selectAll()
      .where('state', 'in', OPEN_STATES)
      .where('id', '>', after)
      .where((eb) => eb.or(DUE_COLUMNS.map((c) => eb(c, '>=', fromDate))))
      .orderBy('id')
      .limit(500)
      .execute();
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.id;
    await new Promise<void>((r) => setImmediate(r));
  }
}

/** The cases whose due dates `calendar` moves (read only). */
async function planMoves(ctx: AppContext, calendar: WorkCalendar, fromDate: string): Promise<{ examined: number; moved: MovedCase[] }> {
  let examined = 0;
  const moved: MovedCase[] = [];
  for await (const page of candidates(ctx, fromDate)) {
    for (const row of page) {
      examined += 1;
      const { due } = recomputedDueDates(ctx, calendar, row, await startsOf(ctx.store.db, row));
      const changes = changesOf(row, due);
      if (Object.keys(changes).length > 0) moved.push({ caseId: row.id, caseNo: caseNumber(row), unitName: ctx.units.displayName(row.current_unit_id), changes });
    }
  }
  return { examined, moved };
}

function summarize(examined: number, moved: MovedCase[]): RecomputeSummary {
  const byColumn: RecomputeSummary['byColumn'] = {};
  for (const m of moved) for (const col of Object.keys(m.changes) as DueColumn[]) byColumn[col] = (byColumn[col] ?? 0) + 1;
  return { examined, moved: moved.length, byColumn };
}

/**
 * Recomputes the open cases with due dates on or after `fromDate` against the current calendar;
 * each case that moves gets its new dates and an internal `deadlines_recomputed` event.
 */
export async function recomputeOpenCases(ctx: AppContext, fromDate: string, source = '工作日历调整'): Promise<{ summary: RecomputeSummary; moved: MovedCase[] }> {
  const plan = await planMoves(ctx, ctx.calendar, fromDate);
  const moved: MovedCase[] = [];
  for (const m of plan.moved) {
    let change: MovedCase | null = null;
    // Redone on the locked row: the case may have changed since the plan read it.
    await mutateCase(ctx, m.caseId, { kind: 'system', id: null, unitId: null }, async (row, t) => {
      if (!OPEN_STATES.includes(row.state)) return { patch: {}, events: [] };
      const { due, uncovered } = recomputedDueDates(ctx, ctx.calendar, row, await startsOf(t.tx, row));
      const changes = changesOf(row, due);
      if (Object.keys(changes).length === 0) return { patch: {}, events: [] };
      change = { ...m, changes };
      const years = [...uncovered].sort();
      return {
        patch: { ...due, uncovered_years: years.length > 0 ? JSON.stringify(years) : null },
        events: [{ type: 'deadlines_recomputed', visibility: 'internal', payload: { reason: '工作日历调整', source, changes } }],
      };
    });
    if (change) moved.push(change);
  }
  await resetSweep(ctx, fromDate);
  return { summary: summarize(plan.examined, moved), moved };
}

// ------------------------------------------------------------------ the calendar as a change leaves it

async function storedOverrides(ctx: AppContext) {
  const days = await ctx.store.db.selectFrom('calendar_day').select(['date', 'kind', 'year']).orderBy('date').execute();
  const years = await ctx.store.db.selectFrom('calendar_year').select('year').execute();
  return { days: days.map((d) => ({ date: d.date, kind: d.kind as CalendarOverride['kind'], year: Number(d.year) })), years: years.map((y) => Number(y.year)) };
}

/** The calendar as it would be after the change. */
async function calendarAfter(ctx: AppContext, change: CalendarChange): Promise<WorkCalendar> {
  const cur = await storedOverrides(ctx);
  let days = cur.days.map((d) => ({ date: d.date, kind: d.kind, year: d.year }));
  const years = new Set(cur.years);
  if (change.replaceYear) {
    const y = change.replaceYear.year;
    days = days.filter((d) => d.year !== y).concat(change.replaceYear.days.map((d) => ({ date: d.date, kind: d.kind, year: y })));
    years.add(y);
  }
  for (const s of change.setDays ?? []) {
    days = days.filter((d) => d.date !== s.date);
    if (s.kind !== 'default') days.push({ date: s.date, kind: s.kind, year: Number(s.date.slice(0, 4)) });
  }
  return memoizeWorkingDays(WorkCalendar.withBuiltIn({ overrides: days.map(({ date, kind }) => ({ date, kind })), years: [...years] }));
}

/** Dates the change touches: the whole year for an import, the set days otherwise. */
function touchedDates(change: CalendarChange): string[] {
  const out = new Set<string>();
  if (change.replaceYear) {
    for (let d = `${change.replaceYear.year}-01-01`; d.startsWith(`${change.replaceYear.year}-`); d = addDays(d, 1)) out.add(d);
  }
  for (const s of change.setDays ?? []) out.add(s.date);
  return [...out].sort();
}

function dayDiff(before: WorkCalendar, after: WorkCalendar, change: CalendarChange): DayChange[] {
  const notes = new Map<string, string | null>();
  for (const d of change.replaceYear?.days ?? []) notes.set(d.date, d.note);
  for (const d of change.setDays ?? []) notes.set(d.date, d.note);
  const out: DayChange[] = [];
  for (const date of touchedDates(change)) {
    const a = before.isWorkday(date);
    const b = after.isWorkday(date);
    if (a !== b) out.push({ date, from: a ? 'workday' : 'rest', to: b ? 'workday' : 'rest', note: notes.get(date) ?? null });
  }
  return out;
}


/** Previews a change (nothing written) or applies it; in both cases says which days and which cases' due dates move. */
export async function runCalendarChange(ctx: AppContext, change: CalendarChange, opts: { preview: boolean; actorId: string | null }): Promise<ChangeOutcome> {
  for (const s of change.setDays ?? []) if (!isDate(s.date)) throw badInput(`日期无效：${s.date}`, { date: '日期无效' });
  const before = ctx.calendar;
  const after = await calendarAfter(ctx, change);
  const dayChanges = dayDiff(before, after, change);
  const year = change.replaceYear?.year ?? change.year ?? null;
  const date = !change.replaceYear && change.setDays?.length === 1 ? change.setDays[0]!.date : null;
  const days = (change.replaceYear?.days.length ?? 0) + (change.setDays?.length ?? 0);
  // A due date before the first changed day cannot move (its count never reached that day).
  const fromDate = dayChanges[0]?.date ?? null;
  const base = { year, date, days, dayChanges };
  if (opts.preview) {
    const plan = fromDate ? await planMoves(ctx, after, fromDate) : { examined: 0, moved: [] };
    return { ...base, applied: false, changeId: null, summary: summarize(plan.examined, plan.moved), moved: plan.moved.slice(0, MOVED_LIMIT), movedTruncated: plan.moved.length > MOVED_LIMIT };
  }
  if (change.replaceYear) {
    await importCalendarYear(ctx, { year: change.replaceYear.year, source: change.source, days: change.replaceYear.days.map((d) => ({ date: d.date, kind: d.kind, ...(d.note ? { note: d.note } : {}) })) });
  }
  if (change.setDays?.length) {
    await ctx.store.db.transaction().execute(async (tx) => {
      for (const s of change.setDays!) {
        await tx.deleteFrom('calendar_day').where('date', '=', s.date).execute();
        if (s.kind !== 'default') await tx.insertInto('calendar_day').values({ date: s.date, year: Number(s.date.slice(0, 4)), kind: s.kind, source: change.source, note: s.note }).execute();
      }
    });
  }
  await reloadReferenceData(ctx);
  const r = fromDate ? await recomputeOpenCases(ctx, fromDate, change.source) : { summary: summarize(0, []), moved: [] };
  const record = {
    dayChanges,
    byColumn: r.summary.byColumn,
    examined: r.summary.examined,
    cases: r.moved.slice(0, 2000),
  };
  const row = await calendarChangeDb(ctx.store.db)
    .insertInto('calendar_change')
    .values({ at: ctx.clock.now().toISOString(), actor_id: opts.actorId, kind: change.kind, year, date, source: change.source, days_changed: dayChanges.length, cases_moved: r.summary.moved, summary: JSON.stringify(record) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { ...base, applied: true, changeId: Number(row.id), summary: r.summary, moved: r.moved.slice(0, MOVED_LIMIT), movedTruncated: r.moved.length > MOVED_LIMIT };
}

// ------------------------------------------------------------------ the three import formats and the single day

/** A year as JSON (calendarYearSchema), validated like importCalendarYear. */
export function yearChange(input: CalendarYearInput, kind: CalendarChange['kind'] = 'year'): CalendarChange {
  const bad = input.days.filter((d) => !d.date.startsWith(`${input.year}-`) || !isDate(d.date));
  if (bad.length > 0) throw badInput(`日期不属于 ${input.year} 年或无效：${bad.map((d) => d.date).join('、')}`, { days: '日期无效' });
  const seen = new Set<string>();
  for (const d of input.days) {
    if (seen.has(d.date)) throw badInput(`日期重复：${d.date}`, { days: '日期重复' });
    seen.add(d.date);
  }
  return { kind, source: input.source, year: input.year, replaceYear: { year: input.year, days: input.days.map((d) => ({ date: d.date, kind: d.kind, note: d.note ?? null })) } };
}

/** Imports a year (JSON as calendarYearSchema) and recomputes the open cases it affects. */
export async function importYearAndRecompute(ctx: AppContext, input: CalendarYearInput, opts: { preview?: boolean; actorId?: string | null } = {}) {
  return runCalendarChange(ctx, yearChange(input), { preview: opts.preview ?? false, actorId: opts.actorId ?? null });
}

/** Sets one day to a holiday or a workday, or back to the published rule ('default'). */
export async function setCalendarDay(ctx: AppContext, date: string, kind: 'holiday' | 'workday' | 'default', note: string | null, opts: { preview?: boolean; actorId?: string | null } = {}) {
  if (!isDate(date)) throw badInput('日期无效', { date: '日期无效' });
  const out = await runCalendarChange(ctx, { kind: 'day', source: '管理员单日调整', setDays: [{ date, kind, note }] }, { preview: opts.preview ?? false, actorId: opts.actorId ?? null });
  return { ...out, date, kind };
}

/** The notice typed as a table (domain/holiday-notice.ts); a make-up day in the year before is set singly. */
export async function importNoticeText(ctx: AppContext, year: number, source: string, text: string, opts: { preview?: boolean; actorId?: string | null } = {}) {
  let days;
  try {
    days = parseHolidayNotice(text);
  } catch (err) {
    throw badInput(err instanceof Error ? err.message : '无法识别', { text: '格式不正确' });
  }
  const inYear = days.filter((d) => d.date.startsWith(`${year}-`));
  const outside = days.filter((d) => !d.date.startsWith(`${year}-`));
  if (outside.some((d) => d.kind === 'holiday' || Math.abs(Number(d.date.slice(0, 4)) - year) > 1)) throw badInput(`放假日期应在 ${year} 年内`, { text: '年份不符' });
  const change = yearChange({ year, source, days: inYear.map((d) => ({ date: d.date, kind: d.kind, note: d.note.slice(0, 50) })) }, 'notice');
  change.setDays = outside.map((d) => ({ date: d.date, kind: d.kind, note: d.note.slice(0, 50) }));
  return runCalendarChange(ctx, change, { preview: opts.preview ?? false, actorId: opts.actorId ?? null });
}

/** An .ics calendar: the days of `year` are imported as that year; days of other years are listed as ignored. */
export async function importIcs(ctx: AppContext, year: number, source: string, ics: string, opts: { preview?: boolean; actorId?: string | null } = {}) {
  let days;
  try {
    days = parseIcsHolidays(ics);
  } catch (err) {
    throw badInput(`日历文件有误：${err instanceof Error ? err.message : '无法识别'}`, { ics: '格式不正确' });
  }
  const inYear = days.filter((d) => d.date.startsWith(`${year}-`));
  if (inYear.length === 0) throw badInput(`日历文件中没有 ${year} 年的节假日（文件包含：${[...new Set(days.map((d) => d.date.slice(0, 4)))].join('、')} 年）`, { year: '年份不符' });
  const out = await runCalendarChange(ctx, yearChange({ year, source, days: inYear.map((d) => ({ date: d.date, kind: d.kind, note: d.note })) }, 'ics'), {
    preview: opts.preview ?? false,
    actorId: opts.actorId ?? null,
  });
  return { ...out, ignoredDays: days.length - inYear.length };
}

// ------------------------------------------------------------------ reading the calendar

interface BuiltInData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
  inLieuDays: Record<string, string>;
}

/** The festival name the bundled State Council data gives a date ('Spring Festival,春节,4' → 春节). */
function builtInNote(date: string): string | null {
  const data: BuiltInData = builtInData;
  const v = data.holidays[date] ?? data.workdays[date] ?? data.inLieuDays[date];
  return v ? (v.split(',')[1] ?? null) : null;
}

export interface CalendarDayView {
  date: string;
  workday: boolean;
  /** holiday / workday when the day departs from the Mon–Fri rule (or is a festival on a weekend), else null. */
  kind: 'holiday' | 'workday' | null;
  note: string | null;
  /** Where the day's status comes from: the bundled State Council data, an import, or an admin's single-day edit. */
  origin: 'builtin' | 'imported' | 'admin' | null;
}

/** Every day of a year with its status and origin, and where the year's data came from. */
export async function calendarYearView(ctx: AppContext, year: number) {
  const stored = await ctx.store.db.selectFrom('calendar_day').select(['date', 'kind', 'note', 'source']).where('date', '>=', `${year}-01-01`).where('date', '<=', `${year}-12-31`).execute();
  const byDate = new Map(stored.map((d) => [d.date, d]));
  const imported = await ctx.store.db.selectFrom('calendar_year').select(['source', 'imported_at']).where('year', '=', year).executeTakeFirst();
  const days: CalendarDayView[] = [];
  for (let d = `${year}-01-01`; d.startsWith(`${year}-`); d = addDays(d, 1)) {
    const workday = ctx.calendar.isWorkday(d);
    const weekend = dayOfWeek(d) === 0 || dayOfWeek(d) === 6;
    const s = byDate.get(d);
    const note = s?.note ?? builtInNote(d);
    let kind: CalendarDayView['kind'] = null;
    if (workday && weekend) kind = 'workday';
    else if (!workday && (!weekend || s?.kind === 'holiday' || builtInNote(d))) kind = 'holiday';
    const origin: CalendarDayView['origin'] = s ? (s.source === '管理员单日调整' ? 'admin' : 'imported') : kind ? 'builtin' : null;
    days.push({ date: d, workday, kind, note: kind ? note : null, origin });
  }
  return {
    year,
    covered: ctx.calendar.isCovered(year),
    source: imported?.source ?? (ctx.calendar.isCovered(year) ? '国务院办公厅节假日安排通知（系统内置）' : null),
    importedAt: imported?.imported_at ?? null,
    workdays: days.filter((d) => d.workday).length,
    days,
  };
}

/** Recent calendar changes with their summaries, newest first. */
export async function listCalendarChanges(ctx: AppContext, limit: number) {
  const rows = await calendarChangeDb(ctx.store.db).selectFrom('calendar_change').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => {
    const s = JSON.parse(r.summary) as { dayChanges: DayChange[]; byColumn: RecomputeSummary['byColumn']; examined: number; cases: MovedCase[] };
    return {
      id: Number(r.id),
      at: r.at,
      actorId: r.actor_id,
      kind: r.kind,
      year: r.year === null ? null : Number(r.year),
      date: r.date,
      source: r.source,
      daysChanged: Number(r.days_changed),
      casesMoved: Number(r.cases_moved),
      byColumn: s.byColumn,
      dayChanges: s.dayChanges,
      cases: s.cases,
    };
  });
}

/** A year whose holiday notice is missing, when the office must warn (from 1 November for next year). */
export function calendarMissingYear(ctx: AppContext): number | null {
  const today = localDateOf(ctx.clock.now().toISOString());
  const year = Number(today.slice(0, 4));
  if (!ctx.calendar.isCovered(year)) return year;
  if (today.slice(5) >= '11-01' && !ctx.calendar.isCovered(year + 1)) return year + 1;
  return null;
}
