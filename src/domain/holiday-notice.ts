/**
 * The State Council's holiday notice typed as a table, one festival a line:
 *   元旦 2027-01-01至2027-01-03 放假 2026-12-27上班
 *   春节 2027-02-06至2027-02-13 放假 2027-02-14上班、2027-02-20上班
 * Dates may also be written 2027年2月6日; '至', '-' or '~' separate a range.
 */
import { addDays, compareDates } from './calendar.js';

export interface NoticeDay {
  date: string;
  kind: 'holiday' | 'workday';
  note: string;
}

const DATE = String.raw`(\d{4})(?:-|年)(\d{1,2})(?:-|月)(\d{1,2})日?`;

function norm(y: string, m: string, d: string): string {
  return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

/** Parses the notice table; throws with the line number on a line it cannot read. */
export function parseHolidayNotice(text: string): NoticeDay[] {
  const out: NoticeDay[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const l = line.trim();
    if (!l || l.startsWith('#')) return;
    const m = new RegExp(String.raw`^(\S+?)[\s:：]+${DATE}\s*(?:至|-|~|～|—)\s*${DATE}\s*放假(.*)$`).exec(l);
    if (!m) throw new Error(`第 ${i + 1} 行无法识别：「${l}」（格式：节日 2027-01-01至2027-01-03 放假 2026-12-27上班）`);
    const name = m[1]!;
    const from = norm(m[2]!, m[3]!, m[4]!);
    const to = norm(m[5]!, m[6]!, m[7]!);
    if (compareDates(from, to) > 0 || compareDates(addDays(from, 40), to) < 0) throw new Error(`第 ${i + 1} 行放假起止日期不合理：${from} 至 ${to}`);
    for (let d = from; compareDates(d, to) <= 0; d = addDays(d, 1)) out.push({ date: d, kind: 'holiday', note: name });
    for (const w of m[8]!.matchAll(new RegExp(`${DATE}\\s*(?:[（(][^）)]*[）)])?\\s*上班`, 'g'))) out.push({ date: norm(w[1]!, w[2]!, w[3]!), kind: 'workday', note: `${name}调休上班` });
  });
  return out;
}
