import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, cookieOf, databases, newCase, startTestApp, type TestApp } from '../support/harness.js';
import { demoPassword } from '../../src/services/seed.service.js';
import { totpAt } from '../../src/security/totp.js';

describe.each(databases)('calendar administration (%s)', (kind) => {
  let t: TestApp;
  let secret = '';
  const admin = async () => {
    if (!secret) {
      const c = await t.staff('prov.admin');
      secret = (await t.request('POST', '/api/me/totp/setup', { cookie: c, body: {} })).json<{ secret: string }>().secret;
      expect((await t.request('POST', '/api/me/totp/enable', { cookie: c, body: { code: totpAt(secret, t.ctx.clock.now()) } })).statusCode).toBe(200);
      return c;
    }
    t.setNow(new Date(t.ctx.clock.now().getTime() + 31_000).toISOString());
    return cookieOf(await t.request('POST', '/api/auth/login', { body: { login: 'prov.admin', password: demoPassword, totp: totpAt(secret, t.ctx.clock.now()) } }));
  };
  beforeAll(async () => {
    t = await startTestApp(kind, { now: '2026-10-20T02:00:00Z' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('warns from 1 November while next year has no holiday data', async () => {
    const staff = await t.staff('zd.acceptor');
    expect((await t.request('GET', '/api/office/notices', { cookie: staff })).json()).toMatchObject({ calendarMissingYear: null });
    t.setNow('2026-11-01T02:00:00Z');
    const s2 = await t.staff('zd.acceptor');
    const covered = t.ctx.calendar.isCovered(2027);
    expect((await t.request('GET', '/api/office/notices', { cookie: s2 })).json()).toMatchObject({ calendarMissingYear: covered ? null : 2027 });
    expect((await t.request('GET', '/api/office/notices')).statusCode).toBe(401);
  });

  it('an import recomputes open cases and records what moved; only admins may import', async () => {
    t.setNow('2026-12-28T02:00:00Z'); // Monday
    const { id } = await newCase(t);
    const acceptor = await t.staff('zd.acceptor');
    expect((await act(t, acceptor, id, 'accept')).statusCode).toBe(200);
    const before = await t.ctx.store.db.selectFrom('case_file').select(['due_assign', 'due_reply']).where('id', '=', id).executeTakeFirstOrThrow();
    // A fictitious notice: 2027-01-04…08 off. The 5-working-day assignment clock moves past them.
    const body = { year: 2027, source: '测试用节假日安排', days: ['2027-01-04', '2027-01-05', '2027-01-06', '2027-01-07', '2027-01-08'].map((date) => ({ date, kind: 'holiday' })) };
    expect((await t.request('POST', '/api/admin/calendar/years', { cookie: acceptor, body })).statusCode).toBe(403);
    const r = await t.request('POST', '/api/admin/calendar/years', { cookie: await admin(), body });
    expect(r.statusCode, r.body).toBe(201);
    const out = r.json<{ year: number; moved: { caseId: string; changes: Record<string, { from: string; to: string }> }[] }>();
    const mine = out.moved.find((m) => m.caseId === id);
    expect(mine?.changes.due_assign).toEqual({ from: before.due_assign, to: '2027-01-11' });
    const ev = await t.ctx.store.db.selectFrom('case_event').select(['type', 'visibility', 'actor_kind']).where('case_id', '=', id).where('type', '=', 'deadlines_recomputed').execute();
    expect(ev).toEqual([{ type: 'deadlines_recomputed', visibility: 'internal', actor_kind: 'system' }]);
    expect(t.ctx.calendar.isCovered(2027)).toBe(true);
    // A single day back to normal moves it again.
    const d = await t.request('PUT', '/api/admin/calendar/days/2027-01-08', { cookie: await admin(), body: { kind: 'default' } });
    expect(d.statusCode, d.body).toBe(200);
    const row = await t.ctx.store.db.selectFrom('case_file').select('due_assign').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.due_assign).toBe('2027-01-08');
  });

  it('imports the notice typed as a table', async () => {
    const text = '元旦 2028-01-01至2028-01-03 放假\n春节 2028-01-25至2028-01-31 放假 2028-01-23上班、2028-02-05上班';
    const r = await t.request('POST', '/api/admin/calendar/notice', { cookie: await admin(), body: { year: 2028, source: '测试通知', text } });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ year: 2028, days: 12 });
    expect(t.ctx.calendar.isWorkday('2028-01-23')).toBe(true);
    expect(t.ctx.calendar.isWorkday('2028-01-26')).toBe(false);
    const bad = await t.request('POST', '/api/admin/calendar/notice', { cookie: await admin(), body: { year: 2028, source: '测试通知', text: '春节 正月初一' } });
    expect(bad.statusCode).toBe(400);
  });
});
