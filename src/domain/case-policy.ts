/**
 * Who may do what to which case: permission (from roles), relationship to the case's units
 * (jurisdiction or the very unit it was assigned to), then state. Pure: the service supplies facts.
 */
import { nextState, staffActions, type CaseFacts, type StaffAction } from './case-state.js';
import type { Permission } from './permissions.js';

export interface ActorFacts {
  permissions: ReadonlySet<Permission>;
  unitId: string;
  scopePath: string;
}

export interface CaseUnitFacts extends CaseFacts {
  receivingUnitId: string;
  receivingUnitPath: string;
  activeUnitId: string | null;
  activeUnitPath: string | null;
  repliedUnitId: string | null;
  repliedUnitPath: string | null;
  /** The unit that made the 复查 decision, whose level above must make the 复核. */
  reviewedUnitId: string | null;
  reviewedUnitPath: string | null;
  /** Legal time windows the service judged for today: such an action is refused (409) with this code and reason. */
  closedWindows: Partial<Record<StaffAction, { code: string; reason: string }>>;
}

export type Decision = { ok: true } | { ok: false; status: 403 | 409; reason: string; code?: string };

const permissionFor: Record<StaffAction, Permission> = {
  accept: 'case.accept',
  reject: 'case.accept',
  assign: 'case.assign',
  forward: 'case.assign',
  sign: 'case.sign',
  return: 'case.sign',
  urge: 'case.urge',
  supervise: 'case.supervise',
  'request-extension': 'case.extension.request',
  'approve-extension': 'case.extension.approve',
  reply: 'case.reply',
  'review-decision': 'case.review.decide',
  merge: 'case.merge',
  unmerge: 'case.merge',
  close: 'case.close',
  note: 'case.note',
};

const inScope = (path: string | null, scope: string) => path !== null && path.startsWith(scope);

function relationship(action: StaffAction, a: ActorFacts, c: CaseUnitFacts): string | null {
  switch (action) {
    case 'accept':
    case 'reject':
    case 'assign':
    case 'forward':
    case 'merge':
    case 'unmerge':
    case 'close':
      return inScope(c.receivingUnitPath, a.scopePath) ? null : '该信访件不属于您单位的受理范围';
    case 'sign':
    case 'return':
    case 'reply':
    case 'request-extension':
      if (c.activeUnitId !== null && c.activeUnitId === a.unitId) return null;
      // The unit that has answered acting again (a second reply, a late 签收) is refused for the case's state (409),
      // not told it is a stranger to the case; only where the state refuses the action anyway.
      if (c.activeUnitId === null && c.repliedUnitId !== null && c.repliedUnitId === a.unitId && nextState(c, action) === null) return null;
      return '只有承办单位可以执行此操作';
    case 'approve-extension':
      return inScope(c.activeUnitPath, a.scopePath) ? null : '只有承办单位负责人或上级机关可以批准延期';
    case 'urge':
    case 'supervise': {
      // The unit urged is the one owing the next step: the handling unit, else the receiving bureau.
      const targetId = c.activeUnitId ?? c.receivingUnitId;
      const targetPath = c.activeUnitPath ?? c.receivingUnitPath;
      if (targetId === a.unitId) return '不能对本单位承办的信访件催办或督办';
      return inScope(targetPath, a.scopePath) ? null : '该信访件不在您单位的督办范围内';
    }
    case 'review-decision': {
      // 复查 by a level above the unit that answered (art. 35); 复核 above the one that made the 复查 (art. 36).
      const reReview = c.reviewLevel >= 2 && !!c.reviewedUnitId;
      const decidedId = reReview ? c.reviewedUnitId : c.repliedUnitId;
      const decidedPath = reReview ? c.reviewedUnitPath : c.repliedUnitPath;
      if (decidedId === a.unitId) return reReview ? '复核应由作出复查意见机关的上一级机关作出' : '复查、复核应由原办理单位的上一级机关作出';
      return inScope(decidedPath ?? c.receivingUnitPath, a.scopePath) ? null : '该信访件不在您单位的复查范围内';
    }
    case 'note':
      return null;
  }
}

/** Decides whether a staff member may take an action on a case now. */
export function decideStaffAction(action: StaffAction, a: ActorFacts, c: CaseUnitFacts): Decision {
  if (!a.permissions.has(permissionFor[action])) return { ok: false, status: 403, reason: '您的角色没有此项权限' };
  const rel = relationship(action, a, c);
  if (rel) return { ok: false, status: 403, reason: rel };
  if (nextState(c, action) === null) return { ok: false, status: 409, reason: '信访件当前状态不允许此操作' };
  const window = c.closedWindows[action];
  if (window) return { ok: false, status: 409, reason: window.reason, code: window.code };
  return { ok: true };
}

/** Every action the staff member may take on the case now; the UI shows only these. */
export function allowedStaffActions(a: ActorFacts, c: CaseUnitFacts): StaffAction[] {
  return staffActions.filter((x) => decideStaffAction(x, a, c).ok);
}
