/**
 * The case lifecycle of DOMAIN.md as a pure transition table. A case changes state only through
 * `nextState`; anything the table does not allow is a 409 for the caller.
 */

export const caseStates = [
  'submitted',
  'accepted',
  'rejected',
  'assigned',
  'in_progress',
  'returned',
  'replied',
  'under_review',
  'reviewed',
  'final',
  'closed',
  'merged',
  'withdrawn',
] as const;
export type CaseState = (typeof caseStates)[number];

/** Staff actions of API.md (plus the internal note). */
export const staffActions = [
  'accept',
  'reject',
  'assign',
  'forward',
  'sign',
  'return',
  'urge',
  'supervise',
  'request-extension',
  'approve-extension',
  'reply',
  'review-decision',
  'merge',
  'unmerge',
  'close',
  'note',
] as const;
export type StaffAction = (typeof staffActions)[number];

/** Acts only the petitioner may perform (plus 留言 and withdrawal). */
export const citizenActions = ['withdraw', 'evaluate', 'review-request', 'message', 'confirm-receipt'] as const;
export type CitizenAction = (typeof citizenActions)[number];

export type CaseAction = StaffAction | CitizenAction;

/** The facts about a case that decide which transitions exist. */
export interface CaseFacts {
  state: CaseState;
  reviewLevel: number; // 0 none, 1 复查 requested/decided, 2 复核
  hasPendingExtension: boolean;
  evaluated: boolean;
  /** For a merged case: the state it had when it was merged, to which 撤销合并 returns it. */
  stateBeforeMerge?: CaseState | null;
}

const terminal: ReadonlySet<CaseState> = new Set(['rejected', 'final', 'closed', 'merged', 'withdrawn']);

/** True when no further handling happens on the case. */
export function isTerminal(state: CaseState): boolean {
  return terminal.has(state);
}

/** Chinese label of a state, for messages and pages. */
export function stateLabel(state: CaseState): string {
  switch (state) {
    case 'submitted':
      return '待受理';
    case 'accepted':
      return '已受理';
    case 'rejected':
      return '不予受理';
    case 'assigned':
      return '已交办/转送';
    case 'in_progress':
      return '办理中';
    case 'returned':
      return '已退回';
    case 'replied':
      return '已答复';
    case 'under_review':
      return '复查/复核中';
    case 'reviewed':
      return '已复查';
    case 'final':
      return '已终结';
    case 'closed':
      return '已办结';
    case 'merged':
      return '已合并';
    case 'withdrawn':
      return '已撤回';
  }
}

/** The state a case moves to under an action, or null when the action is not allowed now. */
export function nextState(facts: CaseFacts, action: CaseAction): CaseState | null {
  const s = facts.state;
  switch (action) {
    case 'accept':
    case 'reject':
      return s === 'submitted' ? (action === 'accept' ? 'accepted' : 'rejected') : null;
    case 'assign':
    case 'forward':
      return s === 'accepted' || s === 'returned' ? 'assigned' : null;
    case 'sign':
      return s === 'assigned' ? 'in_progress' : null;
    case 'return':
      return s === 'assigned' ? 'returned' : null;
    case 'urge':
    case 'supervise':
      return s === 'accepted' || s === 'assigned' || s === 'in_progress' || s === 'returned' || s === 'under_review'
        ? s
        : null;
    case 'request-extension':
      return s === 'in_progress' && !facts.hasPendingExtension ? s : null;
    case 'approve-extension':
      return s === 'in_progress' && facts.hasPendingExtension ? s : null;
    case 'reply':
      return s === 'in_progress' ? 'replied' : null;
    case 'review-request':
      if (s === 'replied' && facts.reviewLevel === 0) return 'under_review';
      if (s === 'reviewed' && facts.reviewLevel === 1) return 'under_review';
      return null;
    case 'review-decision':
      return s === 'under_review' ? (facts.reviewLevel >= 2 ? 'final' : 'reviewed') : null;
    case 'merge':
      // DOMAIN.md: any open state may be merged into an earlier case (a repeat found late, too).
      return isTerminal(s) ? null : 'merged';
    case 'unmerge':
      // 撤销合并: a merge made in error is undone; the case resumes where it stood.
      return s === 'merged' && facts.stateBeforeMerge && !isTerminal(facts.stateBeforeMerge) ? facts.stateBeforeMerge : null;
    case 'close':
      return s === 'replied' || s === 'reviewed' ? 'closed' : null;
    case 'note':
    case 'message':
      return s;
    case 'withdraw':
      return s === 'submitted' || s === 'accepted' ? 'withdrawn' : null;
    case 'evaluate':
      return (s === 'replied' || s === 'reviewed' || s === 'final') && !facts.evaluated ? s : null;
    case 'confirm-receipt':
      return s === 'replied' || s === 'reviewed' || s === 'final' ? s : null;
  }
}
