/**
 * The deadline sweep: automatic 催办 before a due date and 督办 after it, as hash-chained events
 * on the case (actor 'system', payload auto:true) with an in-app notice to the unit; then the
 * reminders of 督办件 past their deadline without an answer (supervision-reminders.ts).
 *
 * Reads only the cases whose `sweep_on` has come or was reset (index ranges on case_sweep_idx and
 * case_unswept_idx, through store/sweep.repository.ts).
 * deadline_alert (case, clock, due date, kind) is the primary key that makes any number of sweeps,
 * concurrent or repeated, produce each alert once.
 */
import type { AppContext } from '../services/context.js';
import { today } from '../services/deadlines.js';
import { inTransaction, lockCaseRows, type TxContext } from '../store/tx.js';
import { chainEvents, insertEvents, type CaseRow, type EventRow, type NewEvent } from '../store/case.repository.js';
import { enqueueMany, type OutboxMessage } from '../store/outbox.repository.js';
import { canonicalJson } from '../domain/event-chain.js';
import { alertKey, NEVER, planSweep, type PlannedAlert } from './sweep-plan.js';
import { caseNumber } from '../services/case.service.js';
import { jobsDb } from '../store/jobs.schema.js';
import { withRecords, writeTrackings } from '../services/tracking.service.js';
import { setNextSweepDates, sweepCandidates, writeSweptCases, type SweepCandidate, type SweptCase } from '../store/sweep.repository.js';
import { remindOverdueSupervisions, secondReminderDaysFromEnv } from './supervision-reminders.js';

export interface SweepOptions {
  /** 催办 this many working days before a due date (XINFANG_URGE_DAYS, default 3). */
  urgeDays: number;
  /** Cases per transaction (default 500). */
  batchSize?: number;
  /** Working days after a 督办件's deadline for its second reminder (default from the environment, 5). */
  supervisionSecondReminderDays?: number;
}

/** Lets timers, I/O and HTTP requests run between two batches (better-sqlite3 is synchronous). */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface SweepResult {
  examined: number;
  urged: number;
  supervised: number;
  /** Overdue 督办件 reminded (逾期催报), and of those second reminders. */
  supervisionReminded: number;
  supervisionSecondReminders: number;
  ms: number;
}

/** Urge-window days from the environment. */
export function urgeDaysFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.XINFANG_URGE_DAYS;
  if (v === undefined || v === '') return 3;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 30) throw new Error(`环境变量 XINFANG_URGE_DAYS 必须是 0 至 30 的整数，当前为 "${v}"`);
  return n;
}

const CLOCK_LABEL: Record<PlannedAlert['clock'], string> = {
  acceptance: '受理告知',
  assignment: '交办转送',
  handling: '办理答复',
  reviewDecision: '复查（复核）意见',
};

function higherRegion(code: string): string {
  if (code.endsWith('0000')) return code;
  if (code.endsWith('00')) return `${code.slice(0, 2)}0000`;
  return `${code.slice(0, 4)}00`;
}

/** The unit a clock binds: the receiving bureau until the case is assigned, then the current unit. */
export function responsibleUnit(row: Pick<CaseRow, 'receiving_unit_id' | 'current_unit_id'>, clock: PlannedAlert['clock']): string {
  return clock === 'acceptance' || clock === 'assignment' ? row.receiving_unit_id : row.current_unit_id;
}

/** 督办 goes to the bureau of the level above a bureau that missed its clock, else to the receiving bureau. */
export function supervisingBureau(ctx: AppContext, row: Pick<CaseRow, 'receiving_unit_id'>, unitId: string): string {
  const u = ctx.units.get(unitId);
  if (u && (u.kind === 'bureau' || u.kind === 'mailbox')) {
    const above = ctx.units.bureauFor(higherRegion(u.regionCode));
    return above?.id ?? u.id;
  }
  const receiving = ctx.units.get(row.receiving_unit_id);
  if (receiving?.kind === 'bureau') return receiving.id;
  return (receiving && ctx.units.bureauFor(receiving.regionCode)?.id) ?? row.receiving_unit_id;
}

/** The alerts already recorded for each of the cases. */
async function doneAlerts(t: TxContext, caseIds: string[]): Promise<Map<string, Set<string>>> {
  const rows = await t.tx.selectFrom('deadline_alert').select(['case_id', 'clock', 'due_date', 'kind']).where('case_id', 'in', caseIds).execute();
  const out = new Map<string, Set<string>>();
  for (const r of rows) {
    let set = out.get(r.case_id);
    if (!set) out.set(r.case_id, (set = new Set()));
    set.add(alertKey(r.clock, r.due_date, r.kind));
  }
  return out;
}

async function insertAlerts(t: TxContext, rows: { case_id: string; clock: string; due_date: string; kind: string; unit_id: string; at: string }[]): Promise<void> {
  if (rows.length > 0) await t.tx.insertInto('deadline_alert').values(rows).execute();
}

/** One sweep's day, options and tallies, passed to each batch. */
interface SweepRun {
  ctx: AppContext;
  opts: SweepOptions;
  day: string;
  result: SweepResult;
  /** The encrypted in-app recipient of a unit, once per sweep and unit (see unitRecipient). */
  recipients: Map<string, string>;
}

/**
 * Outbox recipients are encrypted like any address; a unit's in-app address `unit:<id>` is no
 * personal data (inapp_message.unit_id holds it in clear once delivered), so one sweep encrypts it
 * once per unit instead of once per notice — thousands of AES-GCM setups for a handful of units.
 */
function unitRecipient(run: SweepRun, unitId: string): string {
  let enc = run.recipients.get(unitId);
  if (enc === undefined) run.recipients.set(unitId, (enc = run.ctx.crypto.encrypt(`unit:${unitId}`)));
  return enc;
}

/** Runs one sweep over today's candidates. */
export async function runSweep(ctx: AppContext, opts: SweepOptions): Promise<SweepResult> {
  const started = performance.now();
  const day = today(ctx);
  const batchSize = opts.batchSize ?? 500;
  const result: SweepResult = { examined: 0, urged: 0, supervised: 0, supervisionReminded: 0, supervisionSecondReminders: 0, ms: 0 };
  const run: SweepRun = { ctx, opts, day, result, recipients: new Map() };
  // Two index range reads: cases whose date has come, and cases reset to NULL. A processed
  // case always leaves the range (its next date is after today), so each pass reads from the start
  // until nothing is left; a case seen twice (changed under us and reset) stops the pass.
  // Each batch is one bounded transaction, and the sweep yields to the event loop between batches,
  // so a first sweep over a million never-swept cases does not stall the server that runs it.
  const seen = new Set<string>();
  for (const due of [true, false]) {
    for (;;) {
      const batch = (await sweepCandidates(ctx.store.db, due ? day : null, batchSize)).filter((c) => !seen.has(c.id));
      if (batch.length === 0) break;
      for (const c of batch) seen.add(c.id);
      result.examined += batch.length;
      await processBatch(run, batch);
      await yieldToEventLoop();
    }
  }
  // 督办件 past their deadline without an answer: 逾期催报 (src/jobs/supervision-reminders.ts).
  const reminders = await remindOverdueSupervisions(ctx, day, { secondAfterDays: opts.supervisionSecondReminderDays ?? secondReminderDaysFromEnv() });
  result.supervisionReminded = reminders.reminded;
  result.supervisionSecondReminders = reminders.secondReminders;
  result.ms = Math.round(performance.now() - started);
  return result;
}

/** Cases alerted per transaction: each writes events and notices, so keep the lock (and the event-loop turn) short: ~30 ms of work. */
const ALERT_CHUNK = 100;

async function processBatch(run: SweepRun, batch: SweepCandidate[]): Promise<void> {
  const { ctx, opts, day } = run;
  // First a read-only plan: most candidates only get their next date, without locking anything.
  const quiet: { c: SweepCandidate; next: string }[] = [];
  const busy: SweepCandidate[] = [];
  for (const c of batch) {
    const plan = planSweep(ctx.calendar, ctx.clocks, opts.urgeDays, c, day, new Set());
    if (plan.alerts.length === 0) quiet.push({ c, next: plan.next });
    else busy.push(c);
  }
  if (quiet.length > 0) await inTransaction(ctx.store, (t) => setNextSweepDates(t, quiet));
  for (let i = 0; i < busy.length; i += ALERT_CHUNK) {
    if (i > 0) await yieldToEventLoop();
    await inTransaction(ctx.store, (t) => alertCases(run, t, busy.slice(i, i + ALERT_CHUNK).map((c) => c.id)));
  }
}

/**
 * Locks, re-reads and alerts a chunk of cases in the caller's transaction; each plan is redone on
 * the locked row against the alerts already recorded. One statement per kind of record for the
 * whole chunk: the rows (locked and read at once), the recorded alerts, events, alerts, notices,
 * the cases' heads and next dates, the records the tracking views are rendered from, the views.
 */
async function alertCases(run: SweepRun, t: TxContext, caseIds: string[]): Promise<void> {
  const { ctx, opts, day, result } = run;
  const rows = await lockCaseRows(t, caseIds);
  if (rows.length === 0) return;
  const done = await doneAlerts(t, rows.map((r) => r.id));
  const at = ctx.clock.now().toISOString();
  const alerted: CaseRow[] = [];
  const swept: SweptCase[] = [];
  const alertRows: { case_id: string; clock: string; due_date: string; kind: string; unit_id: string; at: string }[] = [];
  const notices: OutboxMessage[] = [];
  const events: EventRow[] = [];
  for (const row of rows) {
    const caseId = row.id;
    const plan = planSweep(ctx.calendar, ctx.clocks, opts.urgeDays, row, day, done.get(caseId) ?? new Set());
    if (plan.alerts.length > 0) {
      row.updated_at = at;
      if (plan.alerts.some((a) => a.kind === 'supervised')) row.supervised = 1;
    }
    const caseEvents: NewEvent[] = [];
    for (const a of plan.alerts) {
      const unitId = responsibleUnit(row, a.clock);
      const byUnitId = a.kind === 'urged' ? row.receiving_unit_id : supervisingBureau(ctx, row, unitId);
      const target = a.kind === 'urged' ? unitId : byUnitId;
      alertRows.push({ case_id: caseId, clock: a.clock, due_date: a.due, kind: a.kind, unit_id: target, at });
      caseEvents.push({
        type: a.kind,
        actorKind: 'system',
        actorId: null,
        actorUnitId: null,
        at,
        visibility: 'public',
        payload: canonicalJson({
          auto: true,
          clock: a.clock,
          clockLabel: CLOCK_LABEL[a.clock],
          due: a.due,
          overdue: a.kind === 'supervised',
          unitId,
          unitName: ctx.units.displayName(unitId),
          byUnitId,
          byUnitName: `${ctx.units.displayName(byUnitId)}（系统自动）`,
        }),
      });
      // In-app to the unit's staff: 催办 to the unit that must act, 督办 to the unit and its supervisor.
      const recipients = a.kind === 'urged' ? [unitId] : [...new Set([unitId, byUnitId])];
      for (const r of recipients) {
        notices.push({
          channel: 'inapp',
          recipientEnc: unitRecipient(run, r),
          template: a.kind === 'urged' ? 'unit_urged' : 'unit_supervised',
          payload: { caseNo: caseNumber(row), caseId, title: row.title, clockLabel: CLOCK_LABEL[a.clock], due: a.due, unitName: ctx.units.displayName(unitId) },
          caseId,
          at,
        });
      }
      if (a.kind === 'urged') result.urged += 1;
      else result.supervised += 1;
    }
    // Chaining moves the row's head in memory; it is written with the next sweep date below.
    events.push(...chainEvents(row, caseEvents));
    swept.push({ id: caseId, sweep_on: plan.next, event_count: row.event_count, head_hash: row.head_hash, updated_at: row.updated_at, supervised: row.supervised });
    if (plan.alerts.length > 0) alerted.push(row);
  }
  await insertEvents(t, events);
  await insertAlerts(t, alertRows);
  await enqueueMany(t, notices);
  await writeSweptCases(t, swept);
  // The 催办 / 督办 events are public: the tracking views change with them. The rows in memory are
  // the rows as stored now (read under the lock, then exactly the columns just written changed).
  if (alerted.length > 0) await writeTrackings(ctx, t.tx, await withRecords(t.tx, alerted));
}

/**
 * Makes watched cases candidates again after a calendar change moved urge dates: those with a
 * watched due date on or after `fromDate` (an urge window lies before its due date), or all.
 */
export async function resetSweep(ctx: AppContext, fromDate?: string): Promise<void> {
  let q = jobsDb(ctx.store.db).updateTable('case_file').set({ sweep_on: null }).where('sweep_on', '<>', NEVER);
  if (fromDate) q = q.where((eb) => eb.or((['due_accept', 'due_assign', 'due_reply', 'due_review_decision'] as const).map((c) => eb(c, '>=', fromDate))));
  await q.execute();
}
