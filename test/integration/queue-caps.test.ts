/**
 * The office queues at scale (issue #4): counts and list totals stop at XINFANG_COUNT_CAP and say
 * so (capped / totalCapped, shown as 1000+), pages end where the counted total does (400 beyond),
 * and the two ways of reading a jurisdiction or a search (driven from its set, or probing it along
 * the queue's index) give the very same cases, denunciations against the caller's unit excluded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, databases, newCase, startTestApp, type TestApp } from '../support/harness.js';
import { queueCases } from '../../src/store/case.repository.js';
import { countQueues, scopeMode, type ScopeMode, type ScopeTuning } from '../../src/store/workbench.repository.js';
import { queueDefinition, queuesFor } from '../../src/services/queues.js';
import { staffPrincipal } from '../../src/services/seed.service.js';

interface Queue {
  key: string;
  count: number;
  capped: boolean;
}
interface Page {
  items: { id: string; state: string }[];
  total: number;
  totalCapped: boolean;
}

const cap = 3;

describe.each(databases)('queue counts and totals stop at the cap (%s)', (kind) => {
  let t: TestApp;
  let zdAcceptor: string;
  let sjzAcceptor: string;
  const ids: string[] = [];
  let denounced: string;
  let rare: string;

  const workbench = async (cookie: string) => {
    const r = await t.request('GET', '/api/office/workbench', { cookie });
    expect(r.statusCode, r.body).toBe(200);
    return Object.fromEntries(r.json<{ queues: Queue[] }>().queues.map((q) => [q.key, q]));
  };
  const list = async (cookie: string, query: string) => {
    const r = await t.request('GET', `/api/office/cases?${query}`, { cookie });
    expect(r.statusCode, r.body).toBe(200);
    return r.json<Page>();
  };

  beforeAll(async () => {
    t = await startTestApp(kind, { env: { XINFANG_COUNT_CAP: String(cap) } });
    zdAcceptor = await t.staff('zd.acceptor');
    sjzAcceptor = await t.staff('sjz.acceptor');
    for (let i = 0; i < 5; i++) ids.push((await newCase(t, { title: `拖欠工资第${i}件`, content: `包工头拖欠工资，编号${i}，请求处理。` })).id);
    rare = (await newCase(t, { categoryCode: 'education', title: '随迁子女入学难', content: '孩子入学被要求提供多项证明，请求协调解决。' })).id;
    denounced = (await newCase(t, { categoryCode: 'discipline', title: '检举县信访局拖欠工资不办', content: '检举县信访局压件不办，拖欠工资问题无人过问。', denunciation: true, accusedUnitIds: ['130123-xfj'] })).id;
    // One accepted case, so a small queue (待交办) counts exactly beside a capped one.
    await act(t, zdAcceptor, ids[0]!, 'accept');
  });
  afterAll(async () => {
    await t.close();
  });

  it('caps the workbench counts and says so, and counts exactly below the cap', async () => {
    const zd = await workbench(zdAcceptor);
    // 待受理: five ordinary cases and one more beside the accepted one, the denunciation never counted.
    expect(zd.accept).toMatchObject({ count: cap, capped: true });
    const dispatcher = await workbench(await t.staff('zd.dispatcher'));
    expect(dispatcher.assign).toMatchObject({ count: 1, capped: false });
    expect(dispatcher.sign ?? { count: 0, capped: false }).toMatchObject({ capped: false });
  });

  it('caps the list total, pages up to the cap and refuses pages beyond it with a clear message', async () => {
    const first = await list(zdAcceptor, 'queue=accept&sort=due&page=1&pageSize=2');
    expect(first).toMatchObject({ total: cap, totalCapped: true });
    expect(first.items).toHaveLength(2);
    const second = await list(zdAcceptor, 'queue=accept&sort=due&page=2&pageSize=2');
    expect(second.items.length).toBeGreaterThan(0);
    expect(second.items.map((i) => i.id)).not.toEqual(expect.arrayContaining(first.items.map((i) => i.id)));
    const beyond = await t.request('GET', '/api/office/cases?queue=accept&sort=due&page=3&pageSize=2', { cookie: zdAcceptor });
    expect(beyond.statusCode).toBe(400);
    expect(beyond.json<{ error: { message: string; fields: Record<string, string> } }>().error.message).toContain(`前 ${cap} 件`);
    expect(beyond.json<{ error: { fields: Record<string, string> } }>().error.fields.page).toContain('页码不能超过');
    // Below the cap the total is exact and not marked.
    const small = await list(zdAcceptor, 'queue=assign');
    expect(small).toMatchObject({ total: 1, totalCapped: false });
  });

  it('searches the same either way: few matches drive, many are probed; denunciations stay hidden', async () => {
    // 随迁子女: one match (≤ cap, driven); 工资: seven matches (> cap, probed).
    expect((await list(zdAcceptor, `q=${encodeURIComponent('随迁子女')}`)).items.map((i) => i.id)).toEqual([rare]);
    const wages = await list(zdAcceptor, `q=${encodeURIComponent('工资')}&pageSize=100`);
    expect(wages.totalCapped).toBe(true);
    expect(wages.items.map((i) => i.id).sort()).toEqual([...ids].sort());
    expect(wages.items.map((i) => i.id)).not.toContain(denounced);
    // The city above sees the denunciation, by a rare word and by a common one.
    expect((await list(sjzAcceptor, `q=${encodeURIComponent('压件')}`)).items.map((i) => i.id)).toEqual([denounced]);
    expect((await list(sjzAcceptor, `q=${encodeURIComponent('工资')}&pageSize=100`)).items.map((i) => i.id)).toContain(denounced);
    // The whole province: the count reads the matches in order and stops at the cap.
    const prov = await t.staff('prov.acceptor');
    const all = await list(prov, `q=${encodeURIComponent('工资')}&pageSize=100`);
    expect(all).toMatchObject({ total: cap, totalCapped: true });
    expect(all.items.map((i) => i.id).sort()).toEqual([...ids, denounced].sort());
    expect(await list(prov, `q=${encodeURIComponent('随迁子女')}`)).toMatchObject({ total: 1, totalCapped: false });
    // A common category, newest first: the page reads by submission time and tests the category.
    const labour = await list(prov, 'category=labour&pageSize=100');
    expect(labour).toMatchObject({ total: cap, totalCapped: true });
    expect(labour.items.map((i) => i.id).sort()).toEqual([...ids].sort());
  });

  it('reads a jurisdiction the same from case_reach, driven from its case set or probed along the queue index', async () => {
    const p = await staffPrincipal(t.ctx, 'zd.acceptor');
    const scope = { scopePath: p.scope.path, excludeAccusedPaths: t.ctx.units.ancestorPaths(p.unit.id) };
    // Below the top of the tree SQLite reads a jurisdiction from case_reach (migration 021).
    expect(await scopeMode(t.ctx.store.db, scope.scopePath)).toBe(kind === 'sqlite' ? 'reach' : 'drive');
    // As sets: the test clock stands still, so submission times tie and their order is the database's.
    // probe reads a large jurisdiction in one of several ways (countInScope, pageScope; a search over
    // the cap counts its matches one by one); the tunings force each: the first pass alone, the
    // second pass (links in path order), a page case by case or from the subtree's set.
    const tunings: (ScopeTuning | undefined)[] = [undefined, { sampleRows: 1 }, { sampleRows: 0, pageByLinkUpTo: 0 }, { sampleRows: 0, pageByLinkUpTo: 1e9 }];
    const read = async (mode: ScopeMode, extra: Record<string, unknown>, scopeTuning?: ScopeTuning) => {
      const r = await queueCases(t.ctx.store.db, { ...scope, scopeMode: mode, limit: 100, offset: 0, countCap: 100, scopeTuning, ...extra });
      return { ids: r.rows.map((c) => c.id).sort(), total: r.total, totalCapped: r.totalCapped };
    };
    const zdBureau = t.ctx.units.get('130123-xfj')!.path;
    for (const extra of [{}, { states: ['submitted'], sort: 'due' }, { q: '工资' }, { categoryCode: 'education' }, { regionCode: '130100' }, { unitPath: zdBureau }, { unitPath: '/130000/' }, { unitPath: '/130000/130200/' }, { countCap: 2 }, { q: '工资', countCap: 3 }, { categoryCode: 'labour', countCap: 2 }, { categoryCode: 'labour', countCap: 2, sort: 'submitted' }, { categoryCode: 'labour', states: ['submitted'], countCap: 2, sort: 'due' }, { regionCode: '130123', sort: 'due' }, { target: 'bureau' }, { target: 'bureau', countCap: 2, sort: '-due' }]) {
      const driven = await read('drive', extra);
      expect(await read('reach', extra), JSON.stringify({ extra })).toEqual(driven);
      // A search's matches in the jurisdiction (counted by the full-text index) probed, not driving.
      expect(await read('reach', extra, { driveMatchesUpTo: 0 }), JSON.stringify({ extra, probed: true })).toEqual(driven);
      for (const tuning of tunings) expect(await read('probe', extra, tuning), JSON.stringify({ extra, tuning })).toEqual(driven);
      expect(driven.ids).not.toContain(denounced);
    }
    // A unit above the jurisdiction adds nothing; one beside it (another city) leaves nothing.
    expect(await read('probe', { unitPath: '/130000/' })).toEqual(await read('probe', {}));
    expect((await read('probe', { unitPath: zdBureau })).ids.length).toBeGreaterThan(0);
    expect(await read('probe', { unitPath: '/130000/130200/' })).toEqual({ ids: [], total: 0, totalCapped: false });
    expect(await read('reach', { unitPath: '/130000/130200/' })).toEqual({ ids: [], total: 0, totalCapped: false });
    const defs = queuesFor(p).map((k) => queueDefinition(t.ctx, p, k));
    const counted = async (mode: ScopeMode, tuning?: ScopeTuning, cap = 100) => countQueues(t.ctx.store.db, { ...scope, scopeMode: mode }, defs, cap, tuning);
    expect(await counted('reach')).toEqual(await counted('drive'));
    expect(await counted('reach', undefined, 2)).toEqual(await counted('drive', undefined, 2));
    for (const tuning of tunings) {
      expect(await counted('probe', tuning)).toEqual(await counted('drive'));
      expect(await counted('probe', tuning, 2)).toEqual(await counted('drive', undefined, 2));
    }
    expect((await counted('drive')).accept).toEqual({ count: 5, capped: false });
    expect((await counted('drive', undefined, 2)).accept).toEqual({ count: 2, capped: true });
  });
});
