/** Importing a year's holidays and make-up workdays (the State Council's notice) as data. */
import { z } from 'zod';
import type { AppContext } from './context.js';
import { reloadReferenceData } from './context.js';
import { badInput } from './errors.js';
import { replaceYear } from '../store/calendar.repository.js';

export const calendarYearSchema = z
  .object({
    year: z.number().int().min(2000).max(2100),
    source: z.string().min(2).max(200).describe('e.g. 国务院办公厅关于2027年部分节假日安排的通知'),
    days: z
      .array(
        z.object({
          date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
          kind: z.enum(['holiday', 'workday']),
          note: z.string().max(50).optional(),
        }),
      )
      .max(366),
  })
  .strict();

export type CalendarYearInput = z.infer<typeof calendarYearSchema>;

/** Validates and stores a year's overrides; the calendar then covers that year. */
export async function importCalendarYear(ctx: AppContext, input: CalendarYearInput): Promise<{ year: number; days: number }> {
  const bad = input.days.filter((d) => !d.date.startsWith(`${input.year}-`) || Number.isNaN(Date.parse(`${d.date}T00:00:00Z`)));
  if (bad.length > 0) throw badInput(`日期不属于 ${input.year} 年或无效：${bad.map((d) => d.date).join('、')}`, { days: '日期无效' });
  const dates = new Set<string>();
  for (const d of input.days) {
    if (dates.has(d.date)) throw badInput(`日期重复：${d.date}`, { days: '日期重复' });
    dates.add(d.date);
  }
  await replaceYear(
    ctx.store.db,
    input.year,
    input.source,
    input.days.map((d) => ({ date: d.date, kind: d.kind, note: d.note ?? null })),
    ctx.clock.now().toISOString(),
  );
  await reloadReferenceData(ctx);
  return { year: input.year, days: input.days.length };
}
