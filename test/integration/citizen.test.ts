/**
 * The citizen's side over HTTP on a real database: registration, login and sessions, submission
 * with deadlines and idempotency, own-case isolation, withdrawal, public tracking and the acts
 * only the petitioner may perform.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { act, cookieOf, databases, newCase, newCaseBody, startTestApp, type TestApp } from '../support/harness.js';
import { makeIdNumber } from '../../src/domain/id-number.js';

const HAN = /[\u4e00-\u9fa5]/;
const QUERY_CODE = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/;
const BASE_NOW = '2026-03-02T02:00:00Z'; // Monday 10:00 in Beijing

interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

/** Asserts the contract's error body: exactly {error:{code,message[,fields]}} with a Chinese message. */
function expectError(r: LightMyRequestResponse, status: number, code?: string): ErrorBody['error'] {
  expect(r.statusCode, r.body).toBe(status);
  const body = r.json<ErrorBody>();
  expect(Object.keys(body)).toEqual(['error']);
  expect(typeof body.error.code).toBe('string');
  if (code) expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(HAN);
  for (const k of Object.keys(body.error)) expect(['code', 'message', 'fields']).toContain(k);
  return body.error;
}

let idSeq = 500;
let phoneSeq = 0;
/** A fresh valid ID number and phone that the harness's own citizens never use. */
function freshIdentity() {
  idSeq++;
  phoneSeq++;
  return {
    idNumber: makeIdNumber('130102', '19900315', String(idSeq % 1000).padStart(3, '0')),
    phone: `137${String((process.pid % 1000) * 100_000 + phoneSeq).padStart(8, '0')}`,
  };
}

describe.each(databases)('citizen portal (%s)', (kind) => {
  let t: TestApp;

  const db = () => t.ctx.store.db;
  const countAccounts = async () => Number((await db().selectFrom('account').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const countCases = async () => Number((await db().selectFrom('case_file').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const countEvents = async (caseId: string) =>
    Number((await db().selectFrom('case_event').select((eb) => eb.fn.countAll<number>().as('n')).where('case_id', '=', caseId).executeTakeFirstOrThrow()).n);
  const caseRow = (id: string) => db().selectFrom('case_file').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  const register = (body: Record<string, unknown>) => t.request('POST', '/api/auth/register', { body });
  const login = (loginName: string, password: string, cookie?: string) =>
    t.request('POST', '/api/auth/login', { body: { login: loginName, password }, ...(cookie ? { cookie } : {}) });
  const me = (cookie: string) => t.request('GET', '/api/me', { cookie });

  /** Drives a submitted case through accept → assign → sign → reply as the 正定县 demo staff. */
  async function driveToReplied(id: string) {
    const acceptor = await t.staff('zd.acceptor');
    const dispatcher = await t.staff('zd.dispatcher');
    const handler = await t.staff('zd.handler');
    expect((await act(t, acceptor, id, 'accept')).statusCode).toBe(200);
    expect((await act(t, dispatcher, id, 'assign', { unitId: '130123-zj' })).statusCode).toBe(200);
    expect((await act(t, handler, id, 'sign')).statusCode).toBe(200);
    const r = await act(t, handler, id, 'reply', { text: '经核查，已责令用工单位于本月底前足额支付拖欠的工资。' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ state: 'replied' });
  }

  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => {
    t.setNow(BASE_NOW);
  });

  describe('registration', () => {
    it('registers a citizen: 201, session cookie, only masked personal data in the body and on /api/me', async () => {
      const { idNumber, phone } = freshIdentity();
      const r = await register({ name: '李建华', idNumber, phone, password: 'Str0ngPass!' });
      expect(r.statusCode, r.body).toBe(201);
      const cookie = cookieOf(r);
      const body = r.json<{ kind: string; name: string; phone: string; idNumber: string }>();
      expect(body.kind).toBe('citizen');
      expect(body.name).toBe('李*华');
      expect(body.phone).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
      expect(body.idNumber).toBe(`${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`);
      expect(r.body).not.toContain(idNumber);
      expect(r.body).not.toContain(phone);
      expect(r.body).not.toContain('李建华');
      expect(r.body).not.toContain('Str0ngPass!');

      const m = await me(cookie);
      expect(m.statusCode).toBe(200);
      expect(m.json()).toMatchObject({ kind: 'citizen', name: '李*华', phone: body.phone, idNumber: body.idNumber });
      expect(m.body).not.toContain(idNumber);
      expect(m.body).not.toContain(phone);
      expect(m.body).not.toContain('李建华');
    });

    it('stores no plaintext ID number, phone, name or password in the account row', async () => {
      const { idNumber, phone } = freshIdentity();
      const r = await register({ name: '赵文静', idNumber, phone, password: 'Str0ngPass!' });
      expect(r.statusCode).toBe(201);
      const id = r.json<{ id: string }>().id;
      const row = await db().selectFrom('account').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      const dump = JSON.stringify(row);
      expect(dump).not.toContain(idNumber);
      expect(dump).not.toContain(idNumber.slice(0, 14)); // not even the unmasked birth-date part
      expect(dump).not.toContain(phone);
      expect(dump).not.toContain('赵文静');
      expect(dump).not.toContain('Str0ngPass!');
      expect(row.id_number_enc).toBeTruthy();
      expect(row.phone_enc).toBeTruthy();
      expect(row.id_number_hash).toBeTruthy();
      expect(row.phone_hash).toBeTruthy();
      // The stored hashes are not plain unkeyed digests either: they differ from the value itself.
      expect(row.id_number_hash).not.toBe(idNumber);
      expect(row.phone_hash).not.toBe(phone);
    });

    it('rejects a wrong ID checksum with 400 and fields.idNumber, creating nothing', async () => {
      const before = await countAccounts();
      const { idNumber, phone } = freshIdentity();
      const last = idNumber.charAt(17);
      const wrong = idNumber.slice(0, 17) + (last === '0' ? '1' : '0');
      const e = expectError(await register({ name: '李建华', idNumber: wrong, phone, password: 'Str0ngPass!' }), 400, 'bad_input');
      expect(e.fields?.idNumber).toMatch(/校验位/);
      expect(await countAccounts()).toBe(before);
    });

    it('rejects an impossible birth date (valid checksum) and a birth date in the future', async () => {
      const before = await countAccounts();
      const { phone } = freshIdentity();
      const feb30 = makeIdNumber('130102', '19900230', '123');
      const e1 = expectError(await register({ name: '李建华', idNumber: feb30, phone, password: 'Str0ngPass!' }), 400, 'bad_input');
      expect(e1.fields?.idNumber).toMatch(/出生日期/);
      const future = makeIdNumber('130102', '20300101', '123');
      const e2 = expectError(await register({ name: '李建华', idNumber: future, phone, password: 'Str0ngPass!' }), 400, 'bad_input');
      expect(e2.fields?.idNumber).toMatch(/出生日期/);
      expect(await countAccounts()).toBe(before);
    });

    it('rejects a weak password with fields.password', async () => {
      const before = await countAccounts();
      const { idNumber, phone } = freshIdentity();
      for (const pw of ['abcdefgh', 'short1!', '12345678']) {
        const e = expectError(await register({ name: '李建华', idNumber, phone, password: pw }), 400, 'bad_input');
        expect(e.fields?.password).toMatch(HAN);
        expect(e.fields?.idNumber).toBeUndefined();
      }
      expect(await countAccounts()).toBe(before);
    });

    it('rejects a bad phone number with fields.phone', async () => {
      const before = await countAccounts();
      const { idNumber } = freshIdentity();
      for (const phone of ['12345', '12012345678', 'abcdefghijk']) {
        const e = expectError(await register({ name: '李建华', idNumber, phone, password: 'Str0ngPass!' }), 400, 'bad_input');
        expect(e.fields?.phone).toMatch(HAN);
      }
      expect(await countAccounts()).toBe(before);
    });

    it('refuses a duplicate ID number and a duplicate phone with 409', async () => {
      const a = freshIdentity();
      expect((await register({ name: '李建华', ...a, password: 'Str0ngPass!' })).statusCode).toBe(201);
      const before = await countAccounts();
      const b = freshIdentity();
      // Same ID number (also in lowercase-x / whitespace variants it normalises to the same), new phone.
      const e1 = expectError(await register({ name: '李建华', idNumber: ` ${a.idNumber} `, phone: b.phone, password: 'Str0ngPass!' }), 409, 'id_number_taken');
      expect(e1.fields?.idNumber).toMatch(HAN);
      // Same phone written differently (+86, spaces), new ID number.
      const spaced = `+86 ${a.phone.slice(0, 3)} ${a.phone.slice(3, 7)} ${a.phone.slice(7)}`;
      const e2 = expectError(await register({ name: '李建华', idNumber: b.idNumber, phone: spaced, password: 'Str0ngPass!' }), 409, 'phone_taken');
      expect(e2.fields?.phone).toMatch(HAN);
      expect(await countAccounts()).toBe(before);
    });
  });

  describe('login and sessions', () => {
    it('logs in by phone; a wrong password is 401 and sets no cookie', async () => {
      const c = await t.citizen();
      const ok = await login(c.phone, 'Passw0rd!');
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({ kind: 'citizen' });
      expect(ok.body).not.toContain(c.phone);
      expect((await me(cookieOf(ok))).statusCode).toBe(200);

      const bad = await login(c.phone, 'Wrong-passw0rd');
      expectError(bad, 401, 'bad_credentials');
      expect(bad.cookies.find((x) => x.name === 'xf_session')?.value ?? '').toBe('');
      // An unknown account gives the same answer as a wrong password.
      const unknown = await login('13311112222', 'Wrong-passw0rd');
      const e = expectError(unknown, 401, 'bad_credentials');
      expect(e.message).toBe(bad.json<ErrorBody>().error.message);
    });

    it('locks the account after 5 failures (429 even with the right password) and unlocks after 15 minutes', async () => {
      const c = await t.citizen();
      for (let i = 0; i < 5; i++) expectError(await login(c.phone, `Wrong-pass-${i}`), 401, 'bad_credentials');
      const locked = await login(c.phone, 'Passw0rd!');
      expectError(locked, 429, 'locked');
      expect(locked.cookies.find((x) => x.name === 'xf_session')?.value ?? '').toBe('');
      t.setNow('2026-03-02T02:10:00Z');
      expectError(await login(c.phone, 'Passw0rd!'), 429, 'locked');
      t.setNow('2026-03-02T02:16:00Z');
      const after = await login(c.phone, 'Passw0rd!');
      expect(after.statusCode, after.body).toBe(200);
      // The counter was reset by the successful login: one more failure does not lock again.
      expectError(await login(c.phone, 'Wrong-pass-x'), 401, 'bad_credentials');
      expect((await login(c.phone, 'Passw0rd!')).statusCode).toBe(200);
    });

    it('logout revokes the session: the old cookie then gets 401 on /api/me', async () => {
      const c = await t.citizen();
      expect((await me(c.cookie)).statusCode).toBe(200);
      const out = await t.request('POST', '/api/auth/logout', { cookie: c.cookie });
      expect(out.statusCode).toBe(204);
      expectError(await me(c.cookie), 401, 'not_logged_in');
      expectError(await t.request('GET', '/api/my/cases', { cookie: c.cookie }), 401, 'not_logged_in');
    });

    it('login rotates the session: a new cookie value, and the pre-login token stops working', async () => {
      const c = await t.citizen();
      const r = await login(c.phone, 'Passw0rd!', c.cookie);
      expect(r.statusCode).toBe(200);
      const fresh = cookieOf(r);
      expect(fresh).not.toBe(c.cookie);
      expect((await me(fresh)).statusCode).toBe(200);
      expectError(await me(c.cookie), 401, 'not_logged_in');
    });

    it('expires a session idle for more than 30 minutes; activity keeps it alive', async () => {
      const c = await t.citizen();
      t.setNow('2026-03-02T02:25:00Z');
      expect((await me(c.cookie)).statusCode).toBe(200); // touches the session
      t.setNow('2026-03-02T02:50:00Z'); // 50 min since login, 25 since the last request
      expect((await me(c.cookie)).statusCode).toBe(200);
      t.setNow('2026-03-02T03:21:00Z'); // 31 min idle
      expectError(await me(c.cookie), 401, 'not_logged_in');
      // And it stays dead when the clock goes back: the session row was removed.
      t.setNow('2026-03-02T02:51:00Z');
      expectError(await me(c.cookie), 401, 'not_logged_in');
    });
  });

  describe('submission', () => {
    it('returns 201 with a well-formed query code and the acceptance deadline of the DOMAIN.md vectors', async () => {
      const vectors = [
        // Beijing 2026-02-13 01:00 is still UTC 2026-02-12: the day counts in China's time.
        { now: '2026-02-12T17:00:00Z', accept: '2026-02-24', assign: '2026-02-27' },
        { now: '2026-02-13T02:00:00Z', accept: '2026-02-24', assign: '2026-02-27' },
        { now: '2025-09-30T03:00:00Z', accept: null, assign: '2025-10-14' },
        { now: '2025-12-31T03:00:00Z', accept: '2026-01-05', assign: null },
      ];
      for (const v of vectors) {
        t.setNow(v.now);
        const c = await t.citizen();
        const r = await t.request('POST', '/api/cases', { cookie: c.cookie, body: newCaseBody() });
        expect(r.statusCode, r.body).toBe(201);
        const body = r.json<{ id: string; queryCode: string; state: string; deadlines: { accept: string; assign: string } }>();
        expect(body.queryCode).toMatch(QUERY_CODE);
        expect(body.state).toBe('submitted');
        expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
        if (v.accept) expect(body.deadlines.accept, v.now).toBe(v.accept);
        if (v.assign) expect(body.deadlines.assign, v.now).toBe(v.assign);
        expect(r.body).not.toContain(c.phone);
        expect(r.body).not.toContain(c.name);
      }
    });

    it('Idempotency-Key: same key and body replays the same case (200 + Idempotent-Replayed); a different body is 409', async () => {
      const c = await t.citizen();
      const headers = { 'idempotency-key': 'retry-key-0001-abcdef' };
      const first = await t.request('POST', '/api/cases', { cookie: c.cookie, body: newCaseBody(), headers });
      expect(first.statusCode).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const before = await countCases();

      const again = await t.request('POST', '/api/cases', { cookie: c.cookie, body: newCaseBody(), headers });
      expect(again.statusCode).toBe(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json<{ id: string }>().id).toBe(first.json<{ id: string }>().id);
      expect(again.json<{ queryCode: string }>().queryCode).toBe(first.json<{ queryCode: string }>().queryCode);
      expect(await countCases()).toBe(before);

      const different = await t.request('POST', '/api/cases', { cookie: c.cookie, body: newCaseBody({ title: '另一件事：噪音扰民' }), headers });
      expectError(different, 409, 'idempotency_mismatch');
      expect(await countCases()).toBe(before);

      // The same key from another citizen is that citizen's own key: a new case, not the first one.
      const other = await t.citizen();
      const theirs = await t.request('POST', '/api/cases', { cookie: other.cookie, body: newCaseBody(), headers });
      expect(theirs.statusCode).toBe(201);
      expect(theirs.json<{ id: string }>().id).not.toBe(first.json<{ id: string }>().id);
    });

    it('two concurrent submissions with the same Idempotency-Key create one case', async () => {
      const c = await t.citizen();
      const before = await countCases();
      const headers = { 'idempotency-key': 'concurrent-key-0001' };
      const [a, b] = await Promise.all([
        t.request('POST', '/api/cases', { cookie: c.cookie, body: newCaseBody(), headers }),
        t.request('POST', '/api/cases', { cookie: c.cookie, body: newCaseBody(), headers }),
      ]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
      expect(a.json<{ id: string }>().id).toBe(b.json<{ id: string }>().id);
      expect(await countCases()).toBe(before + 1);
      const mine = await t.request('GET', '/api/my/cases', { cookie: c.cookie });
      expect(mine.json<{ items: unknown[] }>().items).toHaveLength(1);

      // A burst of six retries under a new key: still exactly one case, every answer names it.
      const burstHeaders = { 'idempotency-key': 'concurrent-key-0002' };
      const burst = await Promise.all(
        Array.from({ length: 6 }, () => t.request('POST', '/api/cases', { cookie: c.cookie, body: newCaseBody({ title: '连续重试的同一件事' }), headers: burstHeaders })),
      );
      expect(burst.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201]);
      expect(new Set(burst.map((r) => r.json<{ id: string }>().id)).size).toBe(1);
      expect(await countCases()).toBe(before + 2);
    });

    it('two concurrent registrations with the same phone create one account', async () => {
      const before = await countAccounts();
      const a = freshIdentity();
      const b = freshIdentity();
      const rs = await Promise.all([
        register({ name: '李建华', idNumber: a.idNumber, phone: a.phone, password: 'Str0ngPass!' }),
        register({ name: '李建华', idNumber: b.idNumber, phone: a.phone, password: 'Str0ngPass!' }),
      ]);
      expect(rs.map((r) => r.statusCode).sort()).toEqual([201, 409]);
      expectError(rs.find((r) => r.statusCode === 409)!, 409);
      expect(await countAccounts()).toBe(before + 1);
    });

    it("routes a leader's mailbox target 'mailbox:130000' to 省长信箱 on the mailbox channel", async () => {
      const c = await t.citizen();
      const r = await t.request('POST', '/api/cases', { cookie: c.cookie, body: newCaseBody({ target: 'mailbox:130000' }) });
      expect(r.statusCode, r.body).toBe(201);
      const id = r.json<{ id: string }>().id;
      const row = await caseRow(id);
      expect(row.channel).toBe('mailbox');
      expect(row.receiving_unit_id).toBe('130000-mailbox');
      const view = (await t.request('GET', `/api/my/cases/${id}`, { cookie: c.cookie })).json<{ channel: string; receivingUnitName: string }>();
      expect(view.channel).toBe('mailbox');
      expect(view.receivingUnitName).toBe('河北省省长信箱');
      // A county has no mailbox, and an unknown target is refused.
      const before = await countCases();
      expect(expectError(await t.request('POST', '/api/cases', { cookie: c.cookie, body: newCaseBody({ target: 'mailbox:130123' }) }), 400).fields?.target).toMatch(HAN);
      expect(expectError(await t.request('POST', '/api/cases', { cookie: c.cookie, body: newCaseBody({ target: 'governor' }) }), 400).fields?.target).toMatch(HAN);
      expect(await countCases()).toBe(before);
    });

    it('accepts a joint case with 3 co-petitioners and refuses more than 5 representatives', async () => {
      const c = await t.citizen();
      const three = [
        { name: '张三丰', phone: '13812340001', representative: true },
        { name: '李四海', representative: false },
        { name: '王五洲' },
      ];
      const ok = await t.request('POST', '/api/cases', { cookie: c.cookie, body: newCaseBody({ coPetitioners: three }) });
      expect(ok.statusCode, ok.body).toBe(201);
      expect((await caseRow(ok.json<{ id: string }>().id)).co_petitioner_count).toBe(3);

      const before = await countCases();
      const names = ['张一明', '张二明', '张三明', '张四明', '张五明', '张六明'];
      const six = names.map((name) => ({ name, representative: true }));
      const e = expectError(await t.request('POST', '/api/cases', { cookie: c.cookie, body: newCaseBody({ coPetitioners: six }) }), 400, 'bad_input');
      expect(e.fields?.coPetitioners).toMatch(/5/);
      // More than five signers need at least one representative.
      const none = names.map((name) => ({ name }));
      expectError(await t.request('POST', '/api/cases', { cookie: c.cookie, body: newCaseBody({ coPetitioners: none }) }), 400, 'bad_input');
      expect(await countCases()).toBe(before);
    });

    it('refuses staff submitting through the citizen route and anonymous submission', async () => {
      const before = await countCases();
      expectError(await t.request('POST', '/api/cases', { body: newCaseBody() }), 401, 'not_logged_in');
      const staff = await t.staff('zd.registrar');
      expectError(await t.request('POST', '/api/cases', { cookie: staff, body: newCaseBody() }), 403, 'forbidden');
      expect(await countCases()).toBe(before);
    });
  });

  describe('own cases only', () => {
    it("lists only the caller's cases; another citizen's case is 404 for reading and messaging", async () => {
      const a = await newCase(t);
      const a2 = await t.request('POST', '/api/cases', { cookie: a.citizen.cookie, body: newCaseBody({ title: '第二件：路灯损坏' }) });
      expect(a2.statusCode).toBe(201);
      const b = await newCase(t);

      const listA = (await t.request('GET', '/api/my/cases', { cookie: a.citizen.cookie })).json<{ items: { id: string }[] }>();
      expect(listA.items.map((x) => x.id).sort()).toEqual([a.id, a2.json<{ id: string }>().id].sort());
      const listB = (await t.request('GET', '/api/my/cases', { cookie: b.citizen.cookie })).json<{ items: { id: string }[] }>();
      expect(listB.items.map((x) => x.id)).toEqual([b.id]);

      const mine = await t.request('GET', `/api/my/cases/${a.id}`, { cookie: a.citizen.cookie });
      expect(mine.statusCode).toBe(200);
      expect(mine.json()).toMatchObject({ id: a.id, queryCode: a.queryCode });

      const nf = expectError(await t.request('GET', `/api/my/cases/${a.id}`, { cookie: b.citizen.cookie }), 404, 'not_found');
      // Same answer as for a case that does not exist at all.
      const missing = expectError(await t.request('GET', '/api/my/cases/00000000-0000-4000-8000-000000000000', { cookie: b.citizen.cookie }), 404, 'not_found');
      expect(nf.message).toBe(missing.message);

      const events = await countEvents(a.id);
      expectError(await t.request('POST', `/api/cases/${a.id}/messages`, { cookie: b.citizen.cookie, body: { text: '我想看看别人的信访件' } }), 404, 'not_found');
      expectError(await t.request('POST', `/api/cases/${a.id}/withdraw`, { cookie: b.citizen.cookie, body: {} }), 404, 'not_found');
      expect(await countEvents(a.id)).toBe(events);
      expect((await caseRow(a.id)).state).toBe('submitted');

      const msg = await t.request('POST', `/api/cases/${a.id}/messages`, { cookie: a.citizen.cookie, body: { text: '补充：拖欠工资共计一万元整。' } });
      expect(msg.statusCode).toBe(201);
      expect(await countEvents(a.id)).toBe(events + 1);
    });
  });

  describe('withdrawal', () => {
    it('is allowed while submitted and refused with 409 after assignment', async () => {
      const a = await newCase(t);
      const w = await t.request('POST', `/api/cases/${a.id}/withdraw`, { cookie: a.citizen.cookie, body: { reason: '问题已自行解决' } });
      expect(w.statusCode, w.body).toBe(200);
      expect(w.json()).toEqual({ state: 'withdrawn' });
      expect((await caseRow(a.id)).state).toBe('withdrawn');
      expectError(await t.request('POST', `/api/cases/${a.id}/withdraw`, { cookie: a.citizen.cookie, body: {} }), 409);

      const b = await newCase(t);
      expect((await act(t, await t.staff('zd.acceptor'), b.id, 'accept')).statusCode).toBe(200);
      expect((await act(t, await t.staff('zd.dispatcher'), b.id, 'assign', { unitId: '130123-zj' })).statusCode).toBe(200);
      const events = await countEvents(b.id);
      expectError(await t.request('POST', `/api/cases/${b.id}/withdraw`, { cookie: b.citizen.cookie, body: {} }), 409, 'conflict');
      expect((await caseRow(b.id)).state).toBe('assigned');
      expect(await countEvents(b.id)).toBe(events);
    });
  });

  describe('tracking by query code', () => {
    it('answers 404 for an unknown well-formed code and 400 for a malformed one', async () => {
      expectError(await t.request('GET', '/api/track/0000-0000-0000-0000'), 404, 'not_found');
      expectError(await t.request('GET', '/api/track/ZZZZ-ZZZZ-ZZZZ-ZZZZ'), 404, 'not_found');
      expectError(await t.request('GET', '/api/track/abc'), 400, 'bad_input');
      expectError(await t.request('GET', '/api/track/UUUU-UUUU-UUUU-UUUU'), 400, 'bad_input'); // U is not in the alphabet
      expectError(await t.request('GET', '/api/track/K7QM-2D9F-X4TB-8HRC-9'), 400, 'bad_input');
      expectError(await t.request('GET', `/api/track/${'A'.repeat(41)}`), 400);
    });

    it('accepts lowercase / space-separated codes and shows no personal data and no internal events', async () => {
      const { id, queryCode, citizen } = await newCase(t);
      const acceptor = await t.staff('zd.acceptor');
      const dispatcher = await t.staff('zd.dispatcher');
      const handler = await t.staff('zd.handler');
      const secretNote = '内部批注：信访人情绪激动，注意稳控';
      expect((await act(t, acceptor, id, 'note', { text: secretNote })).statusCode).toBe(200);
      expect((await act(t, acceptor, id, 'accept')).statusCode).toBe(200);
      const instructions = '交办意见：请核实用工单位资质';
      expect((await act(t, dispatcher, id, 'assign', { unitId: '130123-zj', instructions })).statusCode).toBe(200);
      const returnReason = '该事项属于人社部门职责，不属于本单位';
      const ret = await act(t, handler, id, 'return', { reason: returnReason });
      expect(ret.statusCode, ret.body).toBe(200);

      const variants = [queryCode, queryCode.toLowerCase(), queryCode.replace(/-/g, ' '), queryCode.toLowerCase().replace(/-/g, ''), ` ${queryCode.toLowerCase().replace(/-/g, ' ')} `];
      for (const v of variants) {
        const r = await t.request('GET', `/api/track/${encodeURIComponent(v)}`);
        expect(r.statusCode, v).toBe(200);
        expect(r.json<{ id: string }>().id).toBe(id);
      }
      const r = await t.request('GET', `/api/track/${queryCode}`);
      expect(r.headers['cache-control']).toBe('no-store');
      const body = r.body;
      const view = r.json<{ timeline: { type: string; visibility: string }[] }>();

      // Personal data, in full or masked.
      const { address } = newCaseBody();
      for (const secret of [citizen.name, '王*明', citizen.phone, `${citizen.phone.slice(0, 3)}****${citizen.phone.slice(-4)}`, citizen.idNumber, citizen.idNumber.slice(-4) + '"', address, newCaseBody().content]) {
        expect(body).not.toContain(secret);
      }
      // Internal events and their text.
      expect(body).not.toContain(secretNote);
      expect(body).not.toContain(instructions);
      expect(body).not.toContain(returnReason);
      expect(view.timeline.every((e) => e.visibility === 'public')).toBe(true);
      // The 受理告知书 is a public document_issued event; the 交办函 is internal and stays out.
      expect(view.timeline.map((e) => e.type)).toEqual(['submitted', 'accepted', 'document_issued', 'assigned']);
      expect(body).not.toMatch(/"actorId"|"actor_id"|"payload"/);

      // Staff do see them.
      const staffView = await t.request('GET', `/api/office/cases/${id}`, { cookie: acceptor });
      expect(staffView.body).toContain(secretNote);
      expect(staffView.body).toContain(returnReason);
    });
  });

  describe('review request, evaluation and petitioner-only acts', () => {
    it('accepts a review request within the window (201, under_review)', async () => {
      const { id, citizen } = await newCase(t);
      await driveToReplied(id);
      const r = await t.request('POST', `/api/cases/${id}/review-request`, { cookie: citizen.cookie, body: { reason: '答复未解决拖欠工资问题，申请复查。' } });
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json()).toMatchObject({ state: 'under_review', reviewLevel: 1 });
      // reply on 2026-03-02 → decision due 30 calendar days from the request: 2026-04-01.
      expect(r.json<{ dueReviewDecision: string }>().dueReviewDecision).toBe('2026-04-01');
      expect((await caseRow(id)).state).toBe('under_review');
      // A second request at the same level is a state conflict.
      expectError(await t.request('POST', `/api/cases/${id}/review-request`, { cookie: citizen.cookie, body: { reason: '再次申请复查，理由同上。' } }), 409);
    });

    it('refuses a review request 31 days after the reply (window closed), changing nothing', async () => {
      const { id, citizen } = await newCase(t);
      await driveToReplied(id);
      expect((await caseRow(id)).due_review_request).toBe('2026-04-01');
      t.setNow('2026-04-01T15:00:00Z'); // 2026-04-01 23:00 in Beijing: still the last day
      const loginLastDay = await login(citizen.phone, 'Passw0rd!');
      expect(loginLastDay.statusCode).toBe(200);
      const stillOpen = (await t.request('GET', `/api/my/cases/${id}`, { cookie: cookieOf(loginLastDay) })).json<{ allowedActions: string[] }>();
      expect(stillOpen.allowedActions).toContain('review-request');

      t.setNow('2026-04-02T02:00:00Z'); // 31 days after the reply
      const fresh = cookieOf(await login(citizen.phone, 'Passw0rd!'));
      const events = await countEvents(id);
      const e = expectError(
        await t.request('POST', `/api/cases/${id}/review-request`, { cookie: fresh, body: { reason: '答复未解决问题，申请复查。' } }),
        409,
        'window_closed',
      );
      expect(e.message).toContain('2026-04-01');
      expect((await caseRow(id)).state).toBe('replied');
      expect(await countEvents(id)).toBe(events);
      const view = (await t.request('GET', `/api/my/cases/${id}`, { cookie: fresh })).json<{ allowedActions: string[] }>();
      expect(view.allowedActions).not.toContain('review-request');
    });

    it('takes one evaluation only: a second is 409', async () => {
      const { id, citizen } = await newCase(t);
      await driveToReplied(id);
      const first = await t.request('POST', `/api/cases/${id}/evaluation`, { cookie: citizen.cookie, body: { rating: 'dissatisfied', comment: '问题没有解决' } });
      expect(first.statusCode, first.body).toBe(201);
      expect(first.json()).toMatchObject({ state: 'replied', evaluation: 'dissatisfied' });
      const events = await countEvents(id);
      expectError(await t.request('POST', `/api/cases/${id}/evaluation`, { cookie: citizen.cookie, body: { rating: 'satisfied' } }), 409);
      expect((await caseRow(id)).evaluation).toBe('dissatisfied');
      expect(await countEvents(id)).toBe(events);
    });

    it('refuses staff evaluating, requesting review or confirming receipt in the petitioner’s place (403, no event)', async () => {
      const { id, citizen } = await newCase(t);
      await driveToReplied(id);
      const before = await caseRow(id);
      const events = await countEvents(id);
      for (const username of ['zd.acceptor', 'zd.handler', 'zd.leader', 'prov.admin']) {
        const staff = await t.staff(username);
        expectError(await t.request('POST', `/api/cases/${id}/evaluation`, { cookie: staff, body: { rating: 'satisfied' } }), 403, 'forbidden');
        expectError(await t.request('POST', `/api/cases/${id}/review-request`, { cookie: staff, body: { reason: '代信访人申请复查。' } }), 403, 'forbidden');
        expectError(await t.request('POST', `/api/cases/${id}/confirm-receipt`, { cookie: staff }), 403, 'forbidden');
      }
      expect(await countEvents(id)).toBe(events);
      const after = await caseRow(id);
      expect(after.state).toBe('replied');
      expect(after.evaluation).toBeNull();
      expect(after.reply_received_at).toBeNull();
      expect(after.head_hash).toBe(before.head_hash);

      // The petitioner can, once.
      const ok = await t.request('POST', `/api/cases/${id}/confirm-receipt`, { cookie: citizen.cookie });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json<{ replyReceivedAt: string }>().replyReceivedAt).toBe(new Date(BASE_NOW).toISOString());
      expectError(await t.request('POST', `/api/cases/${id}/confirm-receipt`, { cookie: citizen.cookie }), 409);
      expect(await countEvents(id)).toBe(events + 1);
    });
  });
});
