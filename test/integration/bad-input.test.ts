/**
 * Malformed input of every kind must come back as a 4xx with the contract's error body — never a
 * 500 — and must change nothing. Ends with a seeded fuzz loop over the writable routes.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, databases, newCase, newCaseBody, startTestApp, type TestApp } from '../support/harness.js';
import { staffActions } from '../../src/domain/case-state.js';
import { seededRandom } from '../../src/domain/seeded-random.js';

const HAN = /[\u4e00-\u9fa5]/;

interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

function expectError(r: LightMyRequestResponse, status: number, code?: string): ErrorBody['error'] {
  expect(r.statusCode, r.body).toBe(status);
  expect(r.headers['content-type']).toMatch(/^application\/json/);
  const body = r.json<ErrorBody>();
  expect(Object.keys(body)).toEqual(['error']);
  expect(typeof body.error.code).toBe('string');
  if (code) expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(HAN);
  return body.error;
}

describe.each(databases)('bad input never becomes a 500 (%s)', (kind) => {
  let t: TestApp;
  let citizen: string;
  let staff: string;
  let caseId: string;

  const db = () => t.ctx.store.db;
  const countCases = async () => Number((await db().selectFrom('case_file').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const countAccounts = async () => Number((await db().selectFrom('account').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  const raw = (method: string, url: string, payload: string | Buffer, contentType: string | undefined, cookie?: string) =>
    t.app.inject({
      method: method as 'POST',
      url,
      payload,
      headers: { ...(contentType ? { 'content-type': contentType } : {}), ...(cookie ? { cookie } : {}) },
    });

  beforeAll(async () => {
    t = await startTestApp(kind);
    const c = await newCase(t);
    citizen = c.citizen.cookie;
    caseId = c.id;
    staff = await t.staff('zd.acceptor');
  });
  afterAll(async () => {
    await t.close();
  });

  it('malformed JSON is 400 bad_json on every JSON route', async () => {
    const before = await countCases();
    for (const payload of ['{"title":', '{title: "x"}', '[1,2', '{"a":1}}', 'nul', '\u0000\u0001', '{"a":"\\ud800"']) {
      expectError(await raw('POST', '/api/cases', payload, 'application/json', citizen), 400, 'bad_json');
      expectError(await raw('POST', '/api/auth/login', payload, 'application/json'), 400, 'bad_json');
      expectError(await raw('POST', '/api/auth/register', payload, 'application/json'), 400, 'bad_json');
      expectError(await raw('POST', `/api/office/cases/${caseId}/actions/note`, payload, 'application/json', staff), 400, 'bad_json');
    }
    // A charset parameter and odd casing do not break parsing.
    expectError(await raw('POST', '/api/cases', '{"title":', 'Application/JSON; charset=utf-8', citizen), 400, 'bad_json');
    expect(await countCases()).toBe(before);
  });

  it('wrong types are 400 bad_input with the offending fields named', async () => {
    const before = await countCases();
    const e1 = expectError(await t.request('POST', '/api/auth/login', { body: { login: 13900000001, password: true } }), 400, 'bad_input');
    expect(Object.keys(e1.fields ?? {})).toEqual(expect.arrayContaining(['login', 'password']));
    for (const v of Object.values(e1.fields ?? {})) expect(v).toMatch(HAN);

    const e2 = expectError(await t.request('POST', '/api/cases', { cookie: citizen, body: newCaseBody({ title: 42, coPetitioners: 'everyone', publicConsent: 'yes' }) }), 400, 'bad_input');
    expect(Object.keys(e2.fields ?? {})).toEqual(expect.arrayContaining(['title', 'coPetitioners', 'publicConsent']));

    expectError(await t.request('POST', '/api/cases', { cookie: citizen, body: newCaseBody({ coPetitioners: [{ name: ['张三'] }] }) }), 400, 'bad_input');
    expectError(await t.request('POST', '/api/cases', { cookie: citizen, body: newCaseBody({ regionCode: 130123 }) }), 400, 'bad_input');
    expectError(await t.request('POST', '/api/cases', { cookie: citizen, body: newCaseBody({ regionCode: '999999' }) }), 400, 'bad_input');
    expectError(await t.request('POST', '/api/cases', { cookie: citizen, body: newCaseBody({ categoryCode: 'no-such-category' }) }), 400, 'bad_input');
    expectError(await t.request('POST', '/api/cases', { cookie: citizen, body: newCaseBody({ accusedUnitIds: ['no-such-unit'] }) }), 400, 'bad_input');
    expectError(await t.request('POST', '/api/cases', { cookie: citizen, body: newCaseBody({ content: '   太短了   ' }) }), 400, 'bad_input');
    // A JSON array, string, number or null where an object is expected.
    for (const payload of ['[]', '"text"', '42', 'null', 'true']) {
      expectError(await raw('POST', '/api/cases', payload, 'application/json', citizen), 400);
      expectError(await raw('POST', '/api/auth/register', payload, 'application/json'), 400);
      expectError(await raw('POST', `/api/office/cases/${caseId}/actions/note`, payload, 'application/json', staff), 400);
    }
    // Action bodies are checked by the service: wrong types there are 400 as well.
    expectError(await act(t, staff, caseId, 'note', { text: 12345 }), 400, 'bad_input');
    expectError(await act(t, staff, caseId, 'reject', { reasonCode: ['x'], guidanceChannel: { a: 1 } }), 400, 'bad_input');
    expectError(await act(t, staff, caseId, 'reject', { reasonCode: 'nope', guidanceChannel: 'nope' }), 400, 'bad_input');
    expect(await countCases()).toBe(before);
    expect((await t.request('GET', `/api/office/cases/${caseId}`, { cookie: staff })).json()).toMatchObject({ state: 'submitted' });
  });

  it('unknown fields are refused by the strict schemas (400)', async () => {
    const beforeCases = await countCases();
    const beforeAccounts = await countAccounts();
    const e = expectError(await t.request('POST', '/api/cases', { cookie: citizen, body: newCaseBody({ state: 'closed' }) }), 400, 'bad_input');
    expect(JSON.stringify(e.fields)).toMatch(HAN);
    expectError(await t.request('POST', '/api/cases', { cookie: citizen, body: newCaseBody({ petitionerId: 'someone-else' }) }), 400, 'bad_input');
    expectError(await t.request('POST', '/api/cases', { cookie: citizen, body: newCaseBody({ coPetitioners: [{ name: '张三丰', idNumber: '1' }] }) }), 400, 'bad_input');
    expectError(await t.request('POST', '/api/auth/register', { body: { name: '李建华', idNumber: '130102199003155016', phone: '13700000999', password: 'Str0ngPass!', kind: 'staff' } }), 400, 'bad_input');
    expectError(await t.request('POST', '/api/auth/register', { body: { name: '李建华', idNumber: '130102199003155016', phone: '13700000999', password: 'Str0ngPass!', roles: ['admin'] } }), 400, 'bad_input');
    expectError(await t.request('POST', '/api/auth/login', { body: { login: 'zd.acceptor', password: 'x', remember: true } }), 400, 'bad_input');
    expectError(await t.request('POST', `/api/cases/${caseId}/messages`, { cookie: citizen, body: { text: '你好你好', from: 'staff' } }), 400, 'bad_input');
    expectError(await t.request('POST', `/api/cases/${caseId}/withdraw`, { cookie: citizen, body: { reason: 'x', state: 'closed' } }), 400, 'bad_input');
    expectError(await t.request('GET', '/api/office/cases?foo=bar', { cookie: staff }), 400, 'bad_input');
    expect(await countCases()).toBe(beforeCases);
    expect(await countAccounts()).toBe(beforeAccounts);
  });

  it('an empty body on POST /api/cases is 400', async () => {
    const before = await countCases();
    expectError(await raw('POST', '/api/cases', '', 'application/json', citizen), 400, 'bad_input');
    expectError(await raw('POST', '/api/cases', '', undefined, citizen), 400);
    expectError(await raw('POST', '/api/cases', '{}', 'application/json', citizen), 400, 'bad_input');
    expectError(await raw('POST', '/api/cases', '   ', 'application/json', citizen), 400);
    expectError(await raw('POST', '/api/auth/login', '', 'application/json'), 400);
    expect(await countCases()).toBe(before);
  });

  it('a body over 256 KB is 413', async () => {
    const before = await countCases();
    const big = JSON.stringify(newCaseBody({ content: '很'.repeat(100_000) })); // ~300 KB of UTF-8
    expect(Buffer.byteLength(big)).toBeGreaterThan(256 * 1024);
    expectError(await raw('POST', '/api/cases', big, 'application/json', citizen), 413, 'too_large');
    const padded = JSON.stringify({ login: 'x', password: 'y', pad: 'a'.repeat(300 * 1024) });
    expectError(await raw('POST', '/api/auth/login', padded, 'application/json'), 413, 'too_large');
    expectError(await raw('POST', `/api/office/cases/${caseId}/actions/note`, JSON.stringify({ text: 'a'.repeat(300 * 1024) }), 'application/json', staff), 413, 'too_large');
    expect(await countCases()).toBe(before);
  });

  it('a non-JSON content type is 415', async () => {
    const before = await countCases();
    const body = JSON.stringify(newCaseBody());
    expectError(await raw('POST', '/api/cases', body, 'text/plain', citizen), 415, 'unsupported_media_type');
    expectError(await raw('POST', '/api/cases', body, 'text/plain; charset=utf-8', citizen), 415, 'unsupported_media_type');
    expectError(await raw('POST', '/api/cases', 'target=bureau&title=x', 'application/x-www-form-urlencoded', citizen), 415, 'unsupported_media_type');
    expectError(await raw('POST', '/api/cases', '<case/>', 'application/xml', citizen), 415, 'unsupported_media_type');
    expectError(await raw('POST', '/api/auth/login', JSON.stringify({ login: 'zd.acceptor', password: 'Xinfang@2026' }), 'text/plain'), 415, 'unsupported_media_type');
    expectError(await raw('POST', `/api/office/cases/${caseId}/actions/accept`, '{}', 'text/plain', staff), 415, 'unsupported_media_type');
    // A multipart body on a JSON route is refused too, without reaching the service.
    const boundary = 'xfBoundary123';
    const mp = `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nhello\r\n--${boundary}--\r\n`;
    const r = await raw('POST', '/api/cases', mp, `multipart/form-data; boundary=${boundary}`, citizen);
    expect(r.statusCode).toBeGreaterThanOrEqual(400);
    expect(r.statusCode).toBeLessThan(500);
    expectError(r, r.statusCode);
    expect(await countCases()).toBe(before);
    expect((await t.request('GET', `/api/office/cases/${caseId}`, { cookie: staff })).json()).toMatchObject({ state: 'submitted' });
  });

  it('an unknown route is a JSON 404', async () => {
    for (const [method, url] of [
      ['GET', '/api/nope'],
      ['POST', '/api/cases/extra/segments/here'],
      ['DELETE', '/api/cases'],
      ['GET', '/api'],
      ['PUT', `/api/office/cases/${caseId}`],
    ] as const) {
      const e = expectError(await t.request(method, url, { cookie: citizen }), 404, 'not_found');
      expect(e.message).toContain('接口不存在');
    }
  });

  it('a non-uuid case id is 400 on every route that takes one', async () => {
    for (const bad of ['abc', '1', '00000000-0000-0000-0000-00000000000g', "1'%20or%20'1'='1", '%00', '..%2F..%2Fetc%2Fpasswd']) {
      expectError(await t.request('GET', `/api/my/cases/${bad}`, { cookie: citizen }), 400, 'bad_input');
      expectError(await t.request('POST', `/api/cases/${bad}/messages`, { cookie: citizen, body: { text: '留言内容' } }), 400, 'bad_input');
      expectError(await t.request('POST', `/api/cases/${bad}/withdraw`, { cookie: citizen, body: {} }), 400, 'bad_input');
      expectError(await t.request('GET', `/api/office/cases/${bad}`, { cookie: staff }), 400, 'bad_input');
      expectError(await act(t, staff, bad, 'accept'), 400, 'bad_input');
      expectError(await t.request('GET', `/api/cases/${bad}/attachments/${bad}`, { cookie: citizen }), 400, 'bad_input');
    }
  });

  it('a path the router cannot read (bad percent-encoding, an overlong segment) is a Chinese 400 in the contract body', async () => {
    for (const url of ['/api/my/cases/%ED%A0%80', '/api/cases/%E4%B8/messages', '/api/track/%FF%FE']) {
      const e = expectError(await t.request('GET', url, { cookie: citizen }), 400, 'bad_input');
      expect(e.message).toBe('请求路径含有无效的字符编码');
    }
    const long = 'x'.repeat(3000);
    for (const url of [`/api/track/${long}`, `/api/office/cases/${long}`, `/api/cases/${long}/documents`]) {
      const r = await t.request('GET', url, { cookie: staff });
      expect(expectError(r, 400, 'bad_input').message).toBe('请求路径中的参数过长');
      expect(r.headers['cache-control']).toBe('no-store');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('impossible days and out-of-range record numbers in queries are 400, not errors deeper down', async () => {
    const supervisor = await t.staff('sjz.supervisor');
    for (const week of ['2026-02-30', '0000-00-00', '0000-01-01', '1899-12-31']) {
      expectError(await t.request('GET', `/api/office/stats/trending?week=${week}`, { cookie: supervisor }), 400, 'bad_input');
    }
    expect((await t.request('GET', '/api/office/stats/trending?week=2026-03-02', { cookie: supervisor })).statusCode).toBe(200);
    expectError(await t.request('GET', '/api/office/stats?from=2026-02-30&to=2026-03-31', { cookie: supervisor }), 400, 'bad_input');
    const admin = await t.staff('zd.admin');
    // PostgreSQL's serial ids are 32-bit: a larger number names no record and must not reach the query.
    for (const url of ['/api/security/log?before=9007199254740991', '/api/admin/outbox/2147483648/retry']) {
      const r = await t.request(url.includes('retry') ? 'POST' : 'GET', url, { cookie: admin, ...(url.includes('retry') ? { body: {} } : {}) });
      expect(r.statusCode, `${url}: ${r.body}`).toBeLessThan(500);
      expect(r.json<ErrorBody>().error.message).toMatch(HAN);
    }
  });

  it('a staff member with neither side of supervision gets an empty list, not an error', async () => {
    // An acceptor neither opens supervision (case.supervise) nor answers it: asking for the supervisor's side leaves nothing to match.
    for (const q of ['side=supervisor', `side=supervisor&caseId=${caseId}`, 'side=unit', '']) {
      const r = await t.request('GET', `/api/office/supervisions?${q}`, { cookie: staff });
      expect(r.statusCode, `${q}: ${r.body}`).toBe(200);
      expect(r.json<{ items: unknown[] }>().items).toEqual([]);
    }
  });

  it('a staff action refuses fields it does not take and yes/no or numbers sent as text, naming them, and changes nothing', async () => {
    const timeline = async () => (await t.request('GET', `/api/office/cases/${caseId}`, { cookie: staff })).json<{ state: string; timeline: unknown[] }>();
    const before = await timeline();
    // A misspelt optional field would otherwise pass silently as if it had not been sent.
    let e = expectError(await act(t, staff, caseId, 'accept', { notes: '同意受理' }), 400, 'bad_input');
    expect(e.fields).toEqual({ notes: '此操作不接受该项' });
    expect(e.message).toContain('notes');
    e = expectError(await act(t, staff, caseId, 'accept', { note: 5, state: 'closed' }), 400, 'bad_input');
    expect(e.fields).toEqual({ note: '应为文字', state: '此操作不接受该项' });
    // "approve": "false" must not approve; "days": "10" is not a number of days.
    expect(expectError(await act(t, staff, caseId, 'approve-extension', { approve: 'false' }), 400, 'bad_input').fields).toEqual({ approve: '应为 true 或 false' });
    expect(expectError(await act(t, staff, caseId, 'request-extension', { days: '10', reason: '需要现场勘验' }), 400, 'bad_input').fields).toEqual({ days: '应为整数' });
    const after = await timeline();
    expect(after.state).toBe(before.state);
    expect(after.timeline).toHaveLength(before.timeline.length);
  });

  it('an unknown action name is 400 and changes nothing', async () => {
    const before = (await t.request('GET', `/api/office/cases/${caseId}`, { cookie: staff })).json<{ timeline: unknown[] }>().timeline.length;
    for (const action of ['delete', 'ACCEPT', 'approve', '__proto__', 'constructor', 'accept%20', '']) {
      expectError(await act(t, staff, caseId, action), 400, 'bad_input');
    }
    const view = (await t.request('GET', `/api/office/cases/${caseId}`, { cookie: staff })).json<{ state: string; timeline: unknown[] }>();
    expect(view.state).toBe('submitted');
    expect(view.timeline).toHaveLength(before);
  });

  it('the office queue refuses unknown states and absurd pages with 400, and a page past the count cap with a 400 naming the page', async () => {
    expectError(await t.request('GET', '/api/office/cases?state=bogus', { cookie: staff }), 400, 'bad_input');
    expectError(await t.request('GET', '/api/office/cases?state=submitted,bogus', { cookie: staff }), 400, 'bad_input');
    expectError(await t.request('GET', `/api/office/cases?state=${'submitted,'.repeat(30)}`, { cookie: staff }), 400, 'bad_input');
    expectError(await t.request('GET', '/api/office/cases?due=yesterday', { cookie: staff }), 400, 'bad_input');
    for (const page of ['0', '-1', '1.5', 'abc', '999999999999', '1e309', 'Infinity', 'NaN', '9'.repeat(400), '']) {
      expectError(await t.request('GET', `/api/office/cases?page=${page}`, { cookie: staff }), 400, 'bad_input');
    }
    for (const pageSize of ['0', '201', '-5', '1e3']) {
      expectError(await t.request('GET', `/api/office/cases?pageSize=${pageSize}`, { cookie: staff }), 400, 'bad_input');
    }
    const far = await t.request('GET', '/api/office/cases?page=100000&pageSize=200', { cookie: staff });
    expectError(far, 400, 'bad_input');
    expect(far.json().error.fields).toHaveProperty('page');
    const ok = await t.request('GET', '/api/office/cases?state=submitted&page=1', { cookie: staff });
    expect(ok.statusCode).toBe(200);
    expect(ok.json<{ total: number }>().total).toBeGreaterThanOrEqual(1);
    // Search text with LIKE wildcards and quotes is text, not syntax.
    for (const q of ['%', '_', "'; drop table case_file; --", '\\', '拖欠%工资']) {
      const r = await t.request('GET', `/api/office/cases?q=${encodeURIComponent(q)}`, { cookie: staff });
      expect(r.statusCode, q).toBe(200);
    }
    expect((await t.request('GET', `/api/office/cases?q=${encodeURIComponent('%')}`, { cookie: staff })).json<{ total: number }>().total).toBe(0);
    expectError(await t.request('GET', '/api/office/cases?unit=no-such-unit', { cookie: staff }), 400, 'bad_input');
    expectError(await t.request('GET', '/api/office/units?parent=no-such-unit', { cookie: staff }), 400, 'bad_input');
    expectError(await t.request('GET', '/api/office/units?parent=130000', { cookie: staff }), 400, 'bad_input'); // outside 正定县's scope
  });

  it('odd headers and cookies do not break anything', async () => {
    // A garbage or oversized session cookie is simply "not logged in".
    for (const cookie of ['xf_session=', 'xf_session=garbage', `xf_session=${'a'.repeat(5000)}`, 'xf_session=%E0%A4%A', 'xf_session']) {
      expectError(await t.request('GET', '/api/me', { cookie }), 401, 'not_logged_in');
    }
    // Idempotency keys outside the allowed length are refused before anything is created.
    const before = await countCases();
    expectError(await t.request('POST', '/api/cases', { cookie: citizen, body: newCaseBody(), headers: { 'idempotency-key': 'short' } }), 400, 'bad_input');
    expectError(await t.request('POST', '/api/cases', { cookie: citizen, body: newCaseBody(), headers: { 'idempotency-key': 'k'.repeat(101) } }), 400, 'bad_input');
    expect(await countCases()).toBe(before);
    // A foreign Origin on a write is refused.
    expectError(await t.request('POST', '/api/cases', { cookie: citizen, body: newCaseBody(), headers: { origin: 'https://evil.example' } }), 403, 'cross_site');
    expectError(await t.request('POST', '/api/cases', { cookie: citizen, body: newCaseBody(), headers: { origin: 'not a url' } }), 403, 'cross_site');
    expect(await countCases()).toBe(before);
  });

  it('fuzz: 200 random JSON-ish payloads never produce a 500', async () => {
    const seed = Number(process.env.XF_FUZZ_SEED ?? 20260302);
    const rand = seededRandom(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const int = (n: number) => Math.floor(rand() * n);
    const citizenFields = ['target', 'categoryCode', 'regionCode', 'address', 'title', 'content', 'coPetitioners', 'publicConsent', 'denunciation', 'accusedUnitIds'];
    const accountFields = ['name', 'idNumber', 'phone', 'password', 'login'];
    const actionFields = ['unitId', 'reason', 'reasonCode', 'guidanceChannel', 'explanation', 'text', 'days', 'approve', 'outcome', 'intoCaseId', 'message', 'note', 'instructions', 'attachmentIds'];
    const strings = [
      '',
      ' ',
      'bureau',
      'mailbox:130000',
      'mailbox:',
      '130123',
      '130123-zj',
      '130000-xfj',
      'labour',
      'not_scope',
      'litigation',
      'upheld',
      'changed',
      '13900000001',
      'zd.acceptor',
      'Xinfang@2026',
      '130123198001010011',
      '张三',
      '\u0000',
      '\ud800',
      '😀'.repeat(3),
      "' or 1=1 --",
      '<script>alert(1)</script>',
      '%s%s%n',
      '../../etc/passwd',
      '__proto__',
      '9'.repeat(30),
      '经核查，已责令用工单位于本月底前足额支付工资。',
      caseId,
    ];
    const value = (depth: number): unknown => {
      switch (int(depth > 2 ? 6 : 9)) {
        case 0:
          return null;
        case 1:
          return rand() < 0.5;
        case 2:
          return pick([0, -1, 1, 2, 30, 31, 1e308, -1e308, 0.5, Number.MAX_SAFE_INTEGER, 2 ** 53 + 1]);
        case 3:
        case 4:
          return pick(strings);
        case 5:
          return 'x'.repeat(int(3) === 0 ? 6000 : int(50));
        case 6:
          return Array.from({ length: int(4) }, () => value(depth + 1));
        case 7:
        case 8:
        default:
          return object(depth + 1, pick([citizenFields, accountFields, actionFields]));
      }
    };
    const object = (depth: number, fields: string[]): Record<string, unknown> => {
      const o: Record<string, unknown> = {};
      for (let i = int(6); i > 0; i--) o[rand() < 0.85 ? pick(fields) : pick(['__proto__', 'constructor', 'prototype', 'extra', '', '0'])] = value(depth);
      return o;
    };
    /** A payload: mostly JSON objects that half-resemble the real body, sometimes mangled text. */
    const payload = (fields: string[], base: Record<string, unknown>): string => {
      const r = rand();
      if (r < 0.45) {
        const o: Record<string, unknown> = { ...base };
        for (let i = int(4); i > 0; i--) o[pick(fields)] = value(1);
        if (rand() < 0.3) delete o[pick(fields)];
        return JSON.stringify(o);
      }
      if (r < 0.75) return JSON.stringify(object(0, fields));
      if (r < 0.85) return JSON.stringify(value(0));
      const s = JSON.stringify(object(0, fields));
      const cut = int(s.length + 1);
      return pick([s.slice(0, cut), s.slice(cut), s.replace(/"/g, "'"), `${s},`, s.replace(/:/, '::'), '\ufeff' + s]);
    };

    const acceptor = staff;
    const dispatcher = await t.staff('zd.dispatcher');
    const handler = await t.staff('zd.handler');
    const leader = await t.staff('zd.leader');
    const supervisor = await t.staff('sjz.supervisor');
    const staffCookies = [acceptor, dispatcher, handler, leader, supervisor];
    const fuzzCase = (await newCase(t)).id;
    const caseIds = [caseId, fuzzCase];
    const seen = new Map<number, number>();

    for (let i = 0; i < 200; i++) {
      const route = int(4);
      const contentType = rand() < 0.9 ? 'application/json' : pick(['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'application/vnd.api+json', '']);
      let r: LightMyRequestResponse;
      let desc: string;
      if (route === 0) {
        const p = payload(citizenFields, newCaseBody());
        desc = `POST /api/cases ${p.slice(0, 300)}`;
        r = await raw('POST', '/api/cases', p, contentType || undefined, citizen);
      } else if (route === 1) {
        const p = payload(accountFields.slice(0, 4), { name: '李建华', idNumber: '130102199003155016', phone: `136${String(i).padStart(8, '0')}`, password: 'Str0ngPass!' });
        desc = `POST /api/auth/register ${p.slice(0, 300)}`;
        r = await raw('POST', '/api/auth/register', p, contentType || undefined);
      } else if (route === 2) {
        const p = payload(['login', 'password'], { login: pick(['13900000001', 'nobody.here', '13600000000']), password: 'wrong-Passw0rd' });
        desc = `POST /api/auth/login ${p.slice(0, 300)}`;
        r = await raw('POST', '/api/auth/login', p, contentType || undefined);
      } else {
        const action = rand() < 0.9 ? pick(staffActions) : pick(['nope', 'ACCEPT', '']);
        const id = rand() < 0.9 ? pick(caseIds) : pick(['00000000-0000-4000-8000-000000000000', 'not-a-uuid']);
        const p = payload(actionFields, {});
        desc = `POST actions/${action} on ${id} ${p.slice(0, 300)}`;
        r = await raw('POST', `/api/office/cases/${id}/actions/${action}`, p, contentType || undefined, pick(staffCookies));
      }
      seen.set(r.statusCode, (seen.get(r.statusCode) ?? 0) + 1);
      expect(r.statusCode, `#${i} (seed ${seed}) ${desc} → ${r.body.slice(0, 300)}`).toBeLessThan(500);
      if (r.statusCode >= 400) {
        const body = r.json<ErrorBody>();
        expect(body.error.message, `#${i} ${desc}`).toMatch(HAN);
      }
    }
    // The loop exercised more than the 400 path.
    expect(seen.size).toBeGreaterThan(2);
    // The server is still healthy and the demo login was never locked by the fuzz.
    expect((await t.request('GET', '/api/health')).json()).toMatchObject({ status: 'ok' });
  });
});
