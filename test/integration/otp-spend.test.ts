/**
 * A one-time code is spent in the same transaction as the act it authorises: an act refused
 * because the case moved on (409) leaves the code usable; a committed act spends it for good; two
 * parallel acts with one code → exactly one succeeds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from '../support/harness.js';
import { enteredVisit, trackingCode } from '../support/otp.js';

describe.each(databases)('one-time codes are spent with the act (%s)', (kind) => {
  let t: TestApp;
  const staff: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestApp(kind);
    for (const u of ['zd.registrar', 'zd.acceptor', 'zd.dispatcher', 'zd.handler']) staff[u] = await t.staff(u);
  });
  afterAll(async () => {
    await t.close();
  });
  const db = () => t.ctx.store.db;
  const errorCode = (r: { json: <T>() => T }) => r.json<{ error: { code: string } }>().error.code;

  const code = (queryCode: string, caseId: string) => trackingCode(t, queryCode, caseId);
  const enteredCase = () =>
    enteredVisit(t, staff, { name: '赵建国', phone: '13812340001', address: '正定县城关镇燕赵南大街 3 号', title: '装修公司拖欠油漆工工资', content: '来访人称在某装修公司做油漆工三个月，工资九千元至今未发，请求督促支付。' });
  const count = async (caseId: string, type: string) =>
    (await db().selectFrom('case_event').select('type').where('case_id', '=', caseId).where('type', '=', type).execute()).length;

  it('a refused act (409) leaves the code usable; the committed act spends it and its replay is refused', async () => {
    const c = await enteredCase();
    const otp = await code(c.queryCode, c.id);
    // No reply yet: confirming receipt is refused by the case state, not by the code.
    const early = await t.request('POST', `/api/track/${c.queryCode}/confirm-receipt`, { body: { otp } });
    expect(early.statusCode, early.body).toBe(409);
    expect((await db().selectFrom('otp_code').select('status').where('case_id', '=', c.id).executeTakeFirstOrThrow()).status).toBe('active');
    // The same code still signs the letter…
    const sign = await t.request('POST', `/api/track/${c.queryCode}/documents/${c.letterId}/sign`, { body: { otp } });
    expect(sign.statusCode, sign.body).toBe(200);
    expect((await db().selectFrom('otp_code').select('status').where('case_id', '=', c.id).executeTakeFirstOrThrow()).status).toBe('used');
    // …and is then spent for good: an act that would otherwise succeed is refused with it.
    const replay = await t.request('POST', `/api/track/${c.queryCode}/documents/${c.letterId}/dispute`, { body: { otp, reason: '我要报告这份责任书的问题' } });
    expect(replay.statusCode, replay.body).toBe(403);
    expect(errorCode(replay)).toBe('otp_invalid');
    expect(await count(c.id, 'signature_disputed')).toBe(0);
  });

  it('two parallel acts with one code: exactly one succeeds', async () => {
    const c = await enteredCase();
    const otp = await code(c.queryCode, c.id);
    // A dispute may be raised more than once, so only the code stands between the two requests.
    const url = `/api/track/${c.queryCode}/documents/${c.letterId}/dispute`;
    const rs = await Promise.all([0, 1, 2].map((i) => t.request('POST', url, { body: { otp, reason: `这不是我签的（第 ${i + 1} 次提交）` } })));
    expect(rs.map((r) => r.statusCode).sort()).toEqual([201, 403, 403]);
    expect(rs.filter((r) => r.statusCode === 403).every((r) => errorCode(r) === 'otp_invalid')).toBe(true);
    expect(await count(c.id, 'signature_disputed')).toBe(1);
    expect(await db().selectFrom('supervision').select('id').where('case_id', '=', c.id).execute()).toHaveLength(1);
  });
});
