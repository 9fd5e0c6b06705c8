import { describe, expect, it } from 'vitest';
import { childLevel, classifyCase, measureCases, monthsBetween, ratio, regionPrefix, suppress, type CaseFacts } from './measures.js';

const base: CaseFacts = {
  channel: 'web',
  state: 'submitted',
  receivedDate: '2026-03-02',
  mergedInto: null,
  dueAccept: '2026-03-04',
  dueAssign: '2026-03-09',
  dueReply: null,
  acceptedDate: null,
  closedDate: null,
  assignedDate: null,
  repliedDate: null,
  evaluation: null,
};

describe('measures', () => {
  it('ratio has no rate without a denominator', () => {
    expect(ratio(0, 0).rate).toBeNull();
    expect(ratio(2, 3).rate).toBe(0.6667);
  });

  it('a clock counts once it ran out or the act happened', () => {
    expect(classifyCase(base, '2026-03-04').acceptance).toBeUndefined(); // due today, not yet late
    expect(classifyCase(base, '2026-03-05').acceptance).toEqual({ anchor: '2026-03-04', hit: false });
    expect(classifyCase({ ...base, state: 'accepted', acceptedDate: '2026-03-04' }, '2026-03-04').acceptance).toEqual({ anchor: '2026-03-04', hit: true });
    // 不予受理 is a decision too, dated by its closing.
    expect(classifyCase({ ...base, state: 'rejected', closedDate: '2026-03-05' }, '2026-03-10').acceptance?.hit).toBe(false);
    // A rejected case owes no assignment; a withdrawn one before acceptance owes no decision.
    expect(classifyCase({ ...base, state: 'rejected', closedDate: '2026-03-03' }, '2026-03-10').assignment).toBeUndefined();
    expect(classifyCase({ ...base, state: 'withdrawn', closedDate: '2026-03-03' }, '2026-03-10').acceptance).toBeUndefined();
  });

  it('on-time completion reads the due date with its approved extension', () => {
    const c = { ...base, state: 'replied', acceptedDate: '2026-03-03', assignedDate: '2026-03-03', dueReply: '2026-05-31', repliedDate: '2026-05-20' };
    expect(classifyCase(c, '2026-06-10').completion).toEqual({ anchor: '2026-05-31', hit: true });
    expect(classifyCase({ ...c, repliedDate: '2026-06-01' }, '2026-06-10').completion?.hit).toBe(false);
  });

  it('sums a period: participation and satisfaction over replies, online over cases', () => {
    const cs: CaseFacts[] = [
      { ...base, state: 'closed', repliedDate: '2026-03-20', evaluation: 'satisfied' },
      { ...base, channel: 'letter', state: 'replied', repliedDate: '2026-03-21', evaluation: 'dissatisfied' },
      { ...base, channel: 'visit', state: 'replied', repliedDate: '2026-03-22' },
      { ...base, state: 'merged', mergedInto: 'x' },
    ];
    const m = measureCases(cs, '2026-03-01', '2026-03-31', '2026-04-01');
    expect(m.volume.due).toBe(4);
    expect(m.online).toMatchObject({ hit: 2, due: 4, rate: 0.5 });
    expect(m.participation).toMatchObject({ hit: 2, due: 3 });
    expect(m.satisfaction).toMatchObject({ hit: 1, due: 2, rate: 0.5 });
    expect(m.repeat).toMatchObject({ hit: 1, due: 4, rate: 0.25 });
  });

  it('regions, months and suppression', () => {
    expect(regionPrefix('130000')).toBe('13');
    expect(regionPrefix('130100')).toBe('1301');
    expect(regionPrefix('130123')).toBe('130123');
    expect(childLevel(undefined)).toBe('city');
    expect(childLevel('130100')).toBe('county');
    expect(monthsBetween('2025-11-15', '2026-02-01')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(suppress(4, 5)).toBeNull();
    expect(suppress(5, 5)).toBe(5);
  });
});
