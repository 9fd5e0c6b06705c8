import { describe, expect, it } from 'vitest';
import { allowedStaffActions, decideStaffAction, type ActorFacts, type CaseUnitFacts } from './case-policy.js';
import { staffActions, type CaseState, type StaffAction } from './case-state.js';
import { permissionsOf, roles, type Role } from './permissions.js';

// Units of the Hebei tree as materialised paths (province 130000 › 石家庄 130100 › 正定县 130123 / 长安区 130102).
const PROV = '/130000/';
const SJZ = '/130000/130100/';
const ZD = '/130000/130100/130123/';
const CHANGAN = '/130000/130100/130102/';
const unitPath = (scope: string, id: string) => `${scope}${id}/`;

type Site = { unitId: string; scopePath: string };
const site = {
  provBureau: { unitId: '130000-xfj', scopePath: PROV },
  sjzBureau: { unitId: '130100-xfj', scopePath: SJZ },
  zdBureau: { unitId: '130123-xfj', scopePath: ZD },
  zdHousing: { unitId: '130123-zj', scopePath: unitPath(ZD, '130123-zj') },
  zdLabour: { unitId: '130123-rs', scopePath: unitPath(ZD, '130123-rs') },
  changanBureau: { unitId: '130102-xfj', scopePath: CHANGAN },
} satisfies Record<string, Site>;

const actor = (role: Role | Role[], at: Site): ActorFacts => ({
  permissions: permissionsOf(Array.isArray(role) ? role : [role]),
  unitId: at.unitId,
  scopePath: at.scopePath,
});

/** A 正定县 case received by the county bureau; `assignedTo` makes it the active assignment. */
function caseFacts(state: CaseState, over: Partial<CaseUnitFacts> & { assignedTo?: string; repliedBy?: string } = {}): CaseUnitFacts {
  const { assignedTo, repliedBy, ...rest } = over;
  return {
    state,
    reviewLevel: 0,
    hasPendingExtension: false,
    evaluated: false,
    receivingUnitId: '130123-xfj',
    receivingUnitPath: unitPath(ZD, '130123-xfj'),
    activeUnitId: assignedTo ?? null,
    activeUnitPath: assignedTo ? unitPath(ZD, assignedTo) : null,
    repliedUnitId: repliedBy ?? null,
    repliedUnitPath: repliedBy ? unitPath(ZD, repliedBy) : null,
    reviewedUnitId: null,
    reviewedUnitPath: null,
    closedWindows: {},
    ...rest,
  };
}

/** For each action: a case where it is valid, the unit of someone who stands in the right relationship, and the roles holding the permission. */
const validSituation: Record<StaffAction, { facts: CaseUnitFacts; at: Site; holders: Role[] }> = {
  accept: { facts: caseFacts('submitted'), at: site.zdBureau, holders: ['acceptor'] },
  reject: { facts: caseFacts('submitted'), at: site.zdBureau, holders: ['acceptor'] },
  assign: { facts: caseFacts('accepted'), at: site.zdBureau, holders: ['dispatcher'] },
  forward: { facts: caseFacts('returned'), at: site.zdBureau, holders: ['dispatcher'] },
  sign: { facts: caseFacts('assigned', { assignedTo: '130123-zj' }), at: site.zdHousing, holders: ['handler'] },
  return: { facts: caseFacts('assigned', { assignedTo: '130123-zj' }), at: site.zdHousing, holders: ['handler'] },
  urge: { facts: caseFacts('in_progress', { assignedTo: '130123-zj' }), at: site.zdBureau, holders: ['dispatcher', 'supervisor', 'leader'] },
  supervise: { facts: caseFacts('assigned', { assignedTo: '130123-zj' }), at: site.zdBureau, holders: ['supervisor', 'leader'] },
  'request-extension': { facts: caseFacts('in_progress', { assignedTo: '130123-zj' }), at: site.zdHousing, holders: ['handler'] },
  'approve-extension': {
    facts: caseFacts('in_progress', { assignedTo: '130123-zj', hasPendingExtension: true }),
    at: site.zdBureau,
    holders: ['leader'],
  },
  reply: { facts: caseFacts('in_progress', { assignedTo: '130123-zj' }), at: site.zdHousing, holders: ['handler'] },
  'review-decision': { facts: caseFacts('under_review', { reviewLevel: 1, repliedBy: '130123-zj' }), at: site.sjzBureau, holders: ['supervisor', 'leader'] },
  merge: { facts: caseFacts('submitted'), at: site.zdBureau, holders: ['acceptor', 'dispatcher'] },
  unmerge: { facts: caseFacts('merged', { stateBeforeMerge: 'accepted' }), at: site.zdBureau, holders: ['acceptor', 'dispatcher'] },
  close: { facts: caseFacts('replied', { repliedBy: '130123-zj' }), at: site.zdBureau, holders: ['acceptor', 'dispatcher'] },
  note: { facts: caseFacts('closed'), at: site.zdBureau, holders: ['registrar', 'acceptor', 'dispatcher', 'handler', 'supervisor', 'leader'] },
};

describe('permission: only roles holding the action’s permission may act', () => {
  const pairs = staffActions.flatMap((a) => roles.map((r) => [a, r] as const));
  it.each(pairs)('%s by %s', (action, role) => {
    const s = validSituation[action];
    const d = decideStaffAction(action, actor(role, s.at), s.facts);
    if (s.holders.includes(role)) expect(d).toEqual({ ok: true });
    else expect(d).toEqual({ ok: false, status: 403, reason: '您的角色没有此项权限' });
  });

  it('admins and auditors may do nothing to a case', () => {
    for (const role of ['admin', 'auditor'] as const) {
      for (const action of staffActions) {
        expect(allowedStaffActions(actor(role, validSituation[action].at), validSituation[action].facts)).toEqual([]);
      }
    }
  });
});

describe('relationship to the case’s units', () => {
  const assigned = caseFacts('assigned', { assignedTo: '130123-zj' });
  const inProgress = caseFacts('in_progress', { assignedTo: '130123-zj' });

  it.each([
    ['sign', assigned],
    ['return', assigned],
    ['reply', inProgress],
    ['request-extension', inProgress],
  ] as const)('%s: only the very unit it is assigned to, not the bureau above nor a sibling department', (action, facts) => {
    const all: Role[] = ['handler'];
    expect(decideStaffAction(action, actor(all, site.zdHousing), facts).ok).toBe(true);
    for (const other of [site.zdBureau, site.sjzBureau, site.zdLabour]) {
      expect(decideStaffAction(action, actor(all, other), facts)).toEqual({ ok: false, status: 403, reason: '只有承办单位可以执行此操作' });
    }
    // Not yet (or no longer) assigned: nobody is "the handling unit".
    expect(decideStaffAction(action, actor(all, site.zdHousing), { ...facts, activeUnitId: null, activeUnitPath: null }).ok).toBe(false);
  });

  it.each(['sign', 'return', 'reply', 'request-extension'] as const)('%s again by the unit that has replied: refused for the state (409), not as a stranger (403)', (action) => {
    const replied = caseFacts('replied', { repliedBy: '130123-zj' });
    expect(decideStaffAction(action, actor(['handler'], site.zdHousing), replied)).toEqual({ ok: false, status: 409, reason: '信访件当前状态不允许此操作' });
    // Any other unit is still told it is not the handling unit.
    expect(decideStaffAction(action, actor(['handler'], site.zdLabour), replied)).toEqual({ ok: false, status: 403, reason: '只有承办单位可以执行此操作' });
  });

  it.each([
    ['accept', caseFacts('submitted'), 'acceptor'],
    ['reject', caseFacts('submitted'), 'acceptor'],
    ['assign', caseFacts('accepted'), 'dispatcher'],
    ['forward', caseFacts('accepted'), 'dispatcher'],
  ] as const)('%s: the receiving unit must lie in the actor’s jurisdiction (path prefix)', (action, facts, role) => {
    expect(decideStaffAction(action, actor(role, site.zdBureau), facts).ok).toBe(true);
    expect(decideStaffAction(action, actor(role, site.sjzBureau), facts).ok).toBe(true);
    expect(decideStaffAction(action, actor(role, site.provBureau), facts).ok).toBe(true);
    const refused = { ok: false, status: 403, reason: '该信访件不属于您单位的受理范围' };
    expect(decideStaffAction(action, actor(role, site.changanBureau), facts)).toEqual(refused);
    // A department's jurisdiction is itself: it does not act for the bureau that received the case.
    expect(decideStaffAction(action, actor(role, site.zdHousing), facts)).toEqual(refused);
  });

  it('urge / supervise: never on one’s own unit, only within jurisdiction', () => {
    const ownUnit = { ok: false, status: 403, reason: '不能对本单位承办的信访件催办或督办' };
    for (const action of ['urge', 'supervise'] as const) {
      const roleSet: Role[] = ['supervisor'];
      // Assigned to the housing department: the county bureau and the city may urge it, the department itself may not.
      expect(decideStaffAction(action, actor(roleSet, site.zdBureau), inProgress).ok).toBe(true);
      expect(decideStaffAction(action, actor(roleSet, site.sjzBureau), inProgress).ok).toBe(true);
      expect(decideStaffAction(action, actor(roleSet, site.zdHousing), inProgress)).toEqual(ownUnit);
      expect(decideStaffAction(action, actor(roleSet, site.changanBureau), inProgress)).toEqual({
        ok: false,
        status: 403,
        reason: '该信访件不在您单位的督办范围内',
      });
      // Accepted, not yet assigned: the county bureau owes the next step, so it cannot urge itself; the city can.
      const accepted = caseFacts('accepted');
      expect(decideStaffAction(action, actor(roleSet, site.zdBureau), accepted)).toEqual(ownUnit);
      expect(decideStaffAction(action, actor(roleSet, site.sjzBureau), accepted).ok).toBe(true);
    }
  });

  it('approve-extension: the handling unit’s head or a unit above it', () => {
    const pending = caseFacts('in_progress', { assignedTo: '130123-zj', hasPendingExtension: true });
    expect(decideStaffAction('approve-extension', actor('leader', site.zdBureau), pending).ok).toBe(true);
    expect(decideStaffAction('approve-extension', actor('leader', site.zdHousing), pending).ok).toBe(true);
    expect(decideStaffAction('approve-extension', actor('leader', site.zdLabour), pending)).toMatchObject({ ok: false, status: 403 });
    expect(decideStaffAction('approve-extension', actor('leader', site.changanBureau), pending)).toMatchObject({ ok: false, status: 403 });
  });

  it('review-decision (复查): not by the unit that replied; by a unit whose jurisdiction holds it', () => {
    const review = caseFacts('under_review', { reviewLevel: 1, repliedBy: '130123-zj' });
    expect(decideStaffAction('review-decision', actor('leader', site.zdHousing), review)).toEqual({
      ok: false,
      status: 403,
      reason: '复查、复核应由原办理单位的上一级机关作出',
    });
    expect(decideStaffAction('review-decision', actor('supervisor', site.sjzBureau), review).ok).toBe(true);
    expect(decideStaffAction('review-decision', actor('supervisor', site.provBureau), review).ok).toBe(true);
    expect(decideStaffAction('review-decision', actor('supervisor', site.changanBureau), review)).toMatchObject({ ok: false, status: 403 });
    expect(decideStaffAction('review-decision', actor('supervisor', site.zdLabour), review)).toMatchObject({ ok: false, status: 403 });
  });

  it('review-decision (复核): not by the unit that made the 复查, but by one above it', () => {
    const reReview = caseFacts('under_review', {
      reviewLevel: 2,
      repliedBy: '130123-zj',
      reviewedUnitId: '130100-xfj',
      reviewedUnitPath: unitPath(SJZ, '130100-xfj'),
    });
    expect(decideStaffAction('review-decision', actor('supervisor', site.sjzBureau), reReview)).toEqual({
      ok: false,
      status: 403,
      reason: '复核应由作出复查意见机关的上一级机关作出',
    });
    expect(decideStaffAction('review-decision', actor('supervisor', site.zdBureau), reReview)).toMatchObject({ ok: false, status: 403 });
    expect(decideStaffAction('review-decision', actor('supervisor', site.provBureau), reReview)).toEqual({ ok: true });
  });

  it('merge and close act for the receiving unit’s jurisdiction', () => {
    for (const [action, facts] of [
      ['merge', caseFacts('accepted')],
      ['close', caseFacts('replied', { repliedBy: '130123-zj' })],
    ] as const) {
      expect(decideStaffAction(action, actor('dispatcher', site.zdBureau), facts).ok).toBe(true);
      expect(decideStaffAction(action, actor('dispatcher', site.changanBureau), facts)).toMatchObject({ ok: false, status: 403 });
    }
  });

  it('an internal note needs only the permission', () => {
    expect(decideStaffAction('note', actor('registrar', site.changanBureau), caseFacts('submitted')).ok).toBe(true);
    expect(decideStaffAction('note', actor('auditor', site.zdBureau), caseFacts('submitted'))).toMatchObject({ ok: false, status: 403 });
  });
});

describe('order of refusals: permission (403), relationship (403), then state (409), then time window (409)', () => {
  it('a role without the permission gets 403 whatever the state', () => {
    for (const state of ['closed', 'rejected', 'merged'] as const) {
      expect(decideStaffAction('accept', actor('handler', site.zdBureau), caseFacts(state))).toEqual({
        ok: false,
        status: 403,
        reason: '您的角色没有此项权限',
      });
    }
  });

  it('the right role in the wrong unit gets 403 even when the state is wrong too', () => {
    expect(decideStaffAction('accept', actor('acceptor', site.changanBureau), caseFacts('closed'))).toMatchObject({ ok: false, status: 403 });
    expect(decideStaffAction('sign', actor('handler', site.zdLabour), caseFacts('in_progress', { assignedTo: '130123-zj' }))).toMatchObject({
      ok: false,
      status: 403,
    });
  });

  it('the right role in the right unit gets 409 in the wrong state', () => {
    const conflict = { ok: false, status: 409, reason: '信访件当前状态不允许此操作' };
    expect(decideStaffAction('accept', actor('acceptor', site.zdBureau), caseFacts('accepted'))).toEqual(conflict);
    expect(decideStaffAction('sign', actor('handler', site.zdHousing), caseFacts('in_progress', { assignedTo: '130123-zj' }))).toEqual(conflict);
    expect(decideStaffAction('assign', actor('dispatcher', site.zdBureau), caseFacts('submitted'))).toEqual(conflict);
    expect(decideStaffAction('approve-extension', actor('leader', site.zdBureau), caseFacts('in_progress', { assignedTo: '130123-zj' }))).toEqual(conflict);
  });

  it('a closed time window refuses with its own code and reason, after every other check', () => {
    const window = { code: 'window_closed', reason: '退回期限已过' };
    const facts = caseFacts('assigned', { assignedTo: '130123-zj', closedWindows: { return: window } });
    expect(decideStaffAction('return', actor('handler', site.zdHousing), facts)).toEqual({ ok: false, status: 409, ...window });
    expect(decideStaffAction('return', actor('handler', site.zdLabour), facts)).toMatchObject({ ok: false, status: 403 });
    expect(decideStaffAction('return', actor('supervisor', site.zdHousing), facts)).toMatchObject({ ok: false, status: 403 });
    expect(decideStaffAction('sign', actor('handler', site.zdHousing), facts)).toEqual({ ok: true });
  });
});

describe('allowedStaffActions lists exactly what decideStaffAction allows', () => {
  it('the handling unit on an assigned case may sign, return or note', () => {
    const facts = caseFacts('assigned', { assignedTo: '130123-zj' });
    expect(allowedStaffActions(actor('handler', site.zdHousing), facts)).toEqual(['sign', 'return', 'note']);
    expect(allowedStaffActions(actor('handler', site.zdHousing), { ...facts, closedWindows: { return: { code: 'window_closed', reason: 'x' } } })).toEqual([
      'sign',
      'note',
    ]);
  });

  it('a county leader on an in-progress case with a pending extension', () => {
    const facts = caseFacts('in_progress', { assignedTo: '130123-zj', hasPendingExtension: true });
    expect(allowedStaffActions(actor('leader', site.zdBureau), facts)).toEqual(['urge', 'supervise', 'approve-extension', 'note']);
  });

  it('the bureau’s acceptor on a submitted case', () => {
    expect(allowedStaffActions(actor('acceptor', site.zdBureau), caseFacts('submitted'))).toEqual(['accept', 'reject', 'merge', 'note']);
  });
});
