import { describe, expect, it } from 'vitest';
import {
  caseStates,
  citizenActions,
  isTerminal,
  nextState,
  staffActions,
  stateLabel,
  type CaseAction,
  type CaseFacts,
  type CaseState,
} from './case-state.js';

/**
 * The lifecycle diagram of DOMAIN.md, written out by hand (not derived from the code), one row per
 * distinct situation a case can be in. Every (row, action) pair not listed must be refused (null).
 *
 *   submitted ─accept→ accepted ─assign/forward→ assigned ─sign→ in_progress ─reply→ replied
 *   submitted ─reject→ rejected;  assigned ─return→ returned ─assign/forward→ assigned
 *   in_progress: request-extension (one pending at a time), approve-extension (when one is pending)
 *   replied ─review-request→ under_review ─review-decision→ reviewed ─review-request→ under_review
 *     ─review-decision→ final;  replied/reviewed ─close→ closed (no review within the window)
 *   any open (non-terminal) state ─merge→ merged;  submitted/accepted ─withdraw→ withdrawn
 *   urge/supervise: while a unit owes the next step (accepted, assigned, in_progress, returned, under_review)
 *   evaluate: once, on an answer (replied, reviewed, final); confirm-receipt on an answer
 *   note (internal) and message (留言): always, they never move the case
 */
const actions: readonly CaseAction[] = [...staffActions, ...citizenActions];

interface Row {
  name: string;
  facts: CaseFacts;
  allowed: Partial<Record<CaseAction, CaseState>>;
}

const f = (state: CaseState, over: Partial<CaseFacts> = {}): CaseFacts => ({
  state,
  reviewLevel: 0,
  hasPendingExtension: false,
  evaluated: false,
  ...over,
});

const always = (s: CaseState) => ({ note: s, message: s });

const rows: Row[] = [
  {
    name: 'submitted',
    facts: f('submitted'),
    allowed: { accept: 'accepted', reject: 'rejected', merge: 'merged', withdraw: 'withdrawn', ...always('submitted') },
  },
  {
    name: 'accepted',
    facts: f('accepted'),
    allowed: {
      assign: 'assigned',
      forward: 'assigned',
      urge: 'accepted',
      supervise: 'accepted',
      merge: 'merged',
      withdraw: 'withdrawn',
      ...always('accepted'),
    },
  },
  { name: 'rejected', facts: f('rejected'), allowed: always('rejected') },
  {
    name: 'assigned',
    facts: f('assigned'),
    allowed: { sign: 'in_progress', return: 'returned', urge: 'assigned', supervise: 'assigned', merge: 'merged', ...always('assigned') },
  },
  {
    name: 'in_progress, no extension pending',
    facts: f('in_progress'),
    allowed: {
      'request-extension': 'in_progress',
      reply: 'replied',
      urge: 'in_progress',
      supervise: 'in_progress',
      merge: 'merged',
      ...always('in_progress'),
    },
  },
  {
    name: 'in_progress, extension pending',
    facts: f('in_progress', { hasPendingExtension: true }),
    allowed: {
      'approve-extension': 'in_progress',
      reply: 'replied',
      urge: 'in_progress',
      supervise: 'in_progress',
      merge: 'merged',
      ...always('in_progress'),
    },
  },
  {
    name: 'returned',
    facts: f('returned'),
    allowed: { assign: 'assigned', forward: 'assigned', urge: 'returned', supervise: 'returned', merge: 'merged', ...always('returned') },
  },
  {
    name: 'replied, not evaluated',
    facts: f('replied'),
    allowed: {
      evaluate: 'replied',
      'review-request': 'under_review',
      'confirm-receipt': 'replied',
      close: 'closed',
      merge: 'merged',
      ...always('replied'),
    },
  },
  {
    name: 'replied, evaluated (dissatisfied)',
    facts: f('replied', { evaluated: true }),
    allowed: { 'review-request': 'under_review', 'confirm-receipt': 'replied', close: 'closed', merge: 'merged', ...always('replied') },
  },
  {
    name: 'under_review (复查)',
    facts: f('under_review', { reviewLevel: 1 }),
    allowed: { 'review-decision': 'reviewed', urge: 'under_review', supervise: 'under_review', merge: 'merged', ...always('under_review') },
  },
  {
    name: 'under_review (复核)',
    facts: f('under_review', { reviewLevel: 2 }),
    allowed: { 'review-decision': 'final', urge: 'under_review', supervise: 'under_review', merge: 'merged', ...always('under_review') },
  },
  {
    name: 'reviewed',
    facts: f('reviewed', { reviewLevel: 1 }),
    allowed: {
      'review-request': 'under_review',
      evaluate: 'reviewed',
      'confirm-receipt': 'reviewed',
      close: 'closed',
      merge: 'merged',
      ...always('reviewed'),
    },
  },
  {
    name: 'reviewed, evaluated',
    facts: f('reviewed', { reviewLevel: 1, evaluated: true }),
    allowed: { 'review-request': 'under_review', 'confirm-receipt': 'reviewed', close: 'closed', merge: 'merged', ...always('reviewed') },
  },
  { name: 'final', facts: f('final', { reviewLevel: 2 }), allowed: { evaluate: 'final', 'confirm-receipt': 'final', ...always('final') } },
  { name: 'final, evaluated', facts: f('final', { reviewLevel: 2, evaluated: true }), allowed: { 'confirm-receipt': 'final', ...always('final') } },
  { name: 'closed', facts: f('closed'), allowed: always('closed') },
  { name: 'merged', facts: f('merged'), allowed: always('merged') },
  // 撤销合并 returns a merged case to the state it was merged from, never to a terminal one.
  { name: 'merged from in_progress', facts: f('merged', { stateBeforeMerge: 'in_progress' }), allowed: { unmerge: 'in_progress', ...always('merged') } },
  { name: 'merged from submitted', facts: f('merged', { stateBeforeMerge: 'submitted' }), allowed: { unmerge: 'submitted', ...always('merged') } },
  { name: 'merged with a terminal record', facts: f('merged', { stateBeforeMerge: 'closed' }), allowed: always('merged') },
  { name: 'withdrawn', facts: f('withdrawn'), allowed: always('withdrawn') },
];

describe('nextState against the DOMAIN.md diagram', () => {
  it('the table covers every state', () => {
    expect(new Set(rows.map((r) => r.facts.state))).toEqual(new Set(caseStates));
  });

  const pairs = rows.flatMap((r) => actions.map((a) => [r.name, a, r] as const));
  it.each(pairs)('%s × %s', (_name, action, row) => {
    expect(nextState(row.facts, action)).toBe(row.allowed[action] ?? null);
  });

  it('a 复查 request at level 1 or a 复核 request at level 2 cannot be made again', () => {
    expect(nextState(f('replied', { reviewLevel: 1 }), 'review-request')).toBeNull();
    expect(nextState(f('reviewed', { reviewLevel: 2 }), 'review-request')).toBeNull();
  });

  it('terminal states are exactly rejected, final, closed, merged, withdrawn', () => {
    expect(caseStates.filter(isTerminal)).toEqual(['rejected', 'final', 'closed', 'merged', 'withdrawn']);
    for (const s of caseStates.filter(isTerminal)) {
      const moves = actions.filter((a) => {
        const n = nextState(f(s), a);
        return n !== null && n !== s;
      });
      expect(moves, s).toEqual([]);
    }
  });

  it('every state has a Chinese label', () => {
    for (const s of caseStates) expect(stateLabel(s)).toMatch(/[\u4e00-\u9fa5]/);
  });
});
