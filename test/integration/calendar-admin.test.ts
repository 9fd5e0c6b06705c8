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

  it('recomputes every clock of open cases (退回、复查/复核 windows and decisions), previews first, records a summary', async () => {
    t.setNow('2029-03-01T02:00:00Z'); // Thursday
    const staff = Object.fromEntries(await Promise.all(['zd.acceptor', 'zd.dispatcher', 'zd.handler', 'zd.supervisor'].map(async (u) => [u, await t.staff(u)] as const)));
    const ok = async (id: string, who: string, action: string, body: Record<string, unknown> = {}) => {
      const r = await act(t, staff[who]!, id, action, body);
      expect(r.statusCode, `${action}: ${r.body}`).toBe(200);
    };
    const make = async (upTo: 'assigned' | 'replied' | 'under_review' | 'reviewed') => {
      const c = await newCase(t);
      await ok(c.id, 'zd.acceptor', 'accept');
      await ok(c.id, 'zd.dispatcher', 'assign', { unitId: '130123-zj' });
      if (upTo === 'assigned') return c.id;
      await ok(c.id, 'zd.handler', 'sign');
      await ok(c.id, 'zd.handler', 'reply', { text: '经核查，已责令用工单位于本月底前足额支付工资。' });
      if (upTo === 'replied') return c.id;
      expect((await t.request('POST', `/api/cases/${c.id}/review-request`, { cookie: c.citizen.cookie, body: { reason: '工资至今仍未支付到位' } })).statusCode).toBe(201);
      if (upTo === 'under_review') return c.id;
      await ok(c.id, 'zd.supervisor', 'review-decision', { outcome: 'upheld', text: '经复查，原答复意见认定事实清楚，处理恰当，予以维持。' });
      return c.id;
    };
    const ids = { assigned: await make('assigned'), replied: await make('replied'), under_review: await make('under_review'), reviewed: await make('reviewed') };
    const cols = ['state', 'due_return', 'due_reply', 'due_review_request', 'due_review_decision'] as const;
    const read = async (id: string) => t.ctx.store.db.selectFrom('case_file').select([...cols]).where('id', '=', id).executeTakeFirstOrThrow();
    expect(await read(ids.assigned)).toMatchObject({ state: 'assigned', due_return: '2029-03-08', due_reply: '2029-04-30' });
    // 30 days from 03-01 is Saturday 03-31: the periods end on Monday 04-02.
    expect(await read(ids.replied)).toMatchObject({ state: 'replied', due_review_request: '2029-04-02' });
    expect(await read(ids.under_review)).toMatchObject({ state: 'under_review', due_review_decision: '2029-04-02' });
    expect(await read(ids.reviewed)).toMatchObject({ state: 'reviewed', due_review_request: '2029-04-02' });

    // 2029 with 03-05 and 04-02 off: every one of the four moves by a day.
    const body = { year: 2029, source: '测试用 2029 年安排', days: [{ date: '2029-03-05', kind: 'holiday', note: '测试假日' }, { date: '2029-04-02', kind: 'holiday', note: '清明节' }] };
    const pv = await t.request('POST', '/api/admin/calendar/years?preview=true', { cookie: await admin(), body });
    expect(pv.statusCode, pv.body).toBe(200);
    type Out = { applied: boolean; changeId: number | null; dayChanges: { date: string; from: string; to: string }[]; summary: { moved: number; byColumn: Record<string, number> }; moved: { caseId: string; caseNo: string; changes: Record<string, { from: string; to: string }> }[] };
    const preview = pv.json<Out>();
    expect(preview.applied).toBe(false);
    expect(preview.dayChanges).toEqual([
      { date: '2029-03-05', from: 'workday', to: 'rest', note: '测试假日' },
      { date: '2029-04-02', from: 'workday', to: 'rest', note: '清明节' },
    ]);
    const expectedMoves = {
      [ids.assigned]: { due_return: { from: '2029-03-08', to: '2029-03-09' } },
      [ids.replied]: { due_review_request: { from: '2029-04-02', to: '2029-04-03' } },
      [ids.under_review]: { due_review_decision: { from: '2029-04-02', to: '2029-04-03' } },
      [ids.reviewed]: { due_review_request: { from: '2029-04-02', to: '2029-04-03' } },
    };
    expect(Object.fromEntries(preview.moved.map((m) => [m.caseId, m.changes]))).toEqual(expectedMoves);
    expect(preview.summary).toMatchObject({ moved: 4, byColumn: { due_return: 1, due_review_request: 2, due_review_decision: 1 } });
    // Nothing written by the preview.
    expect(await read(ids.assigned)).toMatchObject({ due_return: '2029-03-08' });
    expect(t.ctx.calendar.isWorkday('2029-03-05')).toBe(true);
    expect(await t.ctx.store.db.selectFrom('case_event').select('seq').where('case_id', '=', ids.replied).where('type', '=', 'deadlines_recomputed').execute()).toEqual([]);

    const r = await t.request('POST', '/api/admin/calendar/years', { cookie: await admin(), body });
    expect(r.statusCode, r.body).toBe(201);
    const out = r.json<Out>();
    expect(out.applied).toBe(true);
    expect(Object.fromEntries(out.moved.map((m) => [m.caseId, m.changes]))).toEqual(expectedMoves);
    expect(await read(ids.assigned)).toMatchObject({ due_return: '2029-03-09', due_reply: '2029-04-30' });
    expect(await read(ids.replied)).toMatchObject({ due_review_request: '2029-04-03' });
    expect(await read(ids.under_review)).toMatchObject({ due_review_decision: '2029-04-03' });
    expect(await read(ids.reviewed)).toMatchObject({ due_review_request: '2029-04-03' });
    for (const [id, changes] of Object.entries(expectedMoves)) {
      const ev = await t.ctx.store.db.selectFrom('case_event').select('payload').where('case_id', '=', id).where('type', '=', 'deadlines_recomputed').execute();
      expect(ev).toHaveLength(1);
      expect(JSON.parse(ev[0]!.payload)).toMatchObject({ changes, source: '测试用 2029 年安排' });
    }
    // The admin's record of the change.
    const changes = await t.request('GET', '/api/admin/calendar/changes', { cookie: await admin() });
    expect(changes.statusCode).toBe(200);
    const last = changes.json<{ items: { id: number; kind: string; year: number; casesMoved: number; daysChanged: number; byColumn: Record<string, number>; cases: { caseId: string }[] }[] }>().items[0]!;
    expect(last).toMatchObject({ id: out.changeId, kind: 'year', year: 2029, casesMoved: 4, daysChanged: 2, byColumn: { due_return: 1, due_review_request: 2, due_review_decision: 1 } });
    expect(last.cases.map((c) => c.caseId).sort()).toEqual(Object.values(ids).sort());
    // Importing the same year again moves nothing.
    const again = await t.request('POST', '/api/admin/calendar/years', { cookie: await admin(), body });
    expect(again.json<Out>()).toMatchObject({ dayChanges: [], summary: { moved: 0 } });
    // The year's calendar as the office page shows it; staff without admin.calendar may not read or change it.
    const y = await t.request('GET', '/api/admin/calendar/years/2029', { cookie: await admin() });
    const view = y.json<{ covered: boolean; source: string; days: { date: string; workday: boolean; kind: string | null; note: string | null; origin: string | null }[] }>();
    expect(view).toMatchObject({ covered: true, source: '测试用 2029 年安排' });
    expect(view.days).toHaveLength(365);
    expect(view.days.find((d) => d.date === '2029-04-02')).toEqual({ date: '2029-04-02', workday: false, kind: 'holiday', note: '清明节', origin: 'imported' });
    expect(view.days.find((d) => d.date === '2029-04-03')).toMatchObject({ workday: true, kind: null, origin: null });
    const acceptor = staff['zd.acceptor']!;
    for (const [m, u] of [['GET', '/api/admin/calendar/years/2029'], ['GET', '/api/admin/calendar/changes'], ['PUT', '/api/admin/calendar/days/2029-03-06']] as const) {
      expect((await t.request(m, u, { cookie: acceptor, ...(m === 'PUT' ? { body: { kind: 'holiday' } } : {}) })).statusCode).toBe(403);
    }
    expect((await t.request('GET', '/api/admin/calendar/years/1999', { cookie: await admin() })).statusCode).toBe(400);
  });

  it('imports an .ics calendar, previewing first; malformed files get a Chinese error and change nothing', async () => {
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Xinfang test//CN',
      'BEGIN:VEVENT',
      'DTSTART;VALUE=DATE:20300204',
      'DTEND;VALUE=DATE:20300209',
      'SUMMARY:春节',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'DTSTART;VALUE=DATE:20300209',
      'DTEND;VALUE=DATE:20300210',
      'SUMMARY:春节调休上班',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'DTSTART;VALUE=DATE:20310101',
      'SUMMARY:元旦',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const pv = await t.request('POST', '/api/admin/calendar/ics?preview=1', { cookie: await admin(), body: { year: 2030, ics } });
    expect(pv.statusCode, pv.body).toBe(200);
    expect(pv.json()).toMatchObject({ applied: false, days: 6, ignoredDays: 1 });
    expect(pv.json<{ dayChanges: { date: string; to: string }[] }>().dayChanges.map((d) => `${d.date}:${d.to}`)).toEqual([
      '2030-02-04:rest',
      '2030-02-05:rest',
      '2030-02-06:rest',
      '2030-02-07:rest',
      '2030-02-08:rest',
      '2030-02-09:workday',
    ]);
    expect(t.ctx.calendar.isCovered(2030)).toBe(false);
    const r = await t.request('POST', '/api/admin/calendar/ics', { cookie: await admin(), body: { year: 2030, source: '2030 年节假日 .ics', ics } });
    expect(r.statusCode, r.body).toBe(201);
    expect(t.ctx.calendar.isCovered(2030)).toBe(true);
    expect(t.ctx.calendar.isWorkday('2030-02-09')).toBe(true); // a Saturday made a workday
    expect(t.ctx.calendar.isWorkday('2030-02-05')).toBe(false);

    const bad = async (body: Record<string, unknown>, msg: string) => {
      const b = await t.request('POST', '/api/admin/calendar/ics', { cookie: await admin(), body });
      expect(b.statusCode, b.body).toBe(400);
      expect(b.body).toContain(msg);
    };
    await bad({ year: 2032, ics: ics.replace('DTSTART;VALUE=DATE:20300204', 'DTSTART;VALUE=DATE:2030-02-04') }, '第 5 行');
    await bad({ year: 2032, ics: 'BEGIN:VCARD\r\nEND:VCARD' }, '不是 iCalendar');
    await bad({ year: 2032, ics }, '没有 2032 年的节假日');
    await bad({ year: 2032 }, '请上传 .ics 日历文件');
    expect(t.ctx.calendar.isCovered(2032)).toBe(false);
    expect((await t.request('POST', '/api/admin/calendar/ics', { cookie: await t.staff('zd.acceptor'), body: { year: 2032, ics } })).statusCode).toBe(403);
  });
});
