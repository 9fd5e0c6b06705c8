/**
 * 热点推送: when alike cases of three different petitioners gather in a county, the supervisors of
 * the county's and the city's bureaus get one in-app message; again only when the cluster grows;
 * denunciations and other counties stay out; other staff do not get it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, newCaseBody, startTestApp, type TestApp } from '../support/harness.js';
import { watchHotspots } from '../../src/services/hotspot-watch.service.js';
import { deliverOutbox } from '../../src/jobs/outbox-delivery.js';

const texts = [
  { title: '幸福小区电梯停运半年无人维修', content: '正定县幸福小区三号楼电梯停运半年，物业公司拒绝维修，老人上下楼困难，请督促物业尽快修复电梯。' },
  { title: '幸福小区三号楼电梯坏了物业不修', content: '我住幸福小区三号楼，电梯坏了半年物业一直不修，老人出行非常困难，希望有关部门督促物业修复电梯。' },
  { title: '请督促物业修复幸福小区电梯', content: '幸福小区三号楼电梯已经停运半年，多次找物业公司都说没钱维修，请求督促物业公司尽快修复电梯。' },
  { title: '幸福小区电梯长期停运', content: '幸福小区三号楼的电梯长期停运已有半年，物业公司推脱不修，住户特别是老人出行困难，请求督促物业维修电梯。' },
];

describe.each(databases)('hotspot watch (%s)', (kind) => {
  let t: TestApp;
  const submit = async (text: (typeof texts)[number], over: Record<string, unknown> = {}) => {
    const c = await t.citizen();
    const r = await t.request('POST', '/api/cases', { cookie: c.cookie, body: newCaseBody({ categoryCode: 'construction', ...text, ...over }) });
    expect(r.statusCode, r.body).toBe(201);
    return r.json<{ id: string }>().id;
  };
  const messages = async (username: string) => {
    await deliverOutbox(t.ctx, { owner: 'test', transports: {} });
    const r = await t.request('GET', '/api/office/messages', { cookie: await t.staff(username) });
    expect(r.statusCode, r.body).toBe(200);
    return r.json<{ items: { title: string; body: string; caseId: string | null }[] }>().items.filter((m) => m.title.startsWith('热点提示'));
  };

  beforeAll(async () => {
    t = await startTestApp(kind, { now: '2026-03-02T02:00:00Z' });
  });
  afterAll(() => t?.close());

  it('tells the supervisors once when a cluster forms, and again when it grows', async () => {
    expect(await watchHotspots(t.ctx)).toMatchObject({ formed: 0, grew: 0 });
    await submit(texts[0]!);
    await submit(texts[1]!);
    // Alike, but a denunciation and another county: neither joins the cluster.
    await submit(texts[2]!, { categoryCode: 'discipline', denunciation: true, accusedUnitIds: ['130123-zj'] });
    await submit(texts[2]!, { regionCode: '130102' });
    expect(await watchHotspots(t.ctx)).toMatchObject({ formed: 0, grew: 0 });
    expect(await messages('zd.supervisor')).toHaveLength(0);

    const third = await submit(texts[2]!);
    expect(await watchHotspots(t.ctx)).toMatchObject({ formed: 1, grew: 0 });
    const zd = await messages('zd.supervisor');
    expect(zd).toHaveLength(1);
    expect(zd[0]!.title).toBe('热点提示：正定县出现相似事项聚集');
    expect(zd[0]!.body).toContain('3 名信访人');
    expect(zd[0]!.body).toContain('电梯');
    expect(zd[0]!.caseId).toBe(third);
    expect(await messages('sjz.supervisor')).toHaveLength(1);
    // Not the county's acceptor, not another city's nor the province's supervisor.
    expect(await messages('zd.acceptor')).toHaveLength(0);
    expect(await messages('prov.supervisor')).toHaveLength(0);

    // Nothing new: no second message.
    await submit({ title: '村里路灯不亮', content: '东关村的路灯坏了一个月，晚上出行不便，请修理。' });
    expect(await watchHotspots(t.ctx)).toMatchObject({ formed: 0, grew: 0 });
    expect(await messages('zd.supervisor')).toHaveLength(1);

    // A fourth petitioner: the cluster grew.
    await submit(texts[3]!);
    expect(await watchHotspots(t.ctx)).toMatchObject({ formed: 0, grew: 1 });
    const after = await messages('zd.supervisor');
    expect(after).toHaveLength(2);
    expect(after[0]!.title).toBe('热点提示：正定县相似事项聚集扩大');
    expect(after[0]!.body).toContain('4 名信访人');
    expect(await watchHotspots(t.ctx)).toMatchObject({ formed: 0, grew: 0 });
  });
});
