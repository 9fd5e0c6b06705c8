/**
 * 逾期催报: the deadline sweep reminds a unit that let a 督办件 pass its deadline without a
 * written answer. Round 1 goes to the unit the first sweep after the deadline; round 2, when the
 * 督办件 is still unanswered `secondAfterDays` working days after the deadline, goes to the unit
 * again and tells the supervising unit, which may escalate (提级督办 stays a person's decision).
 *
 * supervision_reminder (督办件, deadline, round) is the key that makes any number of sweeps send
 * each reminder once; a send-back with a new deadline starts new rounds. Each reminder is an
 * internal event on every case of the 督办件 and an in-app notice, in one transaction.
 */
import type { AppContext } from '../services/context.js';
import { mutateCases, type Mutation } from '../services/case-mutation.js';
import { unitNotice } from '../services/notify.service.js';
import { caseNumber } from '../services/case.service.js';
import { compareDates } from '../domain/calendar.js';
import * as repo from '../store/supervision.repository.js';
import type { SupervisionRow } from '../store/supervision.repository.js';

export interface ReminderOptions {
  /** Working days after the deadline for the second reminder (XINFANG_SUPERVISION_SECOND_REMINDER_DAYS, default 5). */
  secondAfterDays: number;
}

export interface ReminderResult {
  /** 督办件 reminded in this sweep (any round). */
  reminded: number;
  /** Of those, second reminders (the supervising unit told too). */
  secondReminders: number;
}

/** Second-reminder days from the environment. */
export function secondReminderDaysFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.XINFANG_SUPERVISION_SECOND_REMINDER_DAYS;
  if (v === undefined || v === '') return 5;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 30) throw new Error(`环境变量 XINFANG_SUPERVISION_SECOND_REMINDER_DAYS 必须是 1 至 30 的整数，当前为 "${v}"`);
  return n;
}

/** The reminder rounds due on `day` for a deadline `due` that has passed: [1] or [1, 2]. */
export function roundsDue(ctx: Pick<AppContext, 'calendar'>, due: string, day: string, secondAfterDays: number): number[] {
  if (compareDates(day, due) <= 0) return [];
  const second = ctx.calendar.addWorkingDays(due, secondAfterDays).date;
  return compareDates(day, second) >= 0 ? [1, 2] : [1];
}

const BATCH = 200;

/** Reminds every open 督办件 past its deadline on `day`, each round once. */
export async function remindOverdueSupervisions(ctx: AppContext, day: string, opts: ReminderOptions): Promise<ReminderResult> {
  const result: ReminderResult = { reminded: 0, secondReminders: 0 };
  // Overdue 督办件 are few (tens, not thousands); each already-reminded one is a cheap key lookup.
  let after: { due: string; id: string } | undefined;
  for (;;) {
    const page = await repo.overdueSupervisions(ctx.store.db, day, BATCH, after);
    for (const s of page) {
      const round = await remindOne(ctx, s, day, opts);
      if (round > 0) result.reminded += 1;
      if (round === 2) result.secondReminders += 1;
    }
    if (page.length < BATCH) break;
    const last = page[page.length - 1]!;
    after = { due: last.due_date!, id: last.id };
  }
  return result;
}

/** Sends the rounds of one 督办件 not yet sent; returns the highest round sent (0: nothing to do). */
async function remindOne(ctx: AppContext, s: SupervisionRow, day: string, opts: ReminderOptions): Promise<number> {
  const dueDate = s.due_date;
  if (!dueDate) return 0;
  const due = roundsDue(ctx, dueDate, day, opts.secondAfterDays);
  if (due.length === 0) return 0;
  const done = await repo.remindedRounds(ctx.store.db, s.id, dueDate);
  if (due.every((r) => done.has(r))) return 0;
  const caseIds = (await repo.supervisionCases(ctx.store.db, [s.id])).get(s.id) ?? [s.case_id];
  let sent = 0;
  await mutateCases(ctx, caseIds, { kind: 'system', id: null, unitId: null }, async (rows, t) => {
    // Re-read under the case locks: answered, closed or given a new deadline meanwhile → nothing to do.
    const fresh = await repo.findSupervision(t.tx, s.id);
    if (fresh?.status !== 'open' || fresh.due_date !== dueDate) return { perCase: [] };
    const at = ctx.clock.now().toISOString();
    const added: number[] = [];
    for (const round of due) {
      if (await repo.recordReminder(t, { supervision_id: s.id, due_date: dueDate, round, unit_id: s.target_unit_id, at })) added.push(round);
    }
    if (added.length === 0) return { perCase: [] };
    // Sent late (a sweep that did not run for days), both rounds are one reminder of the higher round.
    sent = Math.max(...added);
    const days = ctx.calendar.workingDaysBetween(dueDate, day);
    const unitName = ctx.units.displayName(s.target_unit_id);
    const byUnitName = ctx.units.displayName(s.unit_id);
    return {
      perCase: rows.map((row): Mutation => {
        const payload = { caseNo: caseNumber(row), title: row.title, dueDate, days, unitName, byUnitName, round: sent };
        return {
          patch: {},
          events: [
            {
              type: 'supervision_reminded',
              visibility: 'internal',
              payload: {
                supervisionId: s.id,
                auto: true,
                round: sent,
                dueDate,
                workingDaysOverdue: days,
                unitId: s.target_unit_id,
                unitName,
                text: sent >= 2 ? `报告期限 ${dueDate} 已过 ${days} 个工作日仍未报告，再次催报，并告知督办单位${byUnitName}` : `报告期限 ${dueDate} 已过，${unitName}尚未书面报告，系统催报`,
              },
            },
          ],
          outbox:
            row.id === s.case_id
              ? [...unitNotice(ctx, s.target_unit_id, 'supervision_reminded', payload), ...(sent >= 2 ? unitNotice(ctx, s.unit_id, 'supervision_overdue_supervisor', payload) : [])]
              : [],
        };
      }),
    };
  });
  return sent;
}
