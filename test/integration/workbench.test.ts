import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, databases, newCase, newCaseBody, startTestApp, type TestApp } from '../support/harness.js';
import { createStaff, demoPassword } from '../../src/services/seed.service.js';

interface Queue {
  key: string;
  label: string;
  count: number;
}
interface ListItem {
  id: string;
  caseNo: string;
  title: string;
  state: string;
  deadlines: { due: string }[];
}

describe.each(databases)('workbench: queues, counts, full-text search and bulk actions (%s)', (kind) => {
  let t: TestApp;
  let acceptor: string;
  let dispatcher: string;
  let leader: string;
  let otherCounty: string;

  const counts = async (cookie: string) => {
    const r = await t.request('GET', '/api/office/workbench', { cookie });
    expect(r.statusCode).toBe(200);
    return Object.fromEntries(r.json<{ queues: Queue[] }>().queues.map((q) => [q.key, q.count])) as Record<string, number>;
  };
  const list = async (cookie: string, query: string) => {
    const r = await t.request('GET', `/api/office/cases?${query}`, { cookie });
    expect(r.statusCode, r.body).toBe(200);
    return r.json<{ items: ListItem[]; total: number }>();
  };
  const search = async (cookie: string, q: string) => (await list(cookie, `q=${encodeURIComponent(q)}&pageSize=100`)).items.map((i) => i.id);

  beforeAll(async () => {
    t = await startTestApp(kind);
    acceptor = await t.staff('zd.acceptor');
    dispatcher = await t.staff('zd.dispatcher');
    leader = await t.staff('zd.leader');
    await createStaff(t.ctx, { username: 'ca.leader', name: '长安区测试领导', unitId: '130102-xfj', roles: ['leader', 'acceptor', 'dispatcher'], password: demoPassword });
    otherCounty = await t.staff('ca.leader');
  });
  afterAll(async () => {
    await t.close();
  });

  it('finds two-character Chinese words (工资, 拖欠, 楼道) and case numbers, not substrings of other words', async () => {
    const wages = await newCase(t, { title: '建筑工地拖欠农民工工资', content: '本人在工地务工八个月，包工头至今拖欠工资三万二千元，多次讨要未果。' });
    const lights = await newCase(t, { categoryCode: 'construction', title: '小区楼道照明长期损坏', content: '三号楼楼道照明坏了半年，物业一直不修，老人夜间上下楼很不安全。' });
    const owed = await newCase(t, { title: '公司欠薪问题', content: '公司拖欠了我们三个月的工资，请帮助追讨。' });

    expect(await search(acceptor, '工资')).toEqual(expect.arrayContaining([wages.id, owed.id]));
    expect(await search(acceptor, '工资')).not.toContain(lights.id);
    expect(await search(acceptor, '拖欠')).toEqual(expect.arrayContaining([wages.id, owed.id]));
    expect(await search(acceptor, '楼道')).toEqual([lights.id]);
    // 拖欠工资 is one dictionary word; a text saying 拖欠了…工资 is found through its parts.
    expect(await search(acceptor, '拖欠工资')).toEqual(expect.arrayContaining([wages.id, owed.id]));
    expect(await search(acceptor, '楼道 工资')).toEqual([]);
    // A lone character matches words beginning with it.
    expect(await search(acceptor, '楼')).toContain(lights.id);
    expect(await search(acceptor, '？！')).toEqual([]);

    const detail = (await t.request('GET', `/api/office/cases/${lights.id}`, { cookie: acceptor })).json<{ caseNo: string }>();
    expect(await search(acceptor, detail.caseNo)).toEqual([lights.id]);
    expect(await search(acceptor, detail.caseNo.toLowerCase())).toEqual([lights.id]);

    // Search stays inside the jurisdiction: another county's staff find nothing of 正定县.
    expect(await search(otherCounty, '工资')).toEqual([]);
    // Combined with the other filters.
    expect((await list(acceptor, `q=${encodeURIComponent('工资')}&category=construction`)).items).toEqual([]);
    expect((await list(acceptor, `q=${encodeURIComponent('楼道')}&category=construction&region=130123&channel=web&target=bureau`)).total).toBe(1);
  });

  it('counts each queue per role and jurisdiction, and lists the queue behind each count', async () => {
    const t2 = await startTestApp(kind);
    try {
      const c = {
        acceptor: await t2.staff('zd.acceptor'),
        dispatcher: await t2.staff('zd.dispatcher'),
        handler: await t2.staff('zd.handler'),
        leader: await t2.staff('zd.leader'),
        city: await t2.staff('sjz.acceptor'),
      };
      await createStaff(t2.ctx, { username: 'ca.leader', name: '长安区测试领导', unitId: '130102-xfj', roles: ['leader', 'acceptor'], password: demoPassword });
      const other = await t2.staff('ca.leader');
      const get = async (cookie: string) => {
        const r = await t2.request('GET', '/api/office/workbench', { cookie });
        expect(r.statusCode).toBe(200);
        return r.json<{ queues: Queue[] }>();
      };
      const countOf = async (cookie: string) => Object.fromEntries((await get(cookie)).queues.map((q) => [q.key, q.count])) as Record<string, number>;

      const a = await newCase(t2);
      const b = await newCase(t2);
      const d = await newCase(t2);
      const e = await newCase(t2, { regionCode: '130102', address: '长安区' });

      // Queues follow the roles: an acceptor works 待受理, a handler 待签收; nobody gets a queue their role cannot act on.
      const acceptorQueues = (await get(c.acceptor)).queues;
      expect(acceptorQueues.map((q) => q.label)).toContain('待受理');
      expect(acceptorQueues.map((q) => q.key)).not.toContain('sign');
      expect((await get(c.handler)).queues.map((q) => q.key)).toEqual(['sign', 'handling', 'due_soon', 'overdue', 'extension', 'evaluation']);
      expect((await get(c.leader)).queues.map((q) => q.key)).toEqual(['handling', 'due_soon', 'overdue', 'extension', 'review', 'evaluation']);

      expect((await countOf(c.acceptor)).accept).toBe(3); // 正定县 only
      expect((await countOf(c.city)).accept).toBe(4); // 石家庄市 covers its counties
      expect((await countOf(other)).accept).toBe(1); // 长安区 only

      expect((await act(t2, c.acceptor, a.id, 'accept')).statusCode).toBe(200);
      expect((await act(t2, c.acceptor, b.id, 'accept')).statusCode).toBe(200);
      expect(await countOf(c.dispatcher)).toMatchObject({ assign: 2 });
      expect((await countOf(c.acceptor)).accept).toBe(1);

      expect((await act(t2, c.dispatcher, a.id, 'assign', { unitId: '130123-zj' })).statusCode).toBe(200);
      expect((await act(t2, c.dispatcher, b.id, 'forward', { unitId: '130123-rs' })).statusCode).toBe(200);
      // 待签收 counts only what was sent to the caller's own unit.
      expect(await countOf(c.handler)).toMatchObject({ sign: 1, handling: 0 });
      expect((await t2.request('GET', '/api/office/cases?queue=sign', { cookie: c.handler })).json<{ items: ListItem[] }>().items.map((i) => i.id)).toEqual([a.id]);
      expect((await countOf(c.dispatcher)).assign).toBe(0);

      expect((await act(t2, c.handler, a.id, 'sign')).statusCode).toBe(200);
      expect(await countOf(c.handler)).toMatchObject({ sign: 0, handling: 1 });
      expect((await countOf(c.leader)).handling).toBe(1);

      // 延期待批: the county leader sees the request of its department; another county's leader does not.
      expect((await act(t2, c.handler, a.id, 'request-extension', { days: 15, reason: '需要会同劳动监察部门联合调查取证' })).statusCode).toBe(200);
      expect((await countOf(c.leader)).extension).toBe(1);
      expect((await countOf(c.handler)).extension).toBe(1);
      expect((await countOf(other)).extension).toBe(0);
      const ext = await t2.request('GET', '/api/office/cases?queue=extension', { cookie: c.leader });
      expect(ext.json<{ items: ListItem[] }>().items.map((i) => i.id)).toEqual([a.id]);
      expect((await act(t2, c.leader, a.id, 'approve-extension', { approve: true })).statusCode).toBe(200);
      expect((await countOf(c.leader)).extension).toBe(0);

      // 待评价 after the reply.
      expect((await act(t2, c.handler, a.id, 'reply', { text: '经调查，已责令用工单位限期足额支付拖欠工资。' })).statusCode).toBe(200);
      expect(await countOf(c.handler)).toMatchObject({ handling: 0, evaluation: 1 });

      // The clock: d (submitted) was due for acceptance on 2026-03-04; on 2026-03-03 it is 即将到期, on 03-05 已超期.
      // (Moving the clock a day ends the sessions: log in again.)
      t2.setNow('2026-03-03T02:00:00Z');
      c.acceptor = await t2.staff('zd.acceptor');
      const soon = await countOf(c.acceptor);
      expect(soon.due_soon).toBeGreaterThanOrEqual(1);
      expect(soon.overdue).toBe(0);
      t2.setNow('2026-03-05T02:00:00Z');
      c.acceptor = await t2.staff('zd.acceptor');
      const late = await countOf(c.acceptor);
      expect(late.overdue).toBe(1);
      const overdueList = (await t2.request('GET', '/api/office/cases?queue=overdue', { cookie: c.acceptor })).json<{ items: ListItem[] }>();
      expect(overdueList.items.map((i) => i.id)).toEqual([d.id]);
      expect((await countOf(await t2.staff('ca.leader'))).overdue).toBe(1); // e, in 长安区
      expect(e.id).toBeTruthy();
    } finally {
      await t2.close();
    }
  });

  it('sorts a queue by due date both ways', async () => {
    const t3 = await startTestApp(kind);
    try {
      const ids: string[] = [];
      for (const day of ['2026-03-10', '2026-03-02', '2026-03-05']) {
        t3.setNow(`${day}T02:00:00Z`);
        ids.push((await newCase(t3, { title: `工资问题 ${day}` })).id);
      }
      t3.setNow('2026-03-11T02:00:00Z');
      const acc = await t3.staff('zd.acceptor');
      const asc = (await t3.request('GET', '/api/office/cases?queue=accept&sort=due', { cookie: acc })).json<{ items: ListItem[] }>().items;
      expect(asc.map((i) => i.id)).toEqual([ids[1], ids[2], ids[0]]);
      const dues = asc.map((i) => i.deadlines[0]!.due);
      expect([...dues].sort()).toEqual(dues);
      const desc = (await t3.request('GET', '/api/office/cases?queue=accept&sort=-due', { cookie: acc })).json<{ items: ListItem[] }>().items;
      expect(desc.map((i) => i.id)).toEqual([ids[0], ids[2], ids[1]]);
      // Cases registered in the same instant keep one order: paging two by two through every sort
      // neither repeats nor skips a case.
      t3.setNow('2026-03-11T02:00:00Z');
      for (let i = 0; i < 5; i++) ids.push((await newCase(t3, { title: `同一时刻登记的第 ${i} 件` })).id);
      for (const sort of ['due', '-due', 'submitted', '-submitted']) {
        const seen: string[] = [];
        for (let page = 1; page <= 4; page++) {
          const r = await t3.request('GET', `/api/office/cases?queue=accept&sort=${sort}&pageSize=2&page=${page}`, { cookie: acc });
          expect(r.statusCode, r.body).toBe(200);
          seen.push(...r.json<{ items: ListItem[] }>().items.map((i) => i.id));
        }
        expect(seen, sort).toHaveLength(8);
        expect(new Set(seen), sort).toEqual(new Set(ids));
      }
      const bad = await t3.request('GET', '/api/office/cases?sort=sideways', { cookie: acc });
      expect(bad.statusCode).toBe(400);
      expect((await t3.request('GET', '/api/office/cases?queue=nope', { cookie: acc })).statusCode).toBe(400);
    } finally {
      await t3.close();
    }
  });

  it('unmasks personal data only with the permission and a reason, and records it internally', async () => {
    const { id, queryCode, citizen } = await newCase(t, { address: '正定县城关镇常山路 1 号' });
    const masked = (await t.request('GET', `/api/office/cases/${id}`, { cookie: leader })).json<{ petitioner: { name: string; phone: string } }>();
    expect(masked.petitioner.name).not.toBe(citizen.name);
    expect(masked.petitioner.phone).toContain('****');

    expect((await t.request('POST', `/api/office/cases/${id}/unmask`, { cookie: acceptor, body: { reason: '核实信访人身份' } })).statusCode).toBe(403);
    expect((await t.request('POST', `/api/office/cases/${id}/unmask`, { cookie: leader, body: {} })).statusCode).toBe(400);
    expect((await t.request('POST', `/api/office/cases/${id}/unmask`, { cookie: leader, body: { reason: '  ' } })).statusCode).toBe(400);
    expect((await t.request('POST', `/api/office/cases/${id}/unmask`, { cookie: otherCounty, body: { reason: '核实信访人身份' } })).statusCode).toBe(404);

    const r = await t.request('POST', `/api/office/cases/${id}/unmask`, { cookie: leader, body: { reason: '电话回访核实诉求' } });
    expect(r.statusCode).toBe(200);
    const full = r.json<{ petitioner: { name: string; phone: string; address: string; idNumber: string } }>();
    expect(full.petitioner).toMatchObject({ name: citizen.name, phone: citizen.phone, address: '正定县城关镇常山路 1 号', idNumber: citizen.idNumber });

    const view = (await t.request('GET', `/api/office/cases/${id}`, { cookie: acceptor })).json<{ timeline: { type: string; visibility: string; payload: { reason?: string } }[] }>();
    const ev = view.timeline.find((e) => e.type === 'pii_unmasked');
    expect(ev).toMatchObject({ visibility: 'internal', payload: { reason: '电话回访核实诉求' } });
    const track = (await t.request('GET', `/api/track/${queryCode}`)).json<{ timeline: { type: string }[] }>();
    expect(track.timeline.map((e) => e.type)).not.toContain('pii_unmasked');
  });

  it('lists the same petitioner’s other cases with their similarity', async () => {
    const first = await newCase(t, { title: '拖欠工资问题', content: '某建筑公司拖欠我工资两万元，至今未付。' });
    const again = await t.request('POST', '/api/cases', { cookie: first.citizen.cookie, body: newCaseBody({ title: '再次反映拖欠工资', content: '某建筑公司拖欠我工资两万元，上次反映后仍未支付。' }) });
    expect(again.statusCode).toBe(201);
    const secondId = again.json<{ id: string }>().id;
    const r = await t.request('GET', `/api/office/cases/${secondId}/related`, { cookie: acceptor });
    expect(r.statusCode).toBe(200);
    const items = r.json<{ items: { id: string; earlier: boolean; similarity: number }[] }>().items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ id: first.id, earlier: true });
    expect(items[0]!.similarity).toBeGreaterThan(0.3);
    expect((await t.request('GET', `/api/office/cases/${secondId}/related`, { cookie: otherCounty })).statusCode).toBe(404);
  });

  it('previews the due dates of an assignment by the calendar', async () => {
    const { id } = await newCase(t);
    const r = await t.request('GET', `/api/office/cases/${id}/due-preview`, { cookie: dispatcher });
    expect(r.statusCode).toBe(200);
    // 2026-03-02 + 5 working days = 2026-03-09; 60 calendar days = 2026-05-01 (a holiday) → next working day.
    expect(r.json()).toMatchObject({ today: '2026-03-02', dueReturn: '2026-03-09' });
    expect(r.json<{ dueReply: string }>().dueReply >= '2026-05-01').toBe(true);
  });

  it('accepts and forwards in bulk, each case on its own, reporting per case', async () => {
    const fresh = [await newCase(t), await newCase(t), await newCase(t)];
    const done = await newCase(t);
    expect((await act(t, acceptor, done.id, 'accept')).statusCode).toBe(200);
    const foreign = await newCase(t, { regionCode: '130102', address: '长安区' });
    const ids = [...fresh.map((c) => c.id), done.id, foreign.id];

    const r = await t.request('POST', '/api/office/bulk/accept', { cookie: acceptor, body: { caseIds: ids } });
    expect(r.statusCode).toBe(200);
    const res = r.json<{ succeeded: number; failed: number; results: { id: string; ok: boolean; status?: number; state?: string }[] }>();
    expect(res).toMatchObject({ succeeded: 3, failed: 2 });
    expect(res.results.find((x) => x.id === done.id)).toMatchObject({ ok: false, status: 409 });
    expect(res.results.find((x) => x.id === foreign.id)).toMatchObject({ ok: false, status: 404 });
    for (const c of fresh) expect(res.results.find((x) => x.id === c.id)).toMatchObject({ ok: true, state: 'accepted' });

    const fw = await t.request('POST', '/api/office/bulk/forward', { cookie: dispatcher, body: { caseIds: [...fresh.map((c) => c.id), done.id], unitId: '130123-rs', instructions: '请依法核查处理' } });
    expect(fw.statusCode).toBe(200);
    expect(fw.json()).toMatchObject({ succeeded: 4, failed: 0 });
    const v = (await t.request('GET', `/api/office/cases/${done.id}`, { cookie: dispatcher })).json<{ state: string; assignments: { unitId: string; kind: string }[] }>();
    expect(v).toMatchObject({ state: 'assigned', assignments: [{ unitId: '130123-rs', kind: 'forward' }] });

    // The acceptor may not forward; a bad unit fails each case with 400; the body is validated.
    const denied = await t.request('POST', '/api/office/bulk/forward', { cookie: acceptor, body: { caseIds: [done.id], unitId: '130123-rs' } });
    expect(denied.json()).toMatchObject({ succeeded: 0, failed: 1, results: [{ ok: false, status: 403 }] });
    const another = await newCase(t);
    expect((await act(t, acceptor, another.id, 'accept')).statusCode).toBe(200);
    const badUnit = await t.request('POST', '/api/office/bulk/forward', { cookie: dispatcher, body: { caseIds: [another.id], unitId: 'nope' } });
    expect(badUnit.json()).toMatchObject({ failed: 1, results: [{ ok: false, status: 400 }] });
    expect((await t.request('POST', '/api/office/bulk/accept', { cookie: acceptor, body: { caseIds: [] } })).statusCode).toBe(400);
    expect((await t.request('POST', '/api/office/bulk/accept', { cookie: acceptor, body: { caseIds: ['x'] } })).statusCode).toBe(400);
    expect((await t.request('POST', '/api/office/bulk/close', { cookie: acceptor, body: { caseIds: [another.id] } })).statusCode).toBe(400);
    const cit = await t.citizen();
    expect((await t.request('POST', '/api/office/bulk/accept', { cookie: cit.cookie, body: { caseIds: [another.id] } })).statusCode).toBe(403);
  });

  it('keeps the index filled on merge: the earlier case is found by the merged case’s words', async () => {
    const earlier = await newCase(t, { title: '供暖不热问题', content: '小区冬季供暖温度长期不达标，室内只有十二度。' });
    const later = await newCase(t, { title: '暖气片漏水', content: '暖气片连接处漏水，物业拖延维修，地板泡坏。' });
    expect(await search(acceptor, '暖气片')).toEqual([later.id]);
    const m = await act(t, acceptor, later.id, 'merge', { intoCaseId: earlier.id });
    expect(m.statusCode, m.body).toBe(200);
    expect((await search(acceptor, '暖气片')).sort()).toEqual([earlier.id, later.id].sort());
    expect(await search(acceptor, '供暖')).toEqual([earlier.id]);
  });

  it('has counts that only a logged-in staff member may read', async () => {
    expect((await t.request('GET', '/api/office/workbench')).statusCode).toBe(401);
    const cit = await t.citizen();
    expect((await t.request('GET', '/api/office/workbench', { cookie: cit.cookie })).statusCode).toBe(403);
    expect(await counts(acceptor)).toHaveProperty('accept');
  });
});
