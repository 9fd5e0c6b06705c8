/**
 * Accounts and sessions: password rules, lockout, per-address login throttling, TOTP (required for
 * admins), session revocation on disable, idle and absolute timeouts, and the three separated admin
 * duties (系统管理员 / 安全管理员 / 审计员).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieOf, databases, newCase, startTestApp, type TestApp } from '../support/harness.js';
import { createStaff, demoPassword } from '../../src/services/seed.service.js';
import { totpAt } from '../../src/security/totp.js';
import { findAccountByUsername } from '../../src/store/account.repository.js';

const BASE = '2026-03-02T02:00:00Z';

describe.each(databases)('accounts and sessions (%s)', (kind) => {
  let t: TestApp;
  /** The client address of the next logins: tests that count failures per address use their own. */
  let ip = '10.0.0.1';
  const login = (loginName: string, password = demoPassword, extra: Record<string, unknown> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: loginName, password, ...extra }, remoteAddress: ip });
  const secrets = new Map<string, string>();
  const accountId = async (username: string) => (await findAccountByUsername(t.ctx.store.db, username))!.id;

  /** Enrols TOTP for a logged-in staff cookie; returns the secret. */
  async function enrol(cookie: string): Promise<string> {
    const s = await t.request('POST', '/api/me/totp/setup', { cookie, body: {} });
    expect(s.statusCode, s.body).toBe(200);
    const { secret, otpauthUri } = s.json<{ secret: string; otpauthUri: string }>();
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/.+\?secret=[A-Z2-7]+&issuer=.+&algorithm=SHA1&digits=6&period=30$/);
    const e = await t.request('POST', '/api/me/totp/enable', { cookie, body: { code: totpAt(secret, t.ctx.clock.now()) } });
    expect(e.statusCode, e.body).toBe(200);
    return secret;
  }
  /** Logs in an admin-duty account with its second factor. */
  async function adminLogin(username: string, secret: string): Promise<string> {
    t.setNow(new Date(t.ctx.clock.now().getTime() + 31_000).toISOString()); // a fresh step: codes are single-use
    const r = await login(username, demoPassword, { totp: totpAt(secret, t.ctx.clock.now()) });
    expect(r.statusCode, r.body).toBe(200);
    return cookieOf(r);
  }

  beforeAll(async () => {
    t = await startTestApp(kind, { now: BASE, env: { XINFANG_RATE_LIMIT: '1', XINFANG_RATE_LOGIN_FAILURES: '10', XINFANG_RATE_LOGIN: '1000', XINFANG_RATE_REGISTER: '1000' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('password rules: too short, one character class, too long are refused; the reason is named', async () => {
    for (const [pw, msg] of [['Ab1!', '至少 8 位'], ['abcdefghij', '至少两类'], ['1234567890', '至少两类'], [`Aa1!${'x'.repeat(130)}`, '不能超过']] as const) {
      const r = await t.request('POST', '/api/auth/register', { body: { name: '赵敏', idNumber: '11010519491231002X', phone: '13812340001', password: pw } });
      expect(r.statusCode, pw).toBe(400);
      expect(r.json<{ error: { fields: Record<string, string> } }>().error.fields.password).toContain(msg);
    }
  });

  it('locks a staff account after 5 wrong passwords (429 even with the right one), and the security admin unlocks it', async () => {
    ip = '10.0.0.2';
    const id = await createStaff(t.ctx, { username: 'lock.me', name: '锁定测试', unitId: '130123-xfj', roles: ['acceptor'], password: demoPassword });
    for (let i = 0; i < 4; i++) expect((await login('lock.me', 'Wrong-pass1')).statusCode).toBe(401);
    expect((await login('lock.me')).statusCode).toBe(200); // success resets the count
    for (let i = 0; i < 5; i++) expect((await login('lock.me', 'Wrong-pass1')).statusCode).toBe(401);
    const locked = await login('lock.me');
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ error: { code: 'locked' } });
    // The security admin (with TOTP) lifts the lock; the system admin cannot.
    const sec = await adminLogin('zd.security_admin', await secretOf('zd.security_admin'));
    const admin = await adminLogin('zd.admin', await secretOf('zd.admin'));
    expect((await t.request('POST', `/api/security/users/${id}/unlock`, { cookie: admin, body: {} })).statusCode).toBe(403);
    expect((await t.request('POST', `/api/security/users/${id}/unlock`, { cookie: sec, body: {} })).statusCode).toBe(200);
    expect((await login('lock.me')).statusCode).toBe(200);
    const log = await t.request('GET', '/api/security/log', { cookie: sec });
    expect(log.statusCode).toBe(200);
    expect(log.json<{ items: { kind: string; subjectId: string }[] }>().items).toContainEqual(expect.objectContaining({ kind: 'account_unlocked', subjectId: id }));
    expect((await t.request('GET', '/api/security/log', { cookie: admin })).statusCode).toBe(403);
  });

  it('throttles failed logins per client address across accounts (429 rate_limited), then lets it in after the window', async () => {
    t.setNow('2026-03-03T02:00:00Z');
    ip = '10.0.0.3';
    let last = 0;
    // 10 failures spread over different (unknown) names never lock an account, yet the address is throttled.
    for (let i = 0; i < 10; i++) last = (await login(`nobody.${i}`, 'Wrong-pass1')).statusCode;
    expect(last).toBe(401);
    const r = await login('zd.acceptor');
    expect(r.statusCode).toBe(429);
    expect(r.json()).toMatchObject({ error: { code: 'rate_limited' } });
    expect(r.json<{ error: { message: string } }>().error.message).toMatch(/请求过于频繁/);
    t.setNow('2026-03-03T02:16:00Z');
    expect((await login('zd.acceptor')).statusCode).toBe(200);
    ip = '10.0.0.1';
  });

  it('TOTP: a staff member enrols; login then needs a valid, unused code (totp_required / bad_totp)', async () => {
    t.setNow('2026-03-04T02:00:00Z');
    await createStaff(t.ctx, { username: 'totp.user', name: '口令测试', unitId: '130123-xfj', roles: ['acceptor'], password: demoPassword });
    const c = cookieOf(await login('totp.user'));
    expect((await t.request('GET', '/api/me/security', { cookie: c })).json()).toEqual({ totpRequired: false, totpEnabled: false });
    const setup = await t.request('POST', '/api/me/totp/setup', { cookie: c, body: {} });
    const { secret } = setup.json<{ secret: string }>();
    expect((await t.request('POST', '/api/me/totp/enable', { cookie: c, body: { code: '000000' === totpAt(secret, t.ctx.clock.now()) ? '111111' : '000000' } })).statusCode).toBe(400);
    expect((await t.request('POST', '/api/me/totp/enable', { cookie: c, body: { code: totpAt(secret, t.ctx.clock.now()) } })).statusCode).toBe(200);
    // The secret is stored encrypted.
    const row = await t.ctx.store.db.withTables<{ account_totp: { account_id: string; secret_enc: string } }>().selectFrom('account_totp').selectAll().where('account_id', '=', await accountId('totp.user')).executeTakeFirstOrThrow();
    expect(row.secret_enc).not.toContain(secret);
    expect(row.secret_enc).toMatch(/^[a-z0-9]+:/);

    const missing = await login('totp.user');
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toMatchObject({ error: { code: 'totp_required' } });
    expect(missing.cookies.find((x) => x.name === 'xf_session')).toBeUndefined();
    t.setNow('2026-03-04T02:01:00Z');
    const code = totpAt(secret, t.ctx.clock.now());
    const wrong = await login('totp.user', demoPassword, { totp: code === '123456' ? '654321' : '123456' });
    expect(wrong.json()).toMatchObject({ error: { code: 'bad_totp' } });
    expect((await login('totp.user', demoPassword, { totp: code })).statusCode).toBe(200);
    // The same code cannot log in twice (replay).
    expect((await login('totp.user', demoPassword, { totp: code })).json()).toMatchObject({ error: { code: 'bad_totp' } });
    // A code from two steps ago is refused; the next step's code works (±1 step).
    t.setNow('2026-03-04T02:02:00Z');
    expect((await login('totp.user', demoPassword, { totp: totpAt(secret, new Date('2026-03-04T02:01:00Z')) })).statusCode).toBe(401);
    expect((await login('totp.user', demoPassword, { totp: totpAt(secret, new Date('2026-03-04T02:02:30Z')) })).statusCode).toBe(200);
  });

  it('an admin without TOTP gets a session that reaches only the enrolment routes', async () => {
    t.setNow('2026-03-05T02:00:00Z');
    const c = cookieOf(await login('sjz.admin'));
    expect((await t.request('GET', '/api/me', { cookie: c })).statusCode).toBe(200);
    expect((await t.request('GET', '/api/me/security', { cookie: c })).json()).toEqual({ totpRequired: true, totpEnabled: false });
    const users = await t.request('GET', '/api/admin/users', { cookie: c });
    expect(users.statusCode).toBe(403);
    expect(users.json<{ error: { fields: Record<string, string> } }>().error.fields.totp).toBeTruthy();
    const secret = await enrol(c);
    secrets.set('sjz.admin', secret);
    expect((await t.request('GET', '/api/admin/users', { cookie: c })).statusCode).toBe(200);
    // From now on the password alone is not enough.
    expect((await login('sjz.admin')).json()).toMatchObject({ error: { code: 'totp_required' } });
    expect(await adminLogin('sjz.admin', secret)).toMatch(/^xf_session=/);
  });

  it('disabling an account revokes its sessions at once; only the system admin may, within the jurisdiction', async () => {
    t.setNow('2026-03-06T02:00:00Z');
    const victimId = await createStaff(t.ctx, { username: 'to.disable', name: '停用测试', unitId: '130123-xfj', roles: ['acceptor'], password: demoPassword });
    const victim = cookieOf(await login('to.disable'));
    const victim2 = cookieOf(await login('to.disable'));
    expect((await t.request('GET', '/api/me', { cookie: victim })).statusCode).toBe(200);
    const admin = await adminLogin('zd.admin', await enrolFresh('zd.admin'));
    const otherCounty = await adminLogin('sjz.admin', await secretOf('sjz.admin'));
    const acceptor = await t.staff('zd.acceptor');
    expect((await t.request('POST', `/api/admin/users/${victimId}/disable`, { cookie: acceptor, body: {} })).statusCode).toBe(403);
    const sec = await adminLogin('zd.security_admin', await secretOf('zd.security_admin'));
    expect((await t.request('POST', `/api/admin/users/${victimId}/disable`, { cookie: sec, body: {} })).statusCode).toBe(403);
    const changan = await createStaff(t.ctx, { username: 'ca.admin', name: '长安区管理员', unitId: '130102-xfj', roles: ['admin'], password: demoPassword });
    expect(changan).toBeTruthy();
    expect((await t.request('POST', `/api/admin/users/${await accountId('prov.acceptor')}/disable`, { cookie: admin, body: {} })).statusCode).toBe(404);
    expect(otherCounty).toMatch(/^xf_session=/);
    const ok = await t.request('POST', `/api/admin/users/${victimId}/disable`, { cookie: admin, body: {} });
    expect(ok.statusCode, ok.body).toBe(200);
    for (const c of [victim, victim2]) expect((await t.request('GET', '/api/me', { cookie: c })).statusCode).toBe(401);
    const n = await t.ctx.store.db.selectFrom('session').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', victimId).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(0);
    expect((await login('to.disable')).json()).toMatchObject({ error: { code: 'disabled' } });
    expect((await t.request('POST', `/api/admin/users/${victimId}/enable`, { cookie: admin, body: {} })).statusCode).toBe(200);
    expect((await login('to.disable')).statusCode).toBe(200);
  });

  async function secretOf(username: string): Promise<string> {
    const s = secrets.get(username);
    if (s) return s;
    return enrolFresh(username);
  }
  async function enrolFresh(username: string): Promise<string> {
    const known = secrets.get(username);
    if (known) return known;
    const r = await login(username);
    if (r.statusCode === 401) throw new Error(`${username} already has TOTP from an earlier test`);
    const s = await enrol(cookieOf(r));
    secrets.set(username, s);
    return s;
  }

  it('session tokens carry at least 128 bits and are stored only as hashes', async () => {
    const r = await login('zd.acceptor');
    const token = r.cookies.find((x) => x.name === 'xf_session')!.value;
    expect(Buffer.from(token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    const rows = await t.ctx.store.db.selectFrom('session').select('token_hash').execute();
    expect(rows.some((x) => x.token_hash === token)).toBe(false);
    expect(r.cookies.find((x) => x.name === 'xf_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
  });

  it('a session ends after 30 idle minutes and after 12 hours however active', async () => {
    t.setNow('2026-03-07T00:00:00Z');
    const c = await t.staff('zd.acceptor');
    t.setNow('2026-03-07T00:31:00Z');
    expect((await t.request('GET', '/api/me', { cookie: c })).statusCode).toBe(401);
    t.setNow('2026-03-07T01:00:00Z');
    const active = await t.staff('zd.acceptor');
    for (let m = 20; m < 12 * 60; m += 20) {
      t.setNow(new Date(Date.parse('2026-03-07T01:00:00Z') + m * 60_000).toISOString());
      expect((await t.request('GET', '/api/me', { cookie: active })).statusCode, `minute ${m}`).toBe(200);
    }
    t.setNow('2026-03-07T13:00:00Z');
    expect((await t.request('GET', '/api/me', { cookie: active })).statusCode).toBe(401);
  });

  it('three duties: the system admin cannot read audit records or grant roles; the security admin cannot read cases or audit; the auditor reads audit only', async () => {
    t.setNow('2026-03-08T02:00:00Z');
    const { id } = await newCase(t);
    const admin = await adminLogin('zd.admin', await secretOf('zd.admin'));
    const sec = await adminLogin('zd.security_admin', await secretOf('zd.security_admin'));
    const auditor = await t.staff('zd.auditor');
    const url = `/api/audit/events?caseId=${id}`;
    expect((await t.request('GET', url, { cookie: admin })).statusCode).toBe(403);
    expect((await t.request('GET', url, { cookie: sec })).statusCode).toBe(403);
    const a = await t.request('GET', url, { cookie: auditor });
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json<{ events: { hash: string }[] }>().events.length).toBeGreaterThan(0);
    expect((await t.request('GET', url, { cookie: await t.staff('sjz.auditor') })).statusCode).toBe(200); // the city sees its counties
    expect((await t.request('GET', `/api/audit/events?caseId=${id}`, { cookie: await t.staff('zd.acceptor') })).statusCode).toBe(403);
    // No route deletes or rewrites audit records, for anyone.
    for (const method of ['DELETE', 'PUT', 'PATCH']) {
      for (const c of [admin, sec, auditor]) expect((await t.request(method, url, { cookie: c })).statusCode).toBe(404);
    }
    expect((await t.request('GET', `/api/office/cases/${id}`, { cookie: admin })).statusCode).toBe(403);
    expect((await t.request('GET', `/api/office/cases/${id}`, { cookie: sec })).statusCode).toBe(403);
    // Role grants are the security admin's: the system admin is refused, and nobody can grant themselves.
    const target = await createStaff(t.ctx, { username: 'grant.me', name: '授权测试', unitId: '130123-xfj', roles: ['registrar'], password: demoPassword });
    const targetCookie = cookieOf(await login('grant.me'));
    expect((await t.request('POST', `/api/security/users/${target}/roles`, { cookie: admin, body: { roles: ['auditor'] } })).statusCode).toBe(403);
    expect((await t.request('POST', `/api/security/users/${await accountId('zd.security_admin')}/roles`, { cookie: sec, body: { roles: ['admin'] } })).statusCode).toBe(403);
    expect((await t.request('POST', `/api/security/users/${target}/roles`, { cookie: sec, body: { roles: ['superuser'] } })).statusCode).toBe(400);
    const g = await t.request('POST', `/api/security/users/${target}/roles`, { cookie: sec, body: { roles: ['auditor'] } });
    expect(g.statusCode, g.body).toBe(200);
    expect((await t.request('GET', '/api/me', { cookie: targetCookie })).statusCode).toBe(401); // sessions revoked with the grant
    const again = cookieOf(await login('grant.me'));
    expect((await t.request('GET', '/api/me', { cookie: again })).json()).toMatchObject({ roles: ['auditor'] });
    // The permission catalogue keeps the duties apart.
    const perms = (c: string) => t.request('GET', '/api/me', { cookie: c }).then((r) => r.json<{ permissions: string[] }>().permissions);
    expect(await perms(admin)).not.toContain('audit.read');
    expect(await perms(admin)).not.toContain('security.grants');
    expect(await perms(sec)).not.toContain('audit.read');
    expect(await perms(sec)).not.toContain('admin.users');
    expect(await perms(auditor)).not.toContain('admin.users');
    expect(await perms(auditor)).not.toContain('security.grants');
  });
});
