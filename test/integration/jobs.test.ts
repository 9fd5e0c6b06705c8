import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, newCase, startTestApp, act, type TestApp } from '../support/harness.js';
import { runSweep } from '../../src/jobs/sweep.js';
import { Scheduler } from '../../src/jobs/scheduler.js';
import { verifyAll } from '../../src/services/audit.service.js';

const CST = (date: string) => `${date}T02:00:00Z`; // 10:00 in China

async function timeline(t: TestApp, queryCode: string) {
  const r = await t.request('GET', `/api/track/${queryCode}`);
  expect(r.statusCode).toBe(200);
  return r.json<{ timeline: { type: string; text?: string }[] }>().timeline.map((e) => e.type);
}

async function alerts(t: TestApp, caseId: string) {
  return t.ctx.store.db.selectFrom('deadline_alert').select(['clock', 'due_date', 'kind', 'unit_id']).where('case_id', '=', caseId).orderBy('at').orderBy('kind').execute();
}

describe.each(databases)('deadline sweep (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { now: CST('2026-03-02') });
  });
  afterAll(async () => {
    await t.close();
  });

  it('urges before a due date and supervises after it, once each, visible in tracking', async () => {
    t.setNow(CST('2026-03-02'));
    const { id, queryCode } = await newCase(t);
    const row = await t.ctx.store.db.selectFrom('case_file').select(['due_accept', 'due_assign']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ due_accept: '2026-03-04', due_assign: '2026-03-09' });

    expect(await runSweep(t.ctx, { urgeDays: 3 })).toMatchObject({ urged: 0, supervised: 0 });
    t.setNow(CST('2026-03-03'));
    expect(await runSweep(t.ctx, { urgeDays: 3 })).toMatchObject({ urged: 1, supervised: 0 });
    expect(await runSweep(t.ctx, { urgeDays: 3 })).toMatchObject({ urged: 0, supervised: 0 });
    t.setNow(CST('2026-03-05'));
    // Acceptance missed on 03-04 → 督办 to the bureau above (石家庄市信访局); assignment window opens → 催办.
    expect(await runSweep(t.ctx, { urgeDays: 3 })).toMatchObject({ urged: 1, supervised: 1 });
    expect(await runSweep(t.ctx, { urgeDays: 3 })).toMatchObject({ urged: 0, supervised: 0 });
    expect(await alerts(t, id)).toEqual([
      { clock: 'acceptance', due_date: '2026-03-04', kind: 'urged', unit_id: '130123-xfj' },
      { clock: 'acceptance', due_date: '2026-03-04', kind: 'supervised', unit_id: '130100-xfj' },
      { clock: 'assignment', due_date: '2026-03-09', kind: 'urged', unit_id: '130123-xfj' },
    ]);
    expect(await timeline(t, queryCode)).toEqual(['submitted', 'urged', 'supervised', 'urged']);
    const ev = await t.ctx.store.db.selectFrom('case_event').select(['actor_kind', 'payload']).where('case_id', '=', id).where('type', '=', 'supervised').executeTakeFirstOrThrow();
    expect(ev.actor_kind).toBe('system');
    expect(JSON.parse(ev.payload)).toMatchObject({ auto: true, overdue: true, clock: 'acceptance', due: '2026-03-04' });
    const c = await t.ctx.store.db.selectFrom('case_file').select('supervised').where('id', '=', id).executeTakeFirstOrThrow();
    expect(c.supervised).toBe(1);
    // In-app notices to the units, and the chain still verifies.
    const inapp = await t.ctx.store.db.selectFrom('outbox').select('template').where('case_id', '=', id).where('channel', '=', 'inapp').execute();
    expect(inapp.map((x) => x.template).sort()).toEqual(['unit_supervised', 'unit_supervised', 'unit_urged', 'unit_urged']);
    expect((await verifyAll(t.ctx)).broken).toEqual([]);
  });

  it('a new due date (accepted) is watched again; handling overdue is supervised by the receiving bureau', async () => {
    t.setNow(CST('2026-03-02'));
    const { id } = await newCase(t);
    const acceptor = await t.staff('zd.acceptor');
    const dispatcher = await t.staff('zd.dispatcher');
    expect((await act(t, acceptor, id, 'accept')).statusCode).toBe(200);
    expect((await act(t, dispatcher, id, 'assign', { unitId: '130123-zj' })).statusCode).toBe(200);
    const { due_reply } = await t.ctx.store.db.selectFrom('case_file').select('due_reply').where('id', '=', id).executeTakeFirstOrThrow();
    expect(due_reply).toBe('2026-05-06');
    t.setNow(CST('2026-05-07'));
    await runSweep(t.ctx, { urgeDays: 3 });
    expect((await alerts(t, id)).map((a) => `${a.clock}:${a.kind}:${a.unit_id}`)).toEqual(['handling:supervised:130123-xfj']);
  });

  it('sweeps across the 2026 Spring Festival with the make-up Saturday', async () => {
    t.setNow(CST('2026-02-12'));
    const { id } = await newCase(t);
    const row = await t.ctx.store.db.selectFrom('case_file').select(['due_accept', 'due_assign']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ due_accept: '2026-02-14', due_assign: '2026-02-26' });
    const day = async (d: string) => {
      t.setNow(CST(d));
      await runSweep(t.ctx, { urgeDays: 3 });
      return (await alerts(t, id)).map((a) => `${a.clock}:${a.kind}`);
    };
    expect(await day('2026-02-12')).toEqual([]);
    expect(await day('2026-02-13')).toEqual(['acceptance:urged']);
    expect(await day('2026-02-14')).toEqual(['acceptance:urged', 'assignment:urged']);
    expect(await day('2026-02-16')).toEqual(['acceptance:urged', 'assignment:urged', 'acceptance:supervised']);
    for (const d of ['2026-02-20', '2026-02-23', '2026-02-26']) expect(await day(d)).toHaveLength(3);
    expect(await day('2026-02-27')).toEqual(['acceptance:urged', 'assignment:urged', 'acceptance:supervised', 'assignment:supervised']);
  });

  it('a first sweep over never-swept cases runs in bounded batches that let other work in between', async () => {
    t.setNow(CST('2026-07-01'));
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push((await newCase(t)).id);
    t.setNow(CST('2026-07-02'));
    // Other work queued on the event loop (a request, a timer) must get turns while the sweep runs.
    let turns = 0;
    let done = false;
    const spin = () => {
      if (done) return;
      turns += 1;
      setImmediate(spin);
    };
    setImmediate(spin);
    const r = await runSweep(t.ctx, { urgeDays: 3, batchSize: 2 });
    done = true;
    expect(r.examined).toBeGreaterThanOrEqual(6);
    expect(turns).toBeGreaterThanOrEqual(3);
    // Each case was planned: its next date is set, and the acceptance clock (due 07-03) was urged once.
    const rows = await t.ctx.store.db.selectFrom('case_file').select(['id']).where('id', 'in', ids).where('sweep_on' as never, 'is', null).execute();
    expect(rows).toEqual([]);
    for (const id of ids) expect((await alerts(t, id)).map((a) => `${a.clock}:${a.kind}`)).toEqual(['acceptance:urged']);
  });

  it('two schedulers: only the lease holder sweeps; concurrent forced sweeps never duplicate', async () => {
    t.setNow(CST('2026-06-01'));
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await newCase(t)).id);
    t.setNow(CST('2026-06-10'));
    const a = new Scheduler(t.ctx, { owner: 'a', urgeDays: 3, transports: {} });
    const b = new Scheduler(t.ctx, { owner: 'b', urgeDays: 3, transports: {} });
    const [ra, rb] = await Promise.all([a.sweepOnce(), b.sweepOnce()]);
    expect([ra, rb].filter((r) => r !== null).length).toBeGreaterThanOrEqual(1);
    t.setNow(CST('2026-06-20'));
    await Promise.all([runSweep(t.ctx, { urgeDays: 3, batchSize: 2 }), runSweep(t.ctx, { urgeDays: 3, batchSize: 3 }), runSweep(t.ctx, { urgeDays: 3 })]);
    for (const id of ids) {
      const kinds = (await alerts(t, id)).map((x) => `${x.clock}:${x.kind}`);
      expect(new Set(kinds).size).toBe(kinds.length);
      const events = await t.ctx.store.db.selectFrom('case_event').select('type').where('case_id', '=', id).execute();
      expect(events.filter((e) => e.type === 'supervised')).toHaveLength(2);
    }
  });
});
