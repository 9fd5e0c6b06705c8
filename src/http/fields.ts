/** Request fields several route modules share, with their Chinese messages. */
import { z } from 'zod';
import { isDate } from '../domain/calendar.js';

/** Years a date in a request may fall in: wide enough for any record or statistics period, narrow enough that day arithmetic stays in range. */
export const dayYears = { min: 1900, max: 2199 } as const;

/** A calendar day 'YYYY-MM-DD' that exists (not 2026-02-30) in years 1900–2199; `what` names it in messages. */
export function day(what = '日期') {
  return z
    .string({ message: `请填写${what}` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${what}格式应为 YYYY-MM-DD`)
    .refine(isDate, `${what}不是有效日期`)
    .refine((s) => {
      const y = Number(s.slice(0, 4));
      return y >= dayYears.min && y <= dayYears.max;
    }, `${what}应在 ${dayYears.min} 至 ${dayYears.max} 年之间`);
}

/** The largest id a table's own counter gives (PostgreSQL `serial` is a 32-bit integer); a larger one names no record. */
export const maxSerialId = 2_147_483_647;

/** A record number of a table with a counter id (outbox, security log…), as a path or query value. */
export function serialId(what = '编号') {
  return z.coerce
    .number({ message: `${what}应为数字` })
    .int(`${what}应为整数`)
    .min(1, `${what}应为正整数`)
    .max(maxSerialId, `${what}过大`);
}
