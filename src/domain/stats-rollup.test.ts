import { describe, expect, it } from 'vitest';
import { allRegions, caseNodes, contributions, diffContributions, nextChunkSize, rollupDims, totalDims, type RollupCase } from './stats-rollup.js';

const base: RollupCase = {
  channel: 'web',
  target: 'bureau',
  category_code: 'labour',
  region_code: '130123',
  current_unit_id: '130123-xfj',
  receiving_unit_id: '130123-xfj',
  state: 'submitted',
  is_denunciation: 0,
  accused_unit_ids: '[]',
  merged_into: null,
  received_date: '2026-03-02',
  accepted_at: null,
  assigned_at: null,
  replied_at: null,
  closed_at: null,
  due_accept: '2026-03-04',
  due_assign: null,
  due_reply: null,
  evaluation: null,
};

describe('statistics rollup contributions', () => {
  it('counts a case per county and in the totals over all counties, where the county is a dimension', () => {
    const list = contributions(base, ['/', '/130000/'], []);
    // Two anchors (received, acceptance owed) × two nodes × (5 county dimensions + 6 total dimensions).
    expect(list).toHaveLength(2 * 2 * (rollupDims.length + totalDims.length));
    const perCounty = list.filter((c) => c.region !== allRegions);
    const totals = list.filter((c) => c.region === allRegions);
    expect(new Set(perCounty.map((c) => c.region))).toEqual(new Set(['130123']));
    expect(perCounty.some((c) => c.dim === 'region')).toBe(false);
    expect(totals.filter((c) => c.dim === 'region').map((c) => c.key)).toEqual(['130123', '130123', '130123', '130123']);
    const received = totals.filter((c) => c.kind === 'received' && c.node === '/' && c.dim === 'category');
    expect(received).toEqual([{ month: '2026-03', kind: 'received', node: '/', dim: 'category', key: 'labour', region: allRegions, den: '', n: 1, hit: 1, hit2: 0, pending: 0 }]);
    expect(totals.find((c) => c.kind === 'acceptance' && c.dim === 'channel')).toMatchObject({ n: 0, pending: 1 });
  });

  it('a change moves a case between keys in both grains, and nothing else', () => {
    const before = contributions(base, ['/'], []);
    const after = contributions({ ...base, category_code: 'construction', accepted_at: '2026-03-03T02:00:00.000Z', state: 'accepted' }, ['/'], []);
    const diff = diffContributions(before, after);
    expect(diffContributions(before, before)).toEqual([]);
    // received: category moves (−1 labour, +1 construction) in both grains; acceptance: pending → on time in every dimension.
    const received = diff.filter((d) => d.kind === 'received');
    expect(received.map((d) => `${d.region || '*'} ${d.key} ${d.n}`).sort()).toEqual(['* construction 1', '* labour -1', '130123 construction 1', '130123 labour -1']);
    const acceptance = diff.filter((d) => d.kind === 'acceptance' && d.dim === 'region');
    expect(acceptance).toEqual([{ month: '2026-03', kind: 'acceptance', node: '/', dim: 'region', key: '130123', region: allRegions, den: '', n: 1, hit: 1, hit2: 0, pending: -1 }]);
  });

  it('jurisdiction nodes are the whole tree and every government unit above a case unit', () => {
    const gov = new Set(['130000', '130100', '130123']);
    expect(caseNodes(['/130000/130100/130123/130123-rs/'], (id) => gov.has(id))).toEqual(['/', '/130000/', '/130000/130100/', '/130000/130100/130123/']);
  });
});

describe('the rollup build sizes its chunks by time', () => {
  it('scales the size to the target time', () => {
    expect(nextChunkSize(500, 500)).toBe(250);
    expect(nextChunkSize(500, 250)).toBe(500);
    expect(nextChunkSize(1000, 400, 200)).toBe(500);
  });
  it('grows at most twofold at once, and stays between 50 and 5,000 cases', () => {
    expect(nextChunkSize(500, 10)).toBe(1000);
    expect(nextChunkSize(4000, 10)).toBe(5000);
    expect(nextChunkSize(100, 60_000)).toBe(50);
    expect(nextChunkSize(500, 0)).toBe(1000);
  });
});
