/**
 * Web hardening: CSRF header on cookie-authenticated writes, security headers and CSP, no-store on
 * personal answers, request limits on login, registration, submission and tracking (with failed
 * tracking lookups limited so query codes cannot be enumerated).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, newCase, newCaseBody, startTestApp, type TestApp } from '../support/harness.js';
import { makeIdNumber } from '../../src/domain/id-number.js';

/** Distinct matters, so no submission looks like a repeat of another. */
const matters = [
  { categoryCode: 'environment', title: '化工厂夜间排放刺鼻气体', content: '村东化工厂每天夜里排放刺鼻气体，村民头晕咳嗽，请求环保部门查处。' },
  { categoryCode: 'education', title: '学校违规收取补课费用', content: '某中学要求学生周末到校补课，每人每月收取八百元，家长负担很重。' },
  { categoryCode: 'transport', title: '公交线路停运无人告知', content: '十二路公交车上月突然停运，沿线几个村的老人无法进城看病。' },
  { categoryCode: 'construction', title: '小区电梯长期停运', content: '我们小区五号楼电梯停运两个月，物业以维修资金不足为由一直拖延。' },
  { categoryCode: 'labour', title: '超市拖欠员工社保', content: '本人在某超市工作两年，单位一直未缴纳社会保险，要求补缴。' },
];

describe.each(databases)('web hardening (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses a cookie-authenticated write without the X-Requested-With header (403 csrf), and changes nothing', async () => {
    const { id, citizen } = await newCase(t);
    const count = async () => Number((await t.ctx.store.db.selectFrom('case_file').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const r = await t.request('POST', '/api/cases', { cookie: citizen.cookie, body: newCaseBody(), csrf: false });
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({ error: { code: 'csrf' } });
    const wrong = await t.request('POST', '/api/cases', { cookie: citizen.cookie, body: newCaseBody(), csrf: false, headers: { 'x-requested-with': 'XMLHttpRequest' } });
    expect(wrong.statusCode).toBe(403);
    expect((await t.request('POST', `/api/cases/${id}/messages`, { cookie: citizen.cookie, body: { text: '跨站留言' }, csrf: false })).statusCode).toBe(403);
    expect((await t.request('POST', `/api/cases/${id}/withdraw`, { cookie: citizen.cookie, body: {}, csrf: false })).statusCode).toBe(403);
    const staff = await t.staff('zd.acceptor');
    expect((await t.request('POST', `/api/office/cases/${id}/actions/accept`, { cookie: staff, body: {}, csrf: false })).statusCode).toBe(403);
    expect((await t.request('POST', '/api/auth/logout', { cookie: staff, csrf: false })).statusCode).toBe(403);
    expect(await count()).toBe(before);
    expect((await t.request('GET', `/api/office/cases/${id}`, { cookie: staff })).json()).toMatchObject({ state: 'submitted' });
    // With the header the same write passes; reads never need it; a write without any cookie is not a CSRF target.
    expect((await t.request('POST', '/api/cases', { cookie: citizen.cookie, body: newCaseBody(matters[0]) })).statusCode).toBe(201);
    expect((await t.request('GET', '/api/my/cases', { cookie: citizen.cookie, csrf: false })).statusCode).toBe(200);
    expect((await t.request('POST', '/api/auth/login', { body: { login: 'zd.acceptor', password: 'Xinfang@2026' }, csrf: false })).statusCode).toBe(200);
  });

  it('still refuses a foreign Origin even with the header', async () => {
    const c = await t.citizen();
    const r = await t.request('POST', '/api/cases', { cookie: c.cookie, body: newCaseBody(), headers: { origin: 'https://evil.example' } });
    expect(r.statusCode).toBe(403);
  });

  it('sends security headers and a strict CSP on the API and the pages', async () => {
    for (const url of ['/api/health', '/', '/office', '/api/me']) {
      const r = await t.request('GET', url);
      const csp = String(r.headers['content-security-policy']);
      expect(csp, url).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      expect(r.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(r.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('marks personal answers Cache-Control: no-store, and leaves public ones cacheable', async () => {
    const { id, queryCode, citizen } = await newCase(t);
    const staff = await t.staff('zd.acceptor');
    const personal: [string, string][] = [
      ['/api/me', citizen.cookie],
      ['/api/my/cases', citizen.cookie],
      [`/api/my/cases/${id}`, citizen.cookie],
      [`/api/track/${queryCode}`, ''],
      ['/api/office/cases', staff],
      [`/api/office/cases/${id}`, staff],
      ['/api/office/units', staff],
      ['/api/me/security', staff],
    ];
    for (const [url, cookie] of personal) {
      const r = await t.request('GET', url, cookie ? { cookie } : {});
      expect(r.statusCode, url).toBe(200);
      expect(r.headers['cache-control'], url).toMatch(/no-store/);
    }
    // Errors on personal routes are not cached either.
    expect((await t.request('GET', '/api/me')).headers['cache-control']).toMatch(/no-store/);
    expect((await t.request('GET', '/api/public/sunshine')).headers['cache-control']).not.toMatch(/no-store/);
  });
});

describe.each(databases)('request limits (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, {
      env: { XINFANG_RATE_LIMIT: '1', XINFANG_RATE_REGISTER: '3', XINFANG_RATE_SUBMIT: '3', XINFANG_RATE_TRACK: '200', XINFANG_RATE_TRACK_FAILURES: '5', XINFANG_RATE_LOGIN: '4' },
    });
  });
  afterAll(async () => {
    await t.close();
  });
  const from = (ip: string, method: 'GET' | 'POST', url: string, o: { payload?: object; cookie?: string } = {}) =>
    t.app.inject({ method, url, remoteAddress: ip, ...(o.payload ? { payload: o.payload } : {}), headers: o.cookie ? { cookie: o.cookie } : {} });

  const expect429 = (r: { statusCode: number; json: <T>() => T; headers: Record<string, unknown> }) => {
    expect(r.statusCode).toBe(429);
    expect(r.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/请求过于频繁，请于 \d+ 秒后再试/) });
  };

  it('limits registrations per address per hour', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await from('10.1.0.1', 'POST', '/api/auth/register', { payload: { name: '钱多多', idNumber: makeIdNumber('130123', '19900101', String(100 + i)), phone: `1370000000${i}`, password: 'Passw0rd!' } });
      expect(r.statusCode, r.body).toBe(201);
    }
    expect429(await from('10.1.0.1', 'POST', '/api/auth/register', { payload: { name: '钱多多', idNumber: makeIdNumber('130123', '19900101', '200'), phone: '13700000009', password: 'Passw0rd!' } }));
    // Another address is not affected.
    expect((await from('10.1.0.2', 'POST', '/api/auth/register', { payload: { name: '钱多多', idNumber: makeIdNumber('130123', '19900101', '201'), phone: '13700000010', password: 'Passw0rd!' } })).statusCode).toBe(201);
  });

  it('limits login attempts and submissions per address per minute', async () => {
    for (let i = 0; i < 4; i++) expect((await from('10.1.1.1', 'POST', '/api/auth/login', { payload: { login: 'zd.acceptor', password: 'Xinfang@2026' } })).statusCode).toBe(200);
    expect429(await from('10.1.1.1', 'POST', '/api/auth/login', { payload: { login: 'zd.acceptor', password: 'Xinfang@2026' } }));
    const c = await t.citizen();
    for (let i = 0; i < 3; i++) expect((await from('10.1.1.2', 'POST', '/api/cases', { payload: newCaseBody(matters[i + 1]), cookie: c.cookie })).statusCode).toBe(201);
    const r = await from('10.1.1.2', 'POST', '/api/cases', { payload: newCaseBody(matters[4]), cookie: c.cookie });
    expect429(r);
    expect(r.headers['retry-after']).toBeDefined();
  });

  it('stops guessing query codes: after 5 failed lookups the address gets 429 even for a real code', async () => {
    const { queryCode } = await newCase(t);
    expect((await from('10.1.2.1', 'GET', `/api/track/${queryCode}`)).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) {
      const guess = `AAAA-BBBB-CCCC-${String(1000 + i)}`.replace(/\d/g, (d) => 'DEFGHJKMNP'[Number(d)]!);
      expect([400, 404]).toContain((await from('10.1.2.1', 'GET', `/api/track/${guess}`)).statusCode);
    }
    expect429(await from('10.1.2.1', 'GET', `/api/track/${queryCode}`));
    expect((await from('10.1.2.2', 'GET', `/api/track/${queryCode}`)).statusCode).toBe(200);
    // The window passes.
    t.setNow(new Date(t.ctx.clock.now().getTime() + 16 * 60_000).toISOString());
    expect((await from('10.1.2.1', 'GET', `/api/track/${queryCode}`)).statusCode).toBe(200);
  });
});

describe('request limits switched off (XINFANG_RATE_LIMIT=0)', () => {
  it('lets the bench hammer tracking from one address', async () => {
    const t = await startTestApp('sqlite', { env: { XINFANG_RATE_LIMIT: '0', XINFANG_RATE_TRACK: '2', XINFANG_RATE_TRACK_FAILURES: '1' } });
    try {
      for (let i = 0; i < 5; i++) expect((await t.request('GET', '/api/track/AAAA-BBBB-CCCC-DDDD')).statusCode).toBe(404);
    } finally {
      await t.close();
    }
  });
});
