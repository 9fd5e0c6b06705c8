/**
 * Petitioner-only acts: by the petitioner's own session or by a one-time code sent to the phone on
 * file. Every staff demo role (admin included) tries every such route and gets 403 with no event
 * written; codes are single use, expire after 10 minutes, are rate-limited and burn after 5 wrong
 * tries; "这不是我签的" opens a supervision at the bureau one level up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, databases, newCase, startTestApp, type TestApp } from '../support/harness.js';
import { demoRoles, demoSites } from '../../src/services/seed.service.js';
import { enteredVisit, signedAtHousingBureau, trackingCode } from '../support/otp.js';

const petitionerEvents = ['receipt_confirmed', 'evaluated', 'review_requested', 'document_signed', 'signature_disputed'];

describe.each(databases)('petitioner-only acts and one-time codes (%s)', (kind) => {
  let t: TestApp;
  const staff: Record<string, string> = {};
  /** Moves the clock and logs every demo staff account in again (sessions time out). */
  async function at(iso: string) {
    t.setNow(iso);
    for (const site of demoSites) for (const role of demoRoles) {
      const u = `${site.prefix}.${role}`;
      staff[u] = await t.staff(u);
    }
  }
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => {
    await t.close();
  });

  const db = () => t.ctx.store.db;
  const events = async (caseId: string) => db().selectFrom('case_event').selectAll().where('case_id', '=', caseId).orderBy('seq').execute();
  const code = (queryCode: string, caseId: string) => trackingCode(t, queryCode, caseId);
  /** A staff-entered visit (petitioner without an account), accepted, assigned and signed for. */
  const enteredCase = () =>
    enteredVisit(t, staff, { name: '李秀英', phone: '13812345678', address: '正定县城关镇常山路 8 号', title: '物流公司拖欠搬运工工资', content: '来访人称在某物流公司做搬运工两个月，工资六千元至今未发，请求督促支付。' });

  it('a petitioner without an account signs, confirms, evaluates and requests review by one-time code', async () => {
    await at('2026-03-02T02:00:00Z');
    const c = await enteredCase();
    const s = await t.request('POST', `/api/track/${c.queryCode}/documents/${c.letterId}/sign`, { body: { otp: await code(c.queryCode, c.id) } });
    expect(s.statusCode, s.body).toBe(200);
    expect((await act(t, staff['zd.handler']!, c.id, 'reply', { text: '经核查，工资已督促支付完毕，特此答复。' })).statusCode).toBe(200);
    const cr = await t.request('POST', `/api/track/${c.queryCode}/confirm-receipt`, { body: { otp: await code(c.queryCode, c.id) } });
    expect(cr.statusCode, cr.body).toBe(200);
    const ev = await t.request('POST', `/api/track/${c.queryCode}/evaluation`, { body: { otp: await code(c.queryCode, c.id), rating: 'dissatisfied' } });
    expect(ev.statusCode, ev.body).toBe(201);
    const rr = await t.request('POST', `/api/track/${c.queryCode}/review-request`, { body: { otp: await code(c.queryCode, c.id), reason: '答复与事实不符，工资并未支付' } });
    expect(rr.statusCode, rr.body).toBe(201);
    const types = (await events(c.id)).filter((e) => e.actor_kind === 'citizen').map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['document_signed', 'receipt_confirmed', 'evaluated', 'review_requested']));
    // Codes are stored only as keyed hashes.
    const rows = await db().selectFrom('otp_code').selectAll().where('case_id', '=', c.id).execute();
    expect(rows.length).toBe(4);
    expect(rows.every((r) => r.status === 'used' && !/^\d{6}$/.test(r.code_hash))).toBe(true);
  });

  it('a code is single use, expires after 10 minutes, burns after 5 wrong tries, and at most 5 are sent per hour', async () => {
    await at('2026-03-05T02:00:00Z');
    const c = await enteredCase();
    const url = `/api/track/${c.queryCode}/documents/${c.letterId}/sign`;
    // Replay: the first use signs, the second is refused.
    const first = await code(c.queryCode, c.id);
    const stale = await code(c.queryCode, c.id); // supersedes the first
    expect((await t.request('POST', url, { body: { otp: first } })).statusCode).toBe(403);
    // Expiry.
    t.setNow('2026-03-05T02:11:00Z');
    expect((await t.request('POST', url, { body: { otp: stale } })).json<{ error: { code: string } }>().error.code).toBe('otp_invalid');
    // Five wrong tries burn the code: the right one no longer works.
    const good = await code(c.queryCode, c.id);
    const wrong = good === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++) expect((await t.request('POST', url, { body: { otp: wrong } })).json<{ error: { code: string } }>().error.code).toBe('otp_invalid');
    expect((await t.request('POST', url, { body: { otp: wrong } })).json<{ error: { code: string } }>().error.code).toBe('otp_burned');
    expect((await t.request('POST', url, { body: { otp: good } })).statusCode).toBe(403);
    // Rate limit: 3 codes so far this hour → 2 more, then 429.
    const a = await code(c.queryCode, c.id);
    await code(c.queryCode, c.id);
    expect((await t.request('POST', `/api/track/${c.queryCode}/otp`)).statusCode).toBe(429);
    expect(a).toMatch(/^\d{6}$/);
    const signed = (await events(c.id)).filter((e) => e.type === 'document_signed');
    expect(signed).toEqual([]);
    // A new hour: a fresh code works once, and its replay is refused.
    t.setNow('2026-03-05T03:30:00Z');
    const ok = await code(c.queryCode, c.id);
    expect((await t.request('POST', url, { body: { otp: ok } })).statusCode).toBe(200);
    expect((await t.request('POST', url, { body: { otp: ok } })).statusCode).toBe(403);
    expect((await events(c.id)).filter((e) => e.type === 'document_signed')).toHaveLength(1);
  });

  it('no staff role, admin included, can produce a petitioner-only event by session or by code', async () => {
    await at('2026-03-10T02:00:00Z');
    const { id, queryCode, citizen } = await newCase(t);
    for (const [u, a, b] of [
      ['zd.acceptor', 'accept', {}],
      ['zd.dispatcher', 'assign', { unitId: '130123-zj' }],
      ['zd.handler', 'sign', {}],
      ['zd.handler', 'reply', { text: '经核查，问题已经解决，特此答复。' }],
    ] as const) {
      expect((await act(t, staff[u]!, id, a, b)).statusCode).toBe(200);
    }
    const docs = await t.request('GET', `/api/cases/${id}/documents`, { cookie: citizen.cookie });
    expect(docs.statusCode, docs.body).toBe(200);
    const letter = docs.json<{ items: { id: string; kind: string }[] }>().items.find((d) => d.kind === 'responsibility_letter')!;
    const before = (await events(id)).length;
    const routes: [string, unknown][] = [
      [`/api/cases/${id}/confirm-receipt`, undefined],
      [`/api/cases/${id}/evaluation`, { rating: 'satisfied' }],
      [`/api/cases/${id}/review-request`, { reason: '答复与事实不符，请复查' }],
      [`/api/cases/${id}/documents/${letter.id}/sign`, {}],
      [`/api/cases/${id}/documents/${letter.id}/dispute`, { reason: '我从未签过这份责任书' }],
    ];
    let tries = 0;
    for (const cookie of Object.values(staff)) {
      for (const [url, body] of routes) {
        const r = await t.request('POST', url, { cookie, ...(body !== undefined ? { body } : {}) });
        expect(r.statusCode, `${url} ${r.body}`).toBe(403);
        tries++;
      }
      // Staff holding a session get nothing from the code routes without the petitioner's code.
      for (const [path, body] of [
        ['confirm-receipt', {}],
        ['evaluation', { rating: 'satisfied' }],
        ['review-request', { reason: '答复与事实不符，请复查' }],
        [`documents/${letter.id}/sign`, {}],
        [`documents/${letter.id}/dispute`, { reason: '我从未签过这份责任书' }],
      ] as const) {
        const r = await t.request('POST', `/api/track/${queryCode}/${path}`, { cookie, body: { ...body, otp: '123456' } });
        expect(r.statusCode, r.body).toBe(403);
      }
    }
    expect(tries).toBe(Object.keys(staff).length * routes.length);
    expect(Object.keys(staff)).toContain('prov.admin');
    const after = await events(id);
    expect(after.length).toBe(before);
    expect(after.filter((e) => petitionerEvents.includes(e.type))).toEqual([]);
    // The petitioner's own session can.
    expect((await t.request('POST', `/api/cases/${id}/confirm-receipt`, { cookie: citizen.cookie })).statusCode).toBe(200);
  });

  it('"这不是我签的" records a public event and opens supervision at the bureau one level up', async () => {
    await at('2026-03-12T02:00:00Z');
    const { id, citizen, queryCode } = await newCase(t);
    await signedAtHousingBureau(t, staff, id);
    const docs = await t.request('GET', `/api/cases/${id}/documents`, { cookie: citizen.cookie });
    const letter = docs.json<{ items: { id: string; kind: string }[] }>().items.find((d) => d.kind === 'responsibility_letter')!;
    const r = await t.request('POST', `/api/cases/${id}/documents/${letter.id}/dispute`, { cookie: citizen.cookie, body: { reason: '这不是我签的，我从未见过这份责任书' } });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ unitId: '130100-xfj' });
    const ev = await events(id);
    expect(ev.find((e) => e.type === 'signature_disputed')).toMatchObject({ visibility: 'public', actor_kind: 'citizen' });
    expect(ev.find((e) => e.type === 'supervised' && e.payload.includes('signature_dispute'))).toMatchObject({ visibility: 'internal' });
    const sup = await db().selectFrom('supervision').selectAll().where('case_id', '=', id).executeTakeFirstOrThrow();
    expect(sup).toMatchObject({ unit_id: '130100-xfj', status: 'open', document_id: letter.id });
    const list = await t.request('GET', '/api/office/supervisions', { cookie: staff['sjz.supervisor'] });
    expect(list.statusCode).toBe(200);
    expect(list.json<{ items: { caseId: string }[] }>().items.map((i) => i.caseId)).toContain(id);
    const county = await t.request('GET', '/api/office/supervisions', { cookie: staff['zd.supervisor'] });
    expect(county.json<{ items: { caseId: string }[] }>().items.map((i) => i.caseId)).not.toContain(id);
    expect((await t.request('GET', '/api/office/supervisions', { cookie: staff['sjz.registrar'] })).statusCode).toBe(403);
    // The public tracking page shows the dispute, not the internal supervision record.
    const track = await t.request('GET', `/api/track/${queryCode}`);
    expect(track.body).toContain('不是本人所签');
    expect(track.body).not.toContain(sup.id);
  });
});
