/** Turns the configured clocks into the due-date columns of a case, collecting uncovered years. */
import type { AppContext } from './context.js';
import { deadlineStatus, dueDate, type ClockName } from '../domain/clocks.js';
import { localDateOf } from '../domain/calendar.js';
import type { CaseRow } from '../store/case.repository.js';

export class DueDates {
  readonly uncovered = new Set<number>();
  constructor(private readonly ctx: AppContext) {}

  /** Due date of `clock` started on `start` (a date), with approved extension days. */
  due(clock: ClockName, start: string, extraDays = 0): string {
    const r = dueDate(this.ctx.calendar, this.ctx.clocks, clock, start, extraDays);
    for (const y of r.uncoveredYears) this.uncovered.add(y);
    return r.date;
  }

  /** The value for case_file.uncovered_years, merged with what the case already had. */
  merged(existing: string | null): string | null {
    const all = new Set<number>([...(existing ? (JSON.parse(existing) as number[]) : []), ...this.uncovered]);
    return all.size === 0 ? null : JSON.stringify([...all].sort());
  }
}

/** Today's date in China. */
export function today(ctx: AppContext): string {
  return localDateOf(ctx.clock.now().toISOString());
}

export interface DeadlineView {
  clock: string;
  label: string;
  due: string;
  overdue: boolean;
  workingDaysLeft: number;
}

/** A deadline that matters in the case's current state, before its countdown (which depends on the day). */
export interface DeadlineSpec {
  clock: string;
  label: string;
  due: string;
}

/** The deadlines that matter in the case's current state (no countdown: the same whatever the day). */
export function deadlineSpecs(c: Pick<CaseRow, 'state' | 'review_level' | 'due_accept' | 'due_assign' | 'due_return' | 'due_reply' | 'due_review_request' | 'due_review_decision'>): DeadlineSpec[] {
  const out: DeadlineSpec[] = [];
  const add = (clock: ClockName | 'reply', label: string, due: string | null) => {
    if (due) out.push({ clock, label, due });
  };
  switch (c.state) {
    case 'submitted':
      add('acceptance', '受理告知期限', c.due_accept);
      add('assignment', '交办转送期限', c.due_assign);
      break;
    case 'accepted':
    case 'returned':
      add('assignment', '交办转送期限', c.due_assign);
      add('handling', '办理答复期限', c.due_reply);
      break;
    case 'assigned':
      add('returnWindow', '退回异议期限', c.due_return);
      add('handling', '办理答复期限', c.due_reply);
      break;
    case 'in_progress':
      add('handling', '办理答复期限', c.due_reply);
      break;
    case 'replied':
    case 'reviewed':
      add('reviewRequest', c.state === 'replied' ? '申请复查期限' : '申请复核期限', c.due_review_request);
      break;
    case 'under_review':
      add('reviewDecision', c.review_level >= 2 ? '复核决定期限' : '复查决定期限', c.due_review_decision);
      break;
    default:
      // rejected, final, closed, merged, withdrawn: no clock runs
      break;
  }
  return out;
}

/** Deadlines with their countdowns as of `day` (default: today). */
export function withCountdowns(ctx: AppContext, specs: readonly DeadlineSpec[], day = today(ctx)): DeadlineView[] {
  return specs.map((s) => ({ clock: s.clock, label: s.label, due: s.due, ...deadlineStatus(ctx.calendar, s.due, day) }));
}

/** The deadlines that matter in the case's current state, with countdowns. */
export function currentDeadlines(ctx: AppContext, c: Parameters<typeof deadlineSpecs>[0]): DeadlineView[] {
  return withCountdowns(ctx, deadlineSpecs(c));
}

/** The due dates as a flat object for API responses. */
export function deadlineSummary(c: CaseRow) {
  return {
    accept: c.due_accept,
    assign: c.due_assign,
    returnWindow: c.due_return,
    reply: c.due_reply,
    reviewRequest: c.due_review_request,
    reviewDecision: c.due_review_decision,
    uncoveredYears: c.uncovered_years ? (JSON.parse(c.uncovered_years) as number[]) : [],
  };
}

export { localDateOf };
