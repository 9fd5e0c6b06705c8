import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from '../support/harness.js';
import { seedDemoCases } from '../../src/services/seed.service.js';
import { runSweep } from '../../src/jobs/sweep.js';
import { verifyAll } from '../../src/services/audit.service.js';

const expected: Record<string, string[]> = {
  小区供暖温度长期不达标: ['acceptance:supervised', 'assignment:urged'],
  老旧小区加装电梯意见分歧无人协调: ['acceptance:urged'],
  安置房交房延期两年未给说法: ['handling:urged'],
  农村危房改造补助未发放: ['handling:supervised'],
  商品房延期办理不动产权证: ['handling:supervised'],
};

describe.each(databases)('demo data: cases becoming due and overdue (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    // A Monday after a weekend: back-dating counts working days, not calendar days.
    t = await startTestApp(kind, { now: '2026-03-16T02:00:00Z' });
    await seedDemoCases(t.ctx);
  });
  afterAll(async () => {
    await t.close();
  });

  it('the first sweep after start gives the back-dated demo cases their automatic 催办 and 督办', async () => {
    const rows = await t.ctx.store.db.selectFrom('case_file').select(['id', 'title', 'query_code_enc', 'received_date', 'receiving_unit_id', 'current_unit_id', 'due_accept', 'due_reply']).where('title', 'in', Object.keys(expected)).execute();
    expect(rows).toHaveLength(5);
    // Nothing is alerted before the sweep.
    expect(await t.ctx.store.db.selectFrom('deadline_alert').select('case_id').execute()).toEqual([]);
    const r = await runSweep(t.ctx, { urgeDays: 3 });
    expect(r.urged).toBe(3);
    expect(r.supervised).toBe(3);
    for (const row of rows) {
      const alerts = await t.ctx.store.db.selectFrom('deadline_alert').select(['clock', 'kind', 'unit_id']).where('case_id', '=', row.id).orderBy('clock').orderBy('kind', 'desc').execute();
      expect(alerts.map((a) => `${a.clock}:${a.kind}`).sort(), row.title).toEqual([...expected[row.title]!].sort());
      // The petitioner sees them in tracking.
      const track = await t.request('GET', `/api/track/${t.ctx.crypto.decrypt(row.query_code_enc)}`);
      expect(track.statusCode).toBe(200);
      const types = track.json<{ timeline: { type: string }[] }>().timeline.map((e) => e.type);
      for (const a of alerts) expect(types, row.title).toContain(a.kind);
    }
    const byTitle = Object.fromEntries(rows.map((x) => [x.title, x]));
    // 正定县 missed its acceptance clock: 督办 from the bureau above; the 石家庄 case is supervised by 石家庄市信访局.
    const supervisors = async (title: string) =>
      (await t.ctx.store.db.selectFrom('deadline_alert').select('unit_id').where('case_id', '=', byTitle[title]!.id).where('kind', '=', 'supervised').execute()).map((a) => a.unit_id);
    expect(await supervisors('小区供暖温度长期不达标')).toEqual(['130100-xfj']);
    expect(await supervisors('农村危房改造补助未发放')).toEqual(['130123-xfj']);
    expect(await supervisors('商品房延期办理不动产权证')).toEqual(['130100-xfj']);
    expect(byTitle['小区供暖温度长期不达标']!.received_date).toBe('2026-03-11');

    // The office: the overdue queue of 正定县 and of 石家庄 lists them, the case page shows the events.
    const zd = await t.staff('zd.supervisor');
    const overdue = await t.request('GET', '/api/office/cases?queue=overdue', { cookie: zd });
    expect(overdue.statusCode).toBe(200);
    const titles = overdue.json<{ items: { title: string }[] }>().items.map((i) => i.title);
    expect(titles).toEqual(expect.arrayContaining(['小区供暖温度长期不达标', '农村危房改造补助未发放']));
    const page = await t.request('GET', `/api/office/cases/${byTitle['农村危房改造补助未发放']!.id}`, { cookie: zd });
    expect(page.json<{ timeline: { type: string }[] }>().timeline.map((e) => e.type)).toContain('supervised');
    const sjz = await t.staff('sjz.supervisor');
    const sjzOverdue = await t.request('GET', '/api/office/cases?queue=overdue', { cookie: sjz });
    expect(sjzOverdue.json<{ items: { title: string }[] }>().items.map((i) => i.title)).toContain('商品房延期办理不动产权证');
    // 石家庄's case is not 正定县's business.
    expect((await t.request('GET', `/api/office/cases/${byTitle['商品房延期办理不动产权证']!.id}`, { cookie: zd })).statusCode).toBe(404);

    // A second sweep the same day adds nothing; the hash chains still verify.
    expect(await runSweep(t.ctx, { urgeDays: 3 })).toMatchObject({ urged: 0, supervised: 0 });
    expect((await verifyAll(t.ctx)).broken).toEqual([]);
  });
});
