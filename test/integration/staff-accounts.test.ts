/**
 * Staff accounts under the separated duties (三员分立): the system admin creates accounts and resets
 * passwords but cannot grant roles or read the security log or the audit record; the security admin
 * grants roles (never to themselves), unlocks and reads the security log but cannot create accounts;
 * the auditor reads the record and writes nothing. An admin-set password must be changed first.
 * Every change is in the security log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, cookieOf, databases, newCase, startTestApp, type TestApp } from '../support/harness.js';
import { demoPassword } from '../../src/services/seed.service.js';
import { totpAt } from '../../src/security/totp.js';
import { findAccountByUsername } from '../../src/store/account.repository.js';

interface LogItem {
  id: number;
  kind: string;
  kindLabel: string;
  actorId: string | null;
  subjectId: string | null;
  subject: { username: string | null; name: string | null } | null;
  detail: string | null;
}

describe.each(databases)('staff accounts and the separated admin duties (%s)', (kind) => {
  let t: TestApp;
  const cookies: Record<string, string> = {};
  const accountId = async (username: string) => (await findAccountByUsername(t.ctx.store.db, username))!.id;
  const login = (loginName: string, password = demoPassword, extra: Record<string, unknown> = {}) => t.request('POST', '/api/auth/login', { body: { login: loginName, password, ...extra } });
  const code = (r: { json: <T>() => T }) => r.json<{ error: { code: string } }>().error.code;

  /** Logs an admin-duty account in with TOTP (enrolling first), as the browser does. */
  async function adminLogin(username: string): Promise<string> {
    const first = cookieOf(await login(username));
    const { secret } = (await t.request('POST', '/api/me/totp/setup', { cookie: first, body: {} })).json<{ secret: string }>();
    expect((await t.request('POST', '/api/me/totp/enable', { cookie: first, body: { code: totpAt(secret, t.ctx.clock.now()) } })).statusCode).toBe(200);
    t.setNow(new Date(t.ctx.clock.now().getTime() + 31_000).toISOString());
    const r = await login(username, demoPassword, { totp: totpAt(secret, t.ctx.clock.now()) });
    expect(r.statusCode, r.body).toBe(200);
    return cookieOf(r);
  }
  const log = async (cookie: string, query = '') => {
    const r = await t.request('GET', `/api/security/log${query}`, { cookie });
    expect(r.statusCode, r.body).toBe(200);
    return r.json<{ items: LogItem[]; nextBefore: number | null; kinds: Record<string, string> }>();
  };

  beforeAll(async () => {
    t = await startTestApp(kind);
    for (const u of ['zd.admin', 'zd.security_admin', 'prov.security_admin']) cookies[u] = await adminLogin(u);
    for (const u of ['zd.auditor', 'zd.acceptor']) cookies[u] = await t.staff(u);
  });
  afterAll(async () => {
    await t.close();
  });

  const newUser = { unitId: '130123-zj', name: '孙承办', username: 'zd.sun', password: 'Chushi@2026' };

  it('the system admin creates a staff account without roles; bad input changes nothing', async () => {
    const admin = cookies['zd.admin']!;
    const bad = [
      [{ ...newUser, username: 'X' }, 'username'],
      [{ ...newUser, name: '<script>' }, 'name'],
      [{ ...newUser, password: 'short' }, 'password'],
      [{ ...newUser, unitId: '130102-xfj' }, 'unitId'], // 长安区: outside 正定县's jurisdiction
      [{ ...newUser, unitId: 'no-such-unit' }, 'unitId'],
    ] as const;
    for (const [body, field] of bad) {
      const r = await t.request('POST', '/api/admin/users', { cookie: admin, body });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json<{ error: { fields: Record<string, string> } }>().error.fields[field]).toBeTruthy();
    }
    expect((await t.request('POST', '/api/admin/users', { cookie: admin, body: { ...newUser, roles: ['admin'] } })).statusCode).toBe(400);
    expect(await findAccountByUsername(t.ctx.store.db, 'zd.sun')).toBeUndefined();
    const r = await t.request('POST', '/api/admin/users', { cookie: admin, body: newUser });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ username: 'zd.sun', unitId: '130123-zj', roles: [], mustChangePassword: true });
    expect((await t.request('POST', '/api/admin/users', { cookie: admin, body: newUser })).statusCode).toBe(409);
    const list = await t.request('GET', '/api/admin/users', { cookie: admin });
    expect(list.json<{ items: { username: string; roles: string[]; mustChangePassword: boolean; unitName: string }[] }>().items).toContainEqual(
      expect.objectContaining({ username: 'zd.sun', roles: [], mustChangePassword: true, unitName: expect.stringContaining('住房') }),
    );
    // The password is stored only as an argon2 hash.
    const row = (await findAccountByUsername(t.ctx.store.db, 'zd.sun'))!;
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain(newUser.password);
  });

  it('each duty is refused what belongs to another: 403 and nothing changes', async () => {
    const sun = await accountId('zd.sun');
    const secAdmin = await accountId('zd.security_admin');
    const before = await t.ctx.store.db.selectFrom('account').select(['roles', 'password_hash', 'disabled']).where('id', '=', sun).executeTakeFirstOrThrow();
    const tries: [string, string, string, unknown][] = [
      ['zd.admin', 'POST', `/api/security/users/${sun}/roles`, { roles: ['handler'] }], // the system admin grants a role
      ['zd.admin', 'POST', `/api/security/users/${sun}/unlock`, {}],
      ['zd.admin', 'GET', '/api/security/log', undefined],
      ['zd.admin', 'GET', `/api/audit/events?caseId=${sun}`, undefined],
      ['zd.admin', 'POST', `/api/admin/users/${secAdmin}/password`, { password: 'Takeover@2026' }], // take over the watcher
      ['zd.security_admin', 'POST', '/api/admin/users', { ...newUser, username: 'zd.other' }], // the security admin creates a user
      ['zd.security_admin', 'POST', `/api/admin/users/${sun}/disable`, {}],
      ['zd.security_admin', 'POST', `/api/admin/users/${sun}/password`, { password: 'Another@2026' }],
      ['zd.security_admin', 'POST', `/api/security/users/${secAdmin}/roles`, { roles: ['security_admin', 'admin'] }], // self-grant
      ['zd.auditor', 'POST', '/api/admin/users', { ...newUser, username: 'zd.other' }],
      ['zd.auditor', 'POST', `/api/security/users/${sun}/roles`, { roles: ['handler'] }],
      ['zd.auditor', 'POST', `/api/admin/users/${sun}/disable`, {}],
      ['zd.auditor', 'POST', `/api/admin/users/${sun}/password`, { password: 'Another@2026' }],
      ['zd.auditor', 'POST', `/api/security/users/${sun}/unlock`, {}],
      ['zd.auditor', 'GET', '/api/security/log', undefined],
      ['zd.acceptor', 'GET', '/api/admin/users', undefined],
      ['zd.acceptor', 'POST', '/api/admin/users', { ...newUser, username: 'zd.other' }],
    ];
    for (const [who, method, url, body] of tries) {
      const r = await t.request(method, url, { cookie: cookies[who]!, ...(body !== undefined ? { body } : {}) });
      expect(r.statusCode, `${who} ${method} ${url} ${r.body}`).toBe(403);
    }
    // There is no way to delete audit records at all.
    expect((await t.request('DELETE', `/api/audit/events?caseId=${sun}`, { cookie: cookies['zd.admin']! })).statusCode).toBe(404);
    const after = await t.ctx.store.db.selectFrom('account').select(['roles', 'password_hash', 'disabled']).where('id', '=', sun).executeTakeFirstOrThrow();
    expect(after).toEqual(before);
    expect(await findAccountByUsername(t.ctx.store.db, 'zd.other')).toBeUndefined();
    expect(JSON.parse((await t.ctx.store.db.selectFrom('account').select('roles').where('id', '=', secAdmin).executeTakeFirstOrThrow()).roles)).toEqual(['security_admin']);
  });

  it('the security admin grants a role; the new user must change the initial password before anything else', async () => {
    const sun = await accountId('zd.sun');
    const g = await t.request('POST', `/api/security/users/${sun}/roles`, { cookie: cookies['zd.security_admin']!, body: { roles: ['handler'] } });
    expect(g.statusCode, g.body).toBe(200);
    const l = await login('zd.sun', newUser.password);
    expect(l.statusCode, l.body).toBe(200);
    expect(l.json()).toMatchObject({ kind: 'staff', roles: ['handler'], mustChangePassword: true });
    const c = cookieOf(l);
    const blocked = await t.request('GET', '/api/office/workbench', { cookie: c });
    expect(blocked.statusCode).toBe(403);
    expect(code(blocked)).toBe('password_change_required');
    expect((await t.request('GET', '/api/me', { cookie: c })).statusCode).toBe(200);
    // The current password is required, the new one must follow the rules and differ.
    for (const [body, field] of [
      [{ currentPassword: 'Wrong@2026', newPassword: 'Xinmima@2026' }, 'currentPassword'],
      [{ currentPassword: newUser.password, newPassword: 'weak' }, 'newPassword'],
      [{ currentPassword: newUser.password, newPassword: newUser.password }, 'newPassword'],
    ] as const) {
      const r = await t.request('POST', '/api/me/password', { cookie: c, body });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json<{ error: { fields: Record<string, string> } }>().error.fields[field]).toBeTruthy();
    }
    const ok = await t.request('POST', '/api/me/password', { cookie: c, body: { currentPassword: newUser.password, newPassword: 'Xinmima@2026' } });
    expect(ok.statusCode, ok.body).toBe(200);
    const wb = await t.request('GET', '/api/office/workbench', { cookie: c });
    expect(wb.statusCode, wb.body).toBe(200);
    expect((await login('zd.sun', newUser.password)).statusCode).toBe(401);
    cookies['zd.sun'] = cookieOf(await login('zd.sun', 'Xinmima@2026'));
  });

  it('a password reset or a disable revokes every session; a reset must be changed again', async () => {
    const sun = await accountId('zd.sun');
    const a = cookies['zd.sun']!;
    const b = cookieOf(await login('zd.sun', 'Xinmima@2026'));
    const reset = await t.request('POST', `/api/admin/users/${sun}/password`, { cookie: cookies['zd.admin']!, body: { password: 'Chongzhi@2026' } });
    expect(reset.statusCode, reset.body).toBe(200);
    for (const c of [a, b]) expect((await t.request('GET', '/api/me', { cookie: c })).statusCode).toBe(401);
    const l = await login('zd.sun', 'Chongzhi@2026');
    expect(l.json()).toMatchObject({ mustChangePassword: true });
    const c = cookieOf(l);
    expect((await t.request('POST', '/api/me/password', { cookie: c, body: { currentPassword: 'Chongzhi@2026', newPassword: 'Xinmima@2027' } })).statusCode).toBe(200);
    expect((await t.request('POST', `/api/admin/users/${sun}/disable`, { cookie: cookies['zd.admin']!, body: {} })).statusCode).toBe(200);
    expect((await t.request('GET', '/api/me', { cookie: c })).statusCode).toBe(401);
    expect(code(await login('zd.sun', 'Xinmima@2027'))).toBe('disabled');
    expect((await t.request('POST', `/api/admin/users/${sun}/enable`, { cookie: cookies['zd.admin']!, body: {} })).statusCode).toBe(200);
    // The duty accounts are reset by the security admin, not the system admin.
    const auditor = await accountId('zd.auditor');
    expect((await t.request('POST', `/api/admin/users/${auditor}/password`, { cookie: cookies['zd.admin']!, body: { password: 'Shenji@2026' } })).statusCode).toBe(403);
    expect((await t.request('POST', `/api/admin/users/${auditor}/password`, { cookie: cookies['zd.security_admin']!, body: { password: 'Shenji@2026' } })).statusCode).toBe(200);
    expect((await t.request('GET', '/api/me', { cookie: cookies['zd.auditor']! })).statusCode).toBe(401);
    const al = await login('zd.auditor', 'Shenji@2026');
    const ac = cookieOf(al);
    expect((await t.request('POST', '/api/me/password', { cookie: ac, body: { currentPassword: 'Shenji@2026', newPassword: demoPassword.replace('2026', '2027') } })).statusCode).toBe(200);
    cookies['zd.auditor'] = ac;
  });

  it('the security log records every change, logins, failures, lockouts and unmasking; filters and pages; scoped by jurisdiction', async () => {
    // A lockout and an unmasking to be recorded.
    for (let i = 0; i < 5; i++) expect((await login('zd.sun', 'Wrong@pass1')).statusCode).toBe(401);
    expect(code(await login('zd.sun', 'Xinmima@2027'))).toBe('locked');
    const sun = await accountId('zd.sun');
    expect((await t.request('POST', `/api/security/users/${sun}/unlock`, { cookie: cookies['zd.security_admin']!, body: {} })).statusCode).toBe(200);
    const c = await newCase(t);
    const leader = await t.staff('zd.leader');
    expect((await t.request('POST', `/api/office/cases/${c.id}/unmask`, { cookie: leader, body: { reason: '需电话联系信访人核实情况' } })).statusCode).toBe(200);

    const all = await log(cookies['zd.security_admin']!, '?limit=500');
    const kinds = new Set(all.items.map((i) => i.kind));
    for (const k of ['account_created', 'roles_granted', 'password_reset', 'password_changed', 'account_disabled', 'account_enabled', 'login_ok', 'login_failed', 'login_locked', 'login_refused_locked', 'login_refused_disabled', 'account_unlocked', 'totp_enabled', 'pii_unmasked']) {
      expect(kinds, k).toContain(k);
    }
    expect(all.kinds.login_locked).toBe('连续失败，账号锁定');
    const grant = all.items.find((i) => i.kind === 'roles_granted' && i.subjectId === sun)!;
    expect(JSON.parse(grant.detail!)).toEqual({ before: [], after: ['handler'] });
    expect(grant.actorId).toBe(await accountId('zd.security_admin'));
    expect(grant.subject).toMatchObject({ username: 'zd.sun', name: '孙承办' });

    // Filters: by kind, by account, by date.
    const locked = await log(cookies['zd.security_admin']!, '?kind=login_locked');
    expect(locked.items.length).toBeGreaterThan(0);
    expect(locked.items.every((i) => i.kind === 'login_locked')).toBe(true);
    const mine = await log(cookies['zd.security_admin']!, '?account=zd.sun&limit=500');
    expect(mine.items.every((i) => i.subjectId === sun || i.actorId === sun)).toBe(true);
    expect(mine.items.length).toBeGreaterThan(8);
    expect((await log(cookies['zd.security_admin']!, '?from=2030-01-01')).items).toEqual([]);
    expect((await t.request('GET', '/api/security/log?from=yesterday', { cookie: cookies['zd.security_admin']! })).statusCode).toBe(400);
    // Paging: pages of 3 follow each other without overlap.
    const p1 = await log(cookies['zd.security_admin']!, '?account=zd.sun&limit=3');
    expect(p1.items).toHaveLength(3);
    const p2 = await log(cookies['zd.security_admin']!, `?account=zd.sun&limit=3&before=${p1.nextBefore}`);
    expect(p2.items.map((i) => i.id)).toEqual(mine.items.slice(3, 6).map((i) => i.id));

    // Jurisdiction: 正定县's security admin does not see the provincial security admin's logins.
    const prov = await accountId('prov.security_admin');
    expect(all.items.some((i) => i.subjectId === prov)).toBe(false);
    const provLog = await log(cookies['prov.security_admin']!, '?limit=500');
    expect(provLog.items.some((i) => i.subjectId === prov)).toBe(true);
    // No personal data in the log: the citizen whose case was unmasked is not named.
    expect(JSON.stringify(provLog)).not.toContain(c.citizen.phone);
    expect(JSON.stringify(provLog)).not.toContain(c.citizen.idNumber);
  });

  it('the auditor reads the audit record of a case; the system admin cannot', async () => {
    const c = await newCase(t);
    expect((await act(t, await t.staff('zd.acceptor'), c.id, 'accept')).statusCode).toBe(200);
    const r = await t.request('GET', `/api/audit/events?caseId=${c.id}`, { cookie: cookies['zd.auditor']! });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json<{ events: { type: string }[] }>().events.map((e) => e.type)).toEqual(expect.arrayContaining(['submitted', 'accepted']));
    expect((await t.request('GET', `/api/audit/events?caseId=${c.id}`, { cookie: cookies['zd.admin']! })).statusCode).toBe(403);
  });
});
