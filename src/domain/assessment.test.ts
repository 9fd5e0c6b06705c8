import { describe, expect, it } from 'vitest';
import { defaultWeights, periodRange, rankScores, scoreUnit, validateWeights, type UnitCounts } from './assessment.js';

const counts = (over: Partial<UnitCounts['rates']> = {}, pen: Partial<UnitCounts['penalties']> = {}): UnitCounts => ({
  rates: {
    acceptance: { hit: 0, due: 0 },
    assignment: { hit: 0, due: 0 },
    completion: { hit: 0, due: 0 },
    participation: { hit: 0, due: 0 },
    satisfaction: { hit: 0, due: 0 },
    ...over,
  },
  penalties: { repeat: 0, inspectionProblem: 0, overdueCorrection: 0, supervision: 0, ...pen },
});

describe('scoreUnit', () => {
  it('gives weight × rate per rate item and deducts penalties per case', () => {
    const s = scoreUnit(counts({ acceptance: { hit: 4, due: 6 }, completion: { hit: 3, due: 4 }, participation: { hit: 2, due: 3 }, satisfaction: { hit: 1, due: 2 } }, { repeat: 2, supervision: 1 }), defaultWeights);
    const by = Object.fromEntries(s.lines.map((l) => [l.item, l]));
    expect(by.acceptance!.points).toBe(3.33);
    expect(by.completion!.points).toBe(7.5);
    expect(by.participation!.points).toBe(3.33);
    expect(by.satisfaction!.points).toBe(5);
    expect(by.assignment!.points).toBe(0);
    expect(by.repeat!.deduction).toBe(2);
    expect(by.supervision!.deduction).toBe(2);
    expect(s.max).toBe(30);
    expect(s.total).toBe(15.16); // 3.33 + 7.5 + 3.33 + 5 − 2 − 2
    expect(s.deduction).toBe(14.84);
  });

  it('gives full points when nothing was due, never a division by zero', () => {
    const s = scoreUnit(counts(), defaultWeights);
    expect(s.total).toBe(30);
    expect(s.lines.find((l) => l.item === 'completion')!.rate).toBeNull();
  });
});

describe('rankScores', () => {
  it('ranks 1, 2, 2, 4', () => {
    const r = rankScores([{ id: 'a', total: 5 }, { id: 'b', total: 9 }, { id: 'c', total: 5 }, { id: 'd', total: 7 }]);
    expect(r.map((x) => [x.id, x.rank])).toEqual([['b', 1], ['d', 2], ['a', 3], ['c', 3]]);
    expect(rankScores([{ total: 1 }, { total: 1 }, { total: 0 }]).map((x) => x.rank)).toEqual([1, 1, 3]);
  });
});

describe('periodRange', () => {
  it('reads years, quarters and months', () => {
    expect(periodRange('2026')).toEqual({ from: '2026-01-01', to: '2026-12-31', label: '2026年度' });
    expect(periodRange('2026-Q1')).toMatchObject({ from: '2026-01-01', to: '2026-03-31' });
    expect(periodRange('2024-02')).toMatchObject({ from: '2024-02-01', to: '2024-02-29' });
    expect(periodRange('2026-Q4')).toMatchObject({ from: '2026-10-01', to: '2026-12-31' });
    expect(periodRange('2026-13')).toBeNull();
    expect(periodRange('2026-Q5')).toBeNull();
  });
});

describe('validateWeights', () => {
  it('accepts the default and refuses bad values in Chinese', () => {
    expect(validateWeights(defaultWeights)).toEqual({ weights: defaultWeights });
    const bad = validateWeights({ ...defaultWeights, completion: -1, repeat: 'x' });
    expect('errors' in bad && bad.errors.completion).toMatch(/按期办结率/);
    expect('errors' in bad && bad.errors.repeat).toMatch(/重复信访/);
    const zero = validateWeights({ ...defaultWeights, acceptance: 0, assignment: 0, completion: 0, participation: 0, satisfaction: 0 });
    expect('errors' in zero).toBe(true);
  });
});
