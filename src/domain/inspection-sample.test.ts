import { describe, expect, it } from 'vitest';
import { drawSample, sampleWeight, type SampleCandidate } from './inspection-sample.js';

const pool = (plain: number, flagged: number): SampleCandidate[] => [
  ...Array.from({ length: plain }, (_, i) => ({ id: `p${String(i).padStart(4, '0')}`, reasons: [] })),
  ...Array.from({ length: flagged }, (_, i) => ({ id: `f${String(i).padStart(4, '0')}`, reasons: ['overdue' as const] })),
];

describe('inspection sample', () => {
  it('weights a case by its reasons', () => {
    expect(sampleWeight([])).toBe(1);
    expect(sampleWeight(['overdue'])).toBe(4);
    expect(sampleWeight(['overdue', 'dissatisfied', 'returned', 'disputed'])).toBe(13);
  });

  it('is deterministic under a seed and independent of the input order', () => {
    const c = pool(50, 10);
    const a = drawSample(c, 8, 'seed-1').map((x) => x.id);
    const b = drawSample([...c].reverse(), 8, 'seed-1').map((x) => x.id);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(8);
    expect(drawSample(c, 8, 'seed-2').map((x) => x.id)).not.toEqual(a);
  });

  it('never draws more than there are, nor the same case twice', () => {
    const c = pool(3, 2);
    expect(drawSample(c, 10, 's').map((x) => x.id).sort()).toEqual(c.map((x) => x.id).sort());
    expect(drawSample(c, 0, 's')).toEqual([]);
  });

  it('draws flagged cases far more often than plain ones', () => {
    // 90 plain, 10 flagged (weight 4): a flagged case is drawn into a sample of 10 about 3–4 times as often.
    const c = pool(90, 10);
    let flagged = 0;
    for (let s = 0; s < 400; s++) flagged += drawSample(c, 10, `s${s}`).filter((x) => x.id.startsWith('f')).length;
    const share = flagged / (400 * 10);
    // Unweighted the share would be 10 %; weighted it is about 30 %.
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.45);
  });
});
