/**
 * Statistics rollups (migration 016) after random actions over three months: the rollups kept in
 * step with each change equal a rebuild from scratch, and every table the dashboard shows is the
 * same read from the rollups as counted from the cases. The build in chunks: interrupted, a chunk
 * failing before its commit, changes meanwhile, resumed — the same rows as the cases make.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { act, cookieOf, databases, newCase, newCaseBody, startTestApp, type TestApp } from '../support/harness.js';
import { allRollups, rollupQueued } from '../../src/store/stats-rollup.repository.js';
import { buildStatsRollups, edgePieces, flushRollups, rebuildStatsRollups, rollupSettings, rollupsFromCases, wholeMonths } from '../../src/services/stats-rollup.service.js';
import { Scheduler } from '../../src/jobs/scheduler.js';
import * as m024 from '../../src/store/migrations/024-rollup-build-order.js';
import { startBackground } from '../../src/jobs/runtime.js';
import { seededRandom } from '../../src/domain/seeded-random.js';

const at = (date: string) => `${date}T02:00:00Z`;
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe('whole months of a period', () => {
  it('keeps only whole months before the current one', () => {
    expect(wholeMonths('2026-01-01', '2026-12-31', '2026-06-10')).toEqual({ fromMonth: '2026-01', toMonth: '2026-05', start: '2026-01-01', end: '2026-05-31' });
    expect(wholeMonths('2026-01-15', '2026-03-30', '2026-06-10')).toEqual({ fromMonth: '2026-02', toMonth: '2026-02', start: '2026-02-01', end: '2026-02-28' });
    expect(wholeMonths('2025-12-01', '2026-02-28', '2026-06-10')).toMatchObject({ fromMonth: '2025-12', toMonth: '2026-02' });
    expect(wholeMonths('2026-06-01', '2026-06-30', '2026-06-10')).toBeNull();
    expect(wholeMonths('2026-02-02', '2026-02-27', '2026-06-10')).toBeNull();
  });

  it('splits the days outside the whole months at month ends', () => {
    expect(edgePieces('2026-01-15', '2026-03-10', { start: '2026-02-01', end: '2026-02-28' })).toEqual([
      ['2026-01-15', '2026-01-31'],
      ['2026-03-01', '2026-03-10'],
    ]);
    expect(edgePieces('2026-01-15', '2026-02-10', null)).toEqual([
      ['2026-01-15', '2026-01-31'],
      ['2026-02-01', '2026-02-10'],
    ]);
    expect(edgePieces('2026-01-01', '2026-02-28', { start: '2026-01-01', end: '2026-02-28' })).toEqual([]);
  });

  it('takes the month of today whole for anchors never after today, when the period reaches today', () => {
    expect(wholeMonths('2026-06-01', '2026-06-10', '2026-06-10', true)).toEqual({ fromMonth: '2026-06', toMonth: '2026-06', start: '2026-06-01', end: '2026-06-30' });
    expect(wholeMonths('2025-06-11', '2026-06-10', '2026-06-10', true)).toMatchObject({ fromMonth: '2025-07', toMonth: '2026-06' });
    expect(wholeMonths('2026-01-01', '2026-12-31', '2026-06-10', true)).toMatchObject({ fromMonth: '2026-01', toMonth: '2026-06' });
    // A period ending before today keeps its own last whole month.
    expect(wholeMonths('2026-01-01', '2026-06-09', '2026-06-10', true)).toMatchObject({ toMonth: '2026-05' });
    expect(wholeMonths('2026-06-01', '2026-06-09', '2026-06-10', true)).toBeNull();
  });
});

describe.each(databases)('statistics rollups after random actions (%s)', (kind) => {
  let t: TestApp;
  const cookies: Record<string, string> = {};
  let cookieHour = '';
  const staff = async (u: string) => {
    const hour = t.ctx.clock.now().toISOString().slice(0, 13);
    if (hour !== cookieHour) {
      for (const k of Object.keys(cookies)) delete cookies[k];
      cookieHour = hour;
    }
    return (cookies[u] ??= await t.staff(u));
  };
  let actions = 0;
  /** The day the statistics are read (the clock's last step). */
  let lastDay = '';

  beforeAll(async () => {
    t = await startTestApp(kind, { now: at('2026-03-02'), env: { XINFANG_REPEAT_THRESHOLD: '0.99' } });
    const rnd = seededRandom(7);
    const cases: { id: string; phone: string }[] = [];
    const categories = ['labour', 'construction', 'environment', 'education', 'transport'];
    let day = '2026-03-02';
    for (let step = 0; step < 40; step++) {
      t.setNow(at(day));
      // Some new cases each step: citizens online, a few letters entered by staff, a denunciation, another county.
      const n = 1 + Math.floor(rnd() * 3);
      for (let i = 0; i < n; i++) {
        const c = await t.citizen();
        const other = rnd() < 0.2;
        const denounce = !other && rnd() < 0.1;
        const over = {
          categoryCode: denounce ? 'discipline' : categories[Math.floor(rnd() * categories.length)],
          regionCode: other ? '130102' : '130123',
          title: `第${step}步第${i}件反映的问题`,
          content: `随机动作测试第 ${step} 步第 ${i} 件：${'小区道路学校工资环境'.slice(i, i + 4)}问题，请求处理。编号${Math.floor(rnd() * 1e9)}`,
          ...(denounce ? { denunciation: true, accusedUnitIds: ['130123-xfj'] } : {}),
        };
        if (rnd() < 0.15 && !other && !denounce) {
          const r = await t.request('POST', '/api/office/entries', {
            cookie: await staff('zd.registrar'),
            body: { channel: 'letter', petitioner: { name: '赵大山', address: '正定县城关镇北街 3 号' }, ...over },
          });
          expect(r.statusCode, r.body).toBe(201);
          cases.push({ id: r.json<{ id: string }>().id, phone: '' });
        } else {
          const r = await t.request('POST', '/api/cases', { cookie: c.cookie, body: newCaseBody(over) });
          expect(r.statusCode, r.body).toBe(201);
          cases.push({ id: r.json<{ id: string }>().id, phone: c.phone });
        }
      }
      // Random staff actions on random cases; refused ones (wrong state) change nothing.
      for (let k = 0; k < 6; k++) {
        const target = cases[Math.floor(rnd() * cases.length)]!;
        const pick = Math.floor(rnd() * 10);
        const plan: [string, string, Record<string, unknown>][] = [
          ['zd.acceptor', 'accept', {}],
          ['zd.acceptor', 'accept', {}],
          ['zd.acceptor', 'reject', { reasonCode: 'not_our_authority', guidanceChannel: 'other_authority' }],
          ['zd.dispatcher', 'assign', { unitId: '130123-zj' }],
          ['zd.dispatcher', 'assign', { unitId: '130123-zj' }],
          ['zd.handler', 'sign', {}],
          ['zd.handler', 'reply', { text: '经核查，已责令有关单位限期整改，特此答复。' }],
          ['zd.handler', 'request-extension', { days: 15, reason: '需要现场勘验并协调多个部门' }],
          ['zd.leader', 'approve-extension', {}],
          ['zd.acceptor', 'merge', { intoCaseId: cases[0]!.id }],
        ];
        const [who, action, body] = plan[pick]!;
        if (action === 'merge' && target.id === cases[0]!.id) continue;
        const r = await act(t, await staff(who), target.id, action, body);
        if (r.statusCode === 200) actions++;
      }
      // A petitioner rates a reply now and then.
      if (rnd() < 0.5) {
        const c = cases[Math.floor(rnd() * cases.length)]!;
        if (c.phone) {
          const login = cookieOf(await t.request('POST', '/api/auth/login', { body: { login: c.phone, password: 'Passw0rd!' } }));
          const r = await t.request('POST', `/api/cases/${c.id}/evaluation`, { cookie: login, body: { rating: rnd() < 0.6 ? 'satisfied' : 'dissatisfied' } });
          if (r.statusCode < 300) actions++;
        }
      }
      day = addDays(day, 1 + Math.floor(rnd() * 4));
    }
    t.setNow(at(day));
    lastDay = day;
  }, 600_000);
  afterAll(() => {
    rollupSettings.enabled = true;
    return t?.close();
  });

  it('the rollups kept in step equal a rebuild from the cases', async () => {
    expect(actions).toBeGreaterThan(40);
    // The newest cases still wait in the queue until a flush (every statistics read flushes first).
    expect(await flushRollups(t.ctx)).toBeGreaterThan(0);
    const kept = await allRollups(t.ctx.store.db);
    expect(kept.length).toBeGreaterThan(100);
    await rebuildStatsRollups(t.ctx);
    const rebuilt = await allRollups(t.ctx.store.db);
    const norm = (rows: typeof kept) => rows.map((r) => ({ ...r, n: Number(r.n), hit: Number(r.hit), hit2: Number(r.hit2), pending: Number(r.pending) }));
    expect(norm(kept)).toEqual(norm(rebuilt));
  });

  it('each number of a table is the total of its drill-down list, whichever group (one group read on its own)', async () => {
    const groupings = ['category', 'region&level=county', 'region&level=city', 'region&level=province', 'unit', 'channel', 'month'];
    let compared = 0;
    for (const viewer of ['sjz.supervisor', 'prov.supervisor']) {
      for (const [from, to] of [['2026-03-10', '2026-06-15'], [addDays(lastDay, -364), lastDay]]) {
        for (const g of groupings) {
          const table = await t.request('GET', `/api/office/stats?from=${from}&to=${to}&groupBy=${g}`, { cookie: await staff(viewer) });
          expect(table.statusCode, table.body).toBe(200);
          for (const row of table.json<{ rows: ({ key: string; overdue: number } & Record<string, { hit: number; due: number }>)[] }>().rows.slice(0, 3)) {
            for (const m of ['acceptance', 'completion', 'satisfaction', 'online', 'overdue']) {
              const url = `/api/office/stats/cases?from=${from}&to=${to}&groupBy=${g}&key=${row.key}&measure=${m}&part=due&pageSize=1`;
              const r = await t.request('GET', url, { cookie: await staff(viewer) });
              expect(r.statusCode, r.body).toBe(200);
              expect(r.json<{ total: number }>().total, `${viewer} ${url}`).toBe(m === 'overdue' ? row.overdue : row[m]!.due);
              compared++;
            }
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(50);
  });

  it('every table reads the same from the rollups as from the cases', async () => {
    const periods = [
      ['2026-03-01', '2026-05-31'],
      ['2026-03-10', '2026-06-15'],
      ['2026-01-01', '2026-12-31'],
      ['2026-04-01', '2026-04-30'],
      // Periods reaching today: the month of today is read from the rollups for receipts and replies.
      [addDays(lastDay, -364), lastDay],
      [`${lastDay.slice(0, 8)}01`, lastDay],
      // Partial months read as the month's rollup less the rest of the month (the shorter side),
      // in past months, in the month of today (before and up to today) and into the coming weeks.
      ['2026-03-04', '2026-04-27'],
      [`${lastDay.slice(0, 8)}03`, lastDay],
      [`${lastDay.slice(0, 8)}01`, addDays(lastDay, -1)],
      [addDays(lastDay, -40), addDays(lastDay, 20)],
    ];
    const groupings = ['category', 'region&level=county', 'region&level=city', 'unit', 'receivingUnit', 'channel', 'target', 'month'];
    let compared = 0;
    for (const viewer of ['zd.supervisor', 'sjz.supervisor', 'prov.supervisor']) {
      for (const [from, to] of periods) {
        for (const g of groupings) {
          for (const extra of ['', '&region=130123']) {
            const url = `/api/office/stats?from=${from}&to=${to}&groupBy=${g}${extra}`;
            rollupSettings.enabled = true;
            const fast = await t.request('GET', url, { cookie: await staff(viewer) });
            rollupSettings.enabled = false;
            const slow = await t.request('GET', url, { cookie: await staff(viewer) });
            rollupSettings.enabled = true;
            expect(fast.statusCode, fast.body).toBe(200);
            expect(fast.json(), `${viewer} ${url}`).toEqual(slow.json());
            compared++;
          }
        }
      }
    }
    expect(compared).toBe(3 * periods.length * 8 * 2);
  }, 300_000);
});

describe.each(databases)('statistics rollups built in chunks (%s)', (kind) => {
  let t: TestApp;
  const norm = <R extends { n: number | string; hit: number | string; hit2: number | string; pending: number | string }>(rows: R[]) =>
    rows.map((r) => ({ ...r, n: Number(r.n), hit: Number(r.hit), hit2: Number(r.hit2), pending: Number(r.pending) }));
  const kept = async () => {
    await flushRollups(t.ctx);
    return norm(await allRollups(t.ctx.store.db))
      .map((r) => JSON.stringify(r))
      .sort();
  };
  const fromCases = async () => norm(await rollupsFromCases(t.ctx)).map((r) => JSON.stringify({ node: r.node, dim: r.dim, kind: r.kind, month: r.month, key: r.key, region: r.region, den: r.den, n: r.n, hit: r.hit, hit2: r.hit2, pending: r.pending })).sort();
  const ids: string[] = [];
  const ok = async (user: string, id: string, action: string, body: Record<string, unknown> = {}) => {
    const r = await act(t, await t.staff(user), id, action, body);
    expect(r.statusCode, `${user} ${action} ${r.body}`).toBe(200);
  };

  beforeAll(async () => {
    t = await startTestApp(kind, { now: '2026-01-05T02:00:00Z' });
    for (const [i, day] of ['2026-01-05', '2026-01-20', '2026-02-03', '2026-02-17', '2026-03-04'].entries()) {
      t.setNow(`${day}T02:00:00Z`);
      for (let k = 0; k < 5; k++) ids.push((await newCase(t, { categoryCode: k % 2 ? 'labour' : 'construction', regionCode: k === 4 ? '130102' : '130123', title: `分块构建第${i}批第${k}件` })).id);
      for (const id of ids.slice(-5, -1)) await ok('zd.acceptor', id, 'accept');
    }
    t.setNow('2026-04-10T02:00:00Z');
  }, 300_000);
  afterAll(() => {
    rollupSettings.buildOnRead = true;
    return t?.close();
  });

  it('a build interrupted, failed mid-chunk and resumed holds what the cases make, with changes made meanwhile', async () => {
    const all = await kept();
    expect(all).toEqual(await fromCases());
    rollupSettings.buildOnRead = false;
    // Start over; two chunks of 7 cases, then stop.
    await rebuildStatsRollups(t.ctx, { chunkSize: 7, maxChunks: 0 });
    expect(await kept()).toEqual([]);
    expect(await buildStatsRollups(t.ctx, { chunkSize: 7, maxChunks: 2 })).toEqual({ done: false, chunks: 2, cases: 14 });
    const partial = await kept();
    expect(partial.length).toBeGreaterThan(0);
    // Meanwhile the statistics are counted from the cases: the same as with the rollups off.
    const url = '/api/office/stats?from=2026-01-01&to=2026-03-31&groupBy=category';
    const cookie = await t.staff('prov.supervisor');
    const during = await t.request('GET', url, { cookie });
    rollupSettings.enabled = false;
    const live = await t.request('GET', url, { cookie });
    rollupSettings.enabled = true;
    expect(during.json()).toEqual(live.json());

    // A chunk that fails before it commits (here: moving the watermark) leaves no trace.
    if (kind === 'sqlite') await sql`create trigger fail_upto before update of upto_seq on stats_rollup_state begin select raise(abort, 'crash'); end`.execute(t.ctx.store.db);
    else {
      await sql`create function fail_upto() returns trigger language plpgsql as $$ begin raise exception 'crash'; end $$`.execute(t.ctx.store.db);
      await sql`create trigger fail_upto before update of upto_seq on stats_rollup_state for each row execute function fail_upto()`.execute(t.ctx.store.db);
    }
    await expect(buildStatsRollups(t.ctx, { chunkSize: 7 })).rejects.toThrow(/crash/);
    await sql`drop trigger fail_upto${sql.raw(kind === 'sqlite' ? '' : ' on stats_rollup_state')}`.execute(t.ctx.store.db);
    expect(await kept()).toEqual(partial);

    // Changes meanwhile, to cases the build holds and to cases it has not reached, and new cases.
    for (const id of ids.slice(0, 25)) {
      const r = await act(t, await t.staff('zd.dispatcher'), id, 'assign', { unitId: '130123-zj' });
      expect([200, 403, 404, 409]).toContain(r.statusCode);
    }
    for (const title of ['分块构建期间新收的一件', '分块构建期间新收的又一件']) ids.push((await newCase(t, { categoryCode: 'labour', title })).id);
    await ok('zd.acceptor', ids.at(-2)!, 'accept');
    await ok('zd.acceptor', ids.at(-1)!, 'reject', { reasonCode: 'not_our_authority', guidanceChannel: 'other_authority' });

    // Resumed from the watermark: the same rows as the cases make, and as a build in one go.
    const resumed = await buildStatsRollups(t.ctx, { chunkSize: 7 });
    expect(resumed.done).toBe(true);
    // The cases after the watermark: new cases are numbered after every case the build holds.
    expect(resumed.cases).toBe(ids.length - 14);
    const after = await kept();
    expect(after).toEqual(await fromCases());
    await rebuildStatsRollups(t.ctx);
    expect(await kept()).toEqual(after);
    const fast = await t.request('GET', url, { cookie });
    rollupSettings.enabled = false;
    const slow = await t.request('GET', url, { cookie });
    rollupSettings.enabled = true;
    expect(fast.json()).toEqual(slow.json());
  });

  it('migration 024 keeps built rollups and starts a build under way over, in the order of case numbers', async () => {
    const db = t.ctx.store.db;
    const built = await kept();
    expect(built).toEqual(await fromCases());
    // The state as migration 023 left it: a text watermark of case ids.
    const before023 = async (state: { built: number; upto: string }) => {
      await sql`alter table stats_rollup_state drop column upto_seq`.execute(db);
      await sql`alter table stats_rollup_state add column upto text not null default ''`.execute(db);
      await sql`update stats_rollup_state set built = ${state.built}, upto = ${state.upto} where id = 1`.execute(db);
    };
    await before023({ built: 1, upto: '' });
    await m024.up(db as never, kind);
    expect(await kept()).toEqual(built);

    // Mid-build by id: the rows of a few chunks, a case queued; the build starts over by number.
    rollupSettings.buildOnRead = false;
    await rebuildStatsRollups(t.ctx, { chunkSize: 7, maxChunks: 2 });
    ids.push((await newCase(t, { categoryCode: 'labour', title: '迁移024前排队的新件' })).id);
    const page = (await sql<{ id: string }>`select id from case_file order by id limit 14`.execute(db)).rows;
    await before023({ built: 0, upto: page.at(-1)!.id });
    await m024.up(db as never, kind);
    expect(await allRollups(db)).toEqual([]);
    expect(Number((await sql<{ n: number }>`select count(*) as n from stats_rollup_pending`.execute(db)).rows[0]!.n)).toBe(0);
    const state = await sql<{ built: number; upto_seq: number }>`select built, upto_seq from stats_rollup_state where id = 1`.execute(db);
    expect(state.rows.map((r) => [Number(r.built), Number(r.upto_seq)])).toEqual([[0, 0]]);
    expect((await buildStatsRollups(t.ctx, { chunkSize: 7 })).cases).toBe(ids.length);
    expect(await kept()).toEqual(await fromCases());
  });
});

describe.each(databases)('new cases queued for the statistics rollups (%s)', (kind) => {
  let t: TestApp;
  const norm = (rows: Awaited<ReturnType<typeof allRollups>>) => rows.map((r) => JSON.stringify({ ...r, n: Number(r.n), hit: Number(r.hit), hit2: Number(r.hit2), pending: Number(r.pending) }));
  const fromCases = async () => (await rollupsFromCases(t.ctx)).map((r) => JSON.stringify({ node: r.node, dim: r.dim, kind: r.kind, month: r.month, key: r.key, region: r.region, den: r.den, n: r.n, hit: r.hit, hit2: r.hit2, pending: r.pending }));
  const sorted = (xs: string[]) => [...xs].sort();

  beforeAll(async () => {
    t = await startTestApp(kind, { now: '2026-03-02T02:00:00Z' });
  });
  afterAll(() => t?.close());

  it('a new case joins the queue, a change of a queued case leaves the rollups alone, a statistics read applies it first', async () => {
    await newCase(t, { categoryCode: 'construction', title: '排队前已有的一件' });
    await flushRollups(t.ctx);
    const before = norm(await allRollups(t.ctx.store.db));
    const { id } = await newCase(t, { categoryCode: 'labour', title: '进入统计汇总队列的一件' });
    expect(await rollupQueued(t.ctx.store.db, id)).toBe(true);
    expect(norm(await allRollups(t.ctx.store.db))).toEqual(before);
    // Accepted while queued: nothing to correct in the rollups, which still do not hold it.
    const r = await act(t, await t.staff('zd.acceptor'), id, 'accept', {});
    expect(r.statusCode, r.body).toBe(200);
    expect(norm(await allRollups(t.ctx.store.db))).toEqual(before);
    // The statistics count it, as accepted, because the read flushes the queue before it sums.
    const stats = await t.request('GET', '/api/office/stats?from=2026-03-01&to=2026-03-31&groupBy=category', { cookie: await t.staff('zd.supervisor') });
    expect(stats.statusCode, stats.body).toBe(200);
    const labour = stats.json<{ rows: { key: string; volume: number }[] }>().rows.find((x) => x.key === 'labour');
    expect(labour?.volume).toBe(1);
    expect(await rollupQueued(t.ctx.store.db, id)).toBe(false);
    expect(sorted(norm(await allRollups(t.ctx.store.db)))).toEqual(sorted(await fromCases()));
  });

  it('the scheduler applies the queue every few seconds, nothing twice', async () => {
    const s = new Scheduler(t.ctx, { owner: 'q', transports: {} });
    await newCase(t, { title: '由后台任务汇总的第一件' });
    await newCase(t, { title: '由后台任务汇总的第二件' });
    expect(await s.rollupQueueOnce()).toEqual({ cases: 2 });
    expect(await s.rollupQueueOnce()).toBeNull();
    expect(sorted(norm(await allRollups(t.ctx.store.db)))).toEqual(sorted(await fromCases()));
  });

  it('a server without the scheduler (XINFANG_JOBS=0) still applies the queue on its own loop', async () => {
    const { id } = await newCase(t, { title: '无后台任务时汇总的一件' });
    expect(await rollupQueued(t.ctx.store.db, id)).toBe(true);
    const bg = await startBackground(t.ctx, { XINFANG_JOBS: '0' });
    try {
      await vi.waitFor(async () => expect(await rollupQueued(t.ctx.store.db, id)).toBe(false), { timeout: 8_000, interval: 200 });
    } finally {
      await bg.stop();
    }
    expect(sorted(norm(await allRollups(t.ctx.store.db)))).toEqual(sorted(await fromCases()));
    // Stopped: a new case stays queued until something flushes it.
    const later = await newCase(t, { title: '停止后排队的一件' });
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await rollupQueued(t.ctx.store.db, later.id)).toBe(true);
  });

  it('a rebuild empties the queue: the build counts every case once', async () => {
    const { id } = await newCase(t, { title: '重建前排队的一件' });
    expect(await rollupQueued(t.ctx.store.db, id)).toBe(true);
    await rebuildStatsRollups(t.ctx);
    expect(await rollupQueued(t.ctx.store.db, id)).toBe(false);
    expect(await flushRollups(t.ctx)).toBe(0);
    expect(sorted(norm(await allRollups(t.ctx.store.db)))).toEqual(sorted(await fromCases()));
  });
});
