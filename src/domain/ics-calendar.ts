/**
 * Holidays from an iCalendar (.ics, RFC 5545) file, e.g. a published 中国法定节假日 calendar:
 *
 *   BEGIN:VEVENT
 *   DTSTART;VALUE=DATE:20270206
 *   DTEND;VALUE=DATE:20270214        (exclusive, as RFC 5545 defines all-day events)
 *   SUMMARY:春节
 *   END:VEVENT
 *
 * An event whose SUMMARY says 班 (上班、补班、调休上班) marks make-up workdays; any other event marks
 * days off. Pure and dependency-free; every error names the line, in Chinese.
 */
import { addDays, compareDates } from './calendar.js';

export interface IcsDay {
  date: string;
  kind: 'holiday' | 'workday';
  note: string;
}

const MAX_EVENT_DAYS = 366;
const WORKDAY_WORDS = /上班|补班|调班|班$|工作日/;

class IcsError extends Error {}

function fail(line: number, msg: string): never {
  throw new IcsError(line > 0 ? `第 ${line} 行：${msg}` : msg);
}

interface Line {
  no: number;
  name: string;
  params: Record<string, string>;
  value: string;
}

/** Unfolds continuation lines (CRLF followed by a space or tab) and splits NAME;PARAMS:VALUE. */
function contentLines(text: string): Line[] {
  const raw = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const out: Line[] = [];
  raw.forEach((l, i) => {
    if (l === '') return;
    if ((l.startsWith(' ') || l.startsWith('\t')) && out.length > 0) {
      out[out.length - 1]!.value += l.slice(1);
      return;
    }
    const colon = findColon(l);
    if (colon < 0) fail(i + 1, `无法识别「${l.slice(0, 40)}」（应为 名称:值）`);
    const [name, ...params] = l.slice(0, colon).split(';');
    const p: Record<string, string> = {};
    for (const kv of params) {
      const eq = kv.indexOf('=');
      if (eq > 0) p[kv.slice(0, eq).toUpperCase()] = kv.slice(eq + 1).replace(/^"|"$/g, '');
    }
    out.push({ no: i + 1, name: name!.trim().toUpperCase(), params: p, value: l.slice(colon + 1) });
  });
  return out;
}

/** The colon that ends the property name, skipping colons inside quoted parameter values. */
function findColon(l: string): number {
  let quoted = false;
  for (let i = 0; i < l.length; i++) {
    const c = l[i];
    if (c === '"') quoted = !quoted;
    else if (c === ':' && !quoted) return i;
  }
  return -1;
}

function unescapeText(v: string): string {
  return v.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? ' ' : c)).trim();
}

/** A DATE (20270206) or DATE-TIME (20270206T000000, …Z = UTC, shifted to China time) as YYYY-MM-DD. */
function icsDate(l: Line): string {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(l.value.trim());
  if (!m) fail(l.no, `${l.name} 的日期「${l.value.trim()}」格式不正确（应为 YYYYMMDD，如 20270206）`);
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  try {
    if (addDays(date, 0) !== date) throw new Error();
  } catch {
    fail(l.no, `${l.name} 的日期「${l.value.trim()}」不存在`);
  }
  if (m[7] === 'Z' && Number(m[4]) >= 16) return addDays(date, 1); // 16:00Z is midnight in China
  return date;
}

function isDateOnly(l: Line): boolean {
  return l.params.VALUE === 'DATE' || /^\d{8}$/.test(l.value.trim());
}

/** Parses the calendar; throws an Error with a Chinese message naming the line on malformed input. */
export function parseIcsHolidays(text: string): IcsDay[] {
  if (text.trim() === '') fail(0, '文件为空');
  if (!/^BEGIN:VCALENDAR\s*$/im.test(text.replace(/^\uFEFF/, '').trimStart().split(/\r?\n/, 1)[0]!)) fail(1, '不是 iCalendar（.ics）文件：应以 BEGIN:VCALENDAR 开头');
  const lines = contentLines(text);
  if (lines[0]?.name !== 'BEGIN' || lines[0].value.trim().toUpperCase() !== 'VCALENDAR') fail(lines[0]?.no ?? 1, '不是 iCalendar（.ics）文件：应以 BEGIN:VCALENDAR 开头');
  const byDate = new Map<string, IcsDay>();
  let inCalendar = false;
  let event: { start: number; props: Map<string, Line> } | null = null;
  let ended = false;
  let events = 0;
  const nested: string[] = [];
  for (const l of lines) {
    if (ended) fail(l.no, 'END:VCALENDAR 之后还有内容');
    const v = l.value.trim().toUpperCase();
    if (l.name === 'BEGIN') {
      if (v === 'VCALENDAR') {
        if (inCalendar) fail(l.no, '重复的 BEGIN:VCALENDAR');
        inCalendar = true;
      } else if (v === 'VEVENT') {
        if (event) fail(l.no, `第 ${event.start} 行开始的事件缺少 END:VEVENT`);
        event = { start: l.no, props: new Map() };
      } else nested.push(v); // VTIMEZONE, VALARM …: skipped
      continue;
    }
    if (l.name === 'END') {
      if (nested.length > 0) {
        if (nested.pop() !== v) fail(l.no, `END:${v} 与前面的 BEGIN 不匹配`);
      } else if (v === 'VEVENT') {
        if (!event) fail(l.no, '多余的 END:VEVENT（前面没有 BEGIN:VEVENT）');
        addEvent(event.start, event.props, byDate);
        events += 1;
        event = null;
      } else if (v === 'VCALENDAR') {
        if (event) fail(l.no, `第 ${event.start} 行开始的事件缺少 END:VEVENT`);
        ended = true;
      } else fail(l.no, `END:${v} 与前面的 BEGIN 不匹配`);
      continue;
    }
    if (event && nested.length === 0 && !event.props.has(l.name)) event.props.set(l.name, l);
  }
  if (event) fail(event.start, '事件缺少 END:VEVENT');
  if (nested.length > 0) fail(0, `BEGIN:${nested[nested.length - 1]} 缺少对应的 END`);
  if (!ended) fail(0, '文件不完整：缺少 END:VCALENDAR');
  if (events === 0) fail(0, '日历中没有任何事件（VEVENT），请确认导出的是节假日日历');
  return [...byDate.values()].sort((a, b) => compareDates(a.date, b.date));
}

function addEvent(startLine: number, props: Map<string, Line>, byDate: Map<string, IcsDay>): void {
  const dtstart = props.get('DTSTART');
  if (!dtstart) fail(startLine, '事件缺少 DTSTART（开始日期）');
  if (props.has('RRULE')) fail(props.get('RRULE')!.no, '不支持重复规则（RRULE），请每个节假日单独列出');
  const summaryLine = props.get('SUMMARY');
  const note = summaryLine ? unescapeText(summaryLine.value) : '';
  if (!note) fail(startLine, '事件缺少 SUMMARY（名称，如「春节」或「春节调休上班」）');
  const start = icsDate(dtstart);
  let last = start;
  const dtend = props.get('DTEND');
  const duration = props.get('DURATION');
  if (dtend) {
    const end = icsDate(dtend);
    // All-day events end exclusively; a timed event ends on the day its end time falls on.
    last = isDateOnly(dtend) ? addDays(end, -1) : end;
    if (compareDates(last, start) < 0) {
      if (isDateOnly(dtend) && end === start) last = start; // DTEND = DTSTART, written by some tools for one day
      else fail(dtend.no, `结束日期 ${end} 早于开始日期 ${start}`);
    }
  } else if (duration) {
    const m = /^P(\d+)D$/.exec(duration.value.trim());
    if (!m) fail(duration.no, `DURATION「${duration.value.trim()}」不支持（应为 P天数D，如 P3D）`);
    const n = Number(m[1]);
    if (n < 1) fail(duration.no, 'DURATION 至少为 1 天');
    last = addDays(start, n - 1);
  }
  const kind: IcsDay['kind'] = WORKDAY_WORDS.test(note) ? 'workday' : 'holiday';
  let count = 0;
  for (let d = start; compareDates(d, last) <= 0; d = addDays(d, 1)) {
    if (++count > MAX_EVENT_DAYS) fail(startLine, `事件「${note}」超过 ${MAX_EVENT_DAYS} 天，不像节假日`);
    const prev = byDate.get(d);
    if (prev && prev.kind !== kind) fail(startLine, `${d} 同时被标为放假（${prev.kind === 'holiday' ? prev.note : note}）和上班（${prev.kind === 'workday' ? prev.note : note}）`);
    if (!prev) byDate.set(d, { date: d, kind, note: note.slice(0, 50) });
  }
}

export function isIcsError(err: unknown): err is Error {
  return err instanceof IcsError;
}
