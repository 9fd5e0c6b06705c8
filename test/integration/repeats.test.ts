/** 重复信访 at submission: asked on a likely repeat, joined or linked by the petitioner's answer; staff see and split links. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, newCaseBody, startTestApp, type TestApp } from '../support/harness.js';

const first = { title: '小区电梯长期故障无人维修', content: '城南花园五号楼电梯从去年十月起频繁故障停运，物业公司以维修资金不足为由拒绝维修，楼里住着多位八十岁以上老人，请住建局督促物业尽快修复电梯。' };
const again = { title: '城南花园五号楼电梯坏了不修', content: '城南花园五号楼的电梯自去年十月老是坏，物业说没有维修资金不给修，楼里好几位八十多岁的老人下不了楼，请督促物业把电梯修好。' };
const other = { title: '餐馆拖欠服务员工资', content: '我在县城福满楼餐馆当服务员半年，老板以生意不好为由拖欠两个月工资共六千元，请求劳动监察部门处理。' };

describe.each(databases)('repeat detection at submission (%s)', (kind) => {
  let t: TestApp;
  let cookie: string;
  let firstId: string;
  const post = (body: Record<string, unknown>, c = cookie, headers?: Record<string, string>) => t.request('POST', '/api/cases', { cookie: c, body: newCaseBody(body), ...(headers ? { headers } : {}) });

  beforeAll(async () => {
    t = await startTestApp(kind, { env: { XINFANG_REPEAT_THRESHOLD: '0.4' } });
    cookie = (await t.citizen()).cookie;
    const r = await post({ categoryCode: 'construction', ...first }, cookie, { 'idempotency-key': 'repeat-test-first-1' });
    expect(r.statusCode, r.body).toBe(201);
    firstId = r.json<{ id: string }>().id;
  });
  afterAll(() => t?.close());

  it('an honest retry of the same submission replays, never asks', async () => {
    const r = await post({ categoryCode: 'construction', ...first }, cookie, { 'idempotency-key': 'repeat-test-first-1' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json<{ id: string }>().id).toBe(firstId);
  });

  it('a different matter of the same petitioner, or the same text of another petitioner, is filed without asking', async () => {
    expect((await post({ categoryCode: 'labour', ...other })).statusCode).toBe(201);
    const someoneElse = await t.citizen();
    expect((await post({ categoryCode: 'construction', ...first }, someoneElse.cookie)).statusCode).toBe(201);
  });

  it('a likely repeat is answered 409 possible_repeat with the open case, and nothing is written', async () => {
    const before = await t.ctx.store.db.selectFrom('case_file').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const r = await post({ categoryCode: 'construction', ...again });
    expect(r.statusCode).toBe(409);
    const e = r.json<{ error: { code: string; message: string; fields: Record<string, string> } }>().error;
    expect(e.code).toBe('possible_repeat');
    expect(e.fields.repeatOfCaseId).toBe(firstId);
    expect(Number(e.fields.similarity)).toBeGreaterThanOrEqual(0.4);
    expect(e.message).toContain(e.fields.repeatOfCaseNo);
    const after = await t.ctx.store.db.selectFrom('case_file').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it("'same' adds the text to the open case as a public message; no new case", async () => {
    const r = await post({ categoryCode: 'construction', ...again, repeatDecision: 'same' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json<{ id: string; joinedExisting: boolean }>()).toMatchObject({ id: firstId, joinedExisting: true });
    const events = await t.ctx.store.db.selectFrom('case_event').selectAll().where('case_id', '=', firstId).where('type', '=', 'message').execute();
    expect(events).toHaveLength(1);
    expect(events[0]!.visibility).toBe('public');
    expect(JSON.parse(events[0]!.payload)).toMatchObject({ from: 'petitioner', repeat: true });
  });

  it("'new' files a case linked for staff, who can split the link (or merge with the merge action)", async () => {
    const r = await post({ categoryCode: 'construction', ...again, repeatDecision: 'new' });
    expect(r.statusCode, r.body).toBe(201);
    const newId = r.json<{ id: string }>().id;
    const acceptor = await t.staff('zd.acceptor');
    const links = await t.request('GET', `/api/office/cases/${newId}/repeats`, { cookie: acceptor });
    expect(links.statusCode, links.body).toBe(200);
    const item = links.json<{ items: { id: string; repeatOf: string | null; decision: string }[] }>().items.find((i) => i.decision === 'new')!;
    expect(item.repeatOf).toBe(firstId);
    const view = await t.request('GET', `/api/office/cases/${newId}`, { cookie: acceptor });
    expect(view.json<{ repeatOf: { caseId: string; caseNo: string } | null }>().repeatOf).toMatchObject({ caseId: firstId });
    const onFirst = await t.request('GET', `/api/office/cases/${firstId}/repeats`, { cookie: acceptor });
    expect(onFirst.json<{ items: { repeatedBy: string | null }[] }>().items.map((i) => i.repeatedBy)).toContain(newId);
    // A registrar (no case.merge) may not split; a department the case never reached sees nothing.
    expect((await t.request('POST', `/api/office/cases/${newId}/repeats/${item.id}/split`, { cookie: await t.staff('zd.registrar'), body: {} })).statusCode).toBe(403);
    const split = await t.request('POST', `/api/office/cases/${newId}/repeats/${item.id}/split`, { cookie: acceptor, body: {} });
    expect(split.statusCode, split.body).toBe(200);
    expect(split.json()).toMatchObject({ staffVerdict: 'split' });
    expect((await t.request('GET', `/api/office/cases/${newId}`, { cookie: acceptor })).json<{ repeatOf: unknown }>().repeatOf).toBeNull();
    expect((await t.request('GET', `/api/office/cases/${newId}/repeats`, { cookie: await t.staff('zd.handler') })).statusCode).toBe(404);
  });

  it('hotspots: similar cases of three petitioners in one county are clustered for supervisors; trending words', async () => {
    // `first` came from two petitioners already (above); a third says it in other words.
    const third = await t.citizen();
    expect((await post({ categoryCode: 'construction', ...again }, third.cookie)).statusCode).toBe(201);
    const sup = await t.staff('zd.supervisor');
    const r = await t.request('GET', '/api/office/stats/hotspots?from=2026-03-01&to=2026-03-31&minPetitioners=3', { cookie: sup });
    expect(r.statusCode, r.body).toBe(200);
    const h = r.json<{ items: { region: string; petitioners: number; words: string[]; cases: { id: string }[] }[] }>();
    expect(h.items).toHaveLength(1);
    expect(h.items[0]).toMatchObject({ region: '130123', petitioners: 3 });
    expect(h.items[0]!.words).toContain('电梯');
    expect(h.items[0]!.cases.map((c) => c.id)).toContain(firstId);
    expect((await t.request('GET', '/api/office/stats/hotspots?from=2026-03-01&to=2026-03-31', { cookie: await t.staff('zd.handler') })).statusCode).toBe(403);
    const w = await t.request('GET', '/api/office/stats/trending?week=2026-03-02', { cookie: sup });
    expect(w.statusCode, w.body).toBe(200);
    const words = w.json<{ items: { region: string; words: { word: string }[] }[] }>().items.find((i) => i.region === '130100')!.words.map((x) => x.word);
    expect(words).toContain('电梯');
  });
});
