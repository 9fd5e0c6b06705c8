/** 重复信访 at submission: asked on a likely repeat, joined or linked by the petitioner's answer; staff see and split links. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../../src/services/seed.service.js';
import { openOutboxPayload } from '../../src/services/outbox-secrets.js';
import { cookieOf, databases, newCaseBody, startTestApp, type TestApp } from '../support/harness.js';

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

  it("split: a 'same' message becomes a case of its own (same petitioner, new query code by SMS, events on both); wrong roles refused", async () => {
    const citizen = await t.citizen();
    const orig = await post({ categoryCode: 'construction', ...first, title: '老旧小区电梯长期故障' }, citizen.cookie);
    expect(orig.statusCode, orig.body).toBe(201);
    const origId = orig.json<{ id: string }>().id;
    t.setNow('2026-03-02T02:10:00Z');
    const joined = await post({ categoryCode: 'construction', ...again, repeatDecision: 'same' }, citizen.cookie);
    expect(joined.statusCode, joined.body).toBe(200);
    t.setNow('2026-03-04T03:00:00Z');
    const acceptor = await t.staff('zd.acceptor');
    const links = await t.request('GET', `/api/office/cases/${origId}/repeats`, { cookie: acceptor });
    const link = links.json<{ items: { id: string; decision: string; messageSeq: number | null; staffVerdict: string | null }[] }>().items.find((i) => i.decision === 'same')!;
    expect(link.messageSeq).toBeGreaterThan(1);
    expect(link.staffVerdict).toBeNull();
    const url = `/api/office/cases/${origId}/repeats/${link.id}/split`;
    const eventsBefore = await t.ctx.store.db.selectFrom('case_event').select('seq').where('case_id', '=', origId).execute();
    const casesBefore = await t.ctx.store.db.selectFrom('case_file').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();

    // Roles without case.merge, a department, another county's acceptor and the citizen are refused; nothing is written.
    for (const who of ['zd.registrar', 'zd.supervisor', 'zd.leader', 'zd.auditor']) {
      const r = await t.request('POST', url, { cookie: await t.staff(who), body: {} });
      expect(r.statusCode, `${who}: ${r.body}`).toBe(403);
    }
    expect((await t.request('POST', url, { cookie: await t.staff('zd.handler'), body: {} })).statusCode).toBe(404);
    // An acceptor of a neighbouring county does not see the case at all.
    await createStaff(t.ctx, { username: 'ca.acceptor', name: '长安区受理员', unitId: '130102-xfj', roles: ['acceptor'], password: 'Changan@2026' });
    const ca = await t.request('POST', '/api/auth/login', { body: { login: 'ca.acceptor', password: 'Changan@2026' } });
    expect((await t.request('POST', url, { cookie: cookieOf(ca), body: {} })).statusCode).toBe(404);
    expect([401, 403]).toContain((await t.request('POST', url, { cookie: citizen.cookie, body: {} })).statusCode);
    expect((await t.request('POST', `/api/office/cases/${origId}/repeats/00000000-0000-4000-8000-000000000000/split`, { cookie: acceptor, body: {} })).statusCode).toBe(404);
    expect(await t.ctx.store.db.selectFrom('case_event').select('seq').where('case_id', '=', origId).execute()).toHaveLength(eventsBefore.length);
    expect(Number((await t.ctx.store.db.selectFrom('case_file').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(Number(casesBefore.n));

    const r = await t.request('POST', url, { cookie: acceptor, body: {} });
    expect(r.statusCode, r.body).toBe(200);
    const res = r.json<{ staffVerdict: string; newCaseId: string; newCaseNo: string; smsQueued: boolean; linkedAccount: boolean }>();
    expect(res).toMatchObject({ staffVerdict: 'split', smsQueued: true, linkedAccount: true });
    expect(res.newCaseNo).toMatch(/^XF2026-\d{6}$/);

    // The new case: the repeated text, the same petitioner, received on the day the message came in, its own query code.
    const row = await t.ctx.store.db.selectFrom('case_file').selectAll().where('id', '=', res.newCaseId).executeTakeFirstOrThrow();
    const origRow = await t.ctx.store.db.selectFrom('case_file').selectAll().where('id', '=', origId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ title: again.title, content: again.content, petitioner_id: origRow.petitioner_id, receiving_unit_id: origRow.receiving_unit_id, state: 'submitted', received_date: '2026-03-02', public_consent: 0 });
    const code = t.ctx.crypto.decrypt(row.query_code_enc);
    expect(code).not.toBe(t.ctx.crypto.decrypt(origRow.query_code_enc));
    const sms = await t.ctx.store.db.selectFrom('outbox').selectAll().where('case_id', '=', res.newCaseId).execute();
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ channel: 'sms', template: 'case_submitted' });
    expect(t.ctx.crypto.decrypt(sms[0]!.recipient_enc)).toBe(citizen.phone);
    expect(sms[0]!.payload).not.toContain(code);
    expect(openOutboxPayload(t.ctx, sms[0]!.payload, sms[0]!.secrets_enc)).toMatchObject({ queryCode: code, caseNo: res.newCaseNo });

    // Both cases carry the event; the petitioner tracks the new case with its code and sees it under "my cases".
    const origTrack = await t.request('GET', `/api/track/${t.ctx.crypto.decrypt(origRow.query_code_enc)}`);
    expect(origTrack.body).toContain(res.newCaseNo);
    expect(origTrack.body).not.toContain(code);
    const track = await t.request('GET', `/api/track/${code}`);
    expect(track.statusCode, track.body).toBe(200);
    expect(track.json<{ timeline: { type: string }[] }>().timeline.map((e) => e.type)).toEqual(['submitted', 'split_from']);
    const relogin = await t.request('POST', '/api/auth/login', { body: { login: citizen.phone, password: 'Passw0rd!' } });
    const mine = await t.request('GET', '/api/my/cases', { cookie: cookieOf(relogin) });
    expect(mine.body).toContain(res.newCaseId);
    const linksAfter = (await t.request('GET', `/api/office/cases/${origId}/repeats`, { cookie: acceptor })).json<{ items: { id: string; staffVerdict: string | null; repeatedBy: string | null }[] }>().items;
    expect(linksAfter.find((i) => i.id === link.id)).toMatchObject({ staffVerdict: 'split', repeatedBy: res.newCaseId });

    // A second split of the same message is 409, and writes nothing.
    const again2 = await t.request('POST', url, { cookie: acceptor, body: {} });
    expect(again2.statusCode).toBe(409);
    expect(again2.json<{ error: { code: string } }>().error.code).toBe('already_split');
    const verify = await t.request('GET', `/api/office/cases/${res.newCaseId}`, { cookie: acceptor });
    expect(verify.statusCode).toBe(200);
  });
});
