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

/** The deadlines that matter in the case's current state, with countdowns. */
export function currentDeadlines(ctx: AppContext, c: CaseRow): DeadlineView[] {
  const t = today(ctx);
  const out: DeadlineView[] = [];
  const add = (clock: ClockName | 'reply', label: string, due: string | null) => {
    if (!due) return;
    out.push({ clock, label, due, ...deadlineStatus(ctx.calendar, due, t) });
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
    case 'rejected':
    case 'final':
    case 'closed':
    case 'merged':
    case 'withdrawn':
      break;
  }
  return out;
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
