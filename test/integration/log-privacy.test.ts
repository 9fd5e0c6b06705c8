/**
 * Logs carry no personal data: the server's own pino output, captured over a whole lifecycle
 * (registration, submission, tracking, staff actions with unmasking, a one-time code, and failing
 * requests whose bodies and URLs carry personal data), contains no plaintext name, ID number, phone,
 * address, query code, one-time code, password or session token.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from '../support/harness.js';
import { buildApp } from '../../src/http/app.js';
import { csrfHeader, csrfValue } from '../../src/http/security.js';
import { makeIdNumber } from '../../src/domain/id-number.js';
import { openOutboxPayload } from '../../src/services/outbox-secrets.js';
import { demoPassword } from '../../src/services/seed.service.js';

describe.each(databases)('no personal data in the logs (%s)', (kind) => {
  let t: TestApp;
  let app: FastifyInstance;
  const lines: string[] = [];
  beforeAll(async () => {
    t = await startTestApp(kind);
    // The same server as production, with its logger on (level debug: more than production writes).
    t.ctx.config = { ...t.ctx.config, logLevel: 'debug' };
    const stream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString('utf8'));
        cb();
      },
    });
    app = await buildApp(t.ctx, { logger: true, logStream: stream });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  const tokens: string[] = [];
  async function req(method: string, url: string, o: { cookie?: string; body?: unknown; raw?: string } = {}) {
    const opts: InjectOptions = {
      method: method as 'GET',
      url,
      headers: { [csrfHeader]: csrfValue, ...(o.cookie ? { cookie: o.cookie } : {}), ...(o.raw !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(o.raw !== undefined ? { payload: o.raw } : o.body !== undefined ? { payload: o.body as object } : {}),
    };
    const r = await app.inject(opts);
    const c = r.cookies.find((x) => x.name === 'xf_session');
    if (c?.value) tokens.push(c.value);
    return r;
  }
  const cookie = (r: { cookies: { name: string; value: string }[] }) => `xf_session=${r.cookies.find((x) => x.name === 'xf_session')!.value}`;

  it('a full lifecycle with failures leaves no personal data, code, password or token in the log', async () => {
    const name = '慕容晓彤';
    const phone = '13755550123';
    const idNumber = makeIdNumber('130123', '19820417', '027');
    const password = 'Mima@Secret9';
    const address = '正定县城关镇兴荣路 77 号院';
    const visitor = { name: '公孙长风', phone: '13655550456', idNumber: makeIdNumber('130123', '19750909', '031'), address: '正定县新城铺镇幸福街 12 号' };
    const secrets: string[] = [name, phone, idNumber, password, address, visitor.name, visitor.phone, visitor.idNumber, visitor.address, demoPassword];

    // Failing registrations carrying personal data: weak password, malformed JSON, then success and a duplicate.
    expect((await req('POST', '/api/auth/register', { body: { name, idNumber, phone, password: 'weak' } })).statusCode).toBe(400);
    expect((await req('POST', '/api/auth/register', { raw: `{"name":"${name}","idNumber":"${idNumber}","phone":"${phone}",` })).statusCode).toBe(400);
    expect((await req('POST', '/api/auth/register', { body: { name, idNumber, phone, password, extra: address } })).statusCode).toBe(400);
    const reg = await req('POST', '/api/auth/register', { body: { name, idNumber, phone, password } });
    expect(reg.statusCode, reg.body).toBe(201);
    expect((await req('POST', '/api/auth/register', { body: { name, idNumber, phone, password } })).statusCode).toBe(409);
    expect((await req('POST', '/api/auth/login', { body: { login: phone, password: 'Wrong@pass1' } })).statusCode).toBe(401);
    const citizen = cookie(await req('POST', '/api/auth/login', { body: { login: phone, password } }));

    // Submission with address and a co-petitioner; a bad one with personal data in it.
    const body = { target: 'bureau', categoryCode: 'labour', regionCode: '130123', address, title: '建筑工地拖欠工资', content: `本人${name}，身份证${idNumber}，电话${phone}，在工地务工三个月工资未付。` };
    expect((await req('POST', '/api/cases', { cookie: citizen, body: { ...body, regionCode: phone } })).statusCode).toBe(400);
    const sub = await req('POST', '/api/cases', { cookie: citizen, body });
    expect(sub.statusCode, sub.body).toBe(201);
    const { id, queryCode } = sub.json<{ id: string; queryCode: string }>();
    secrets.push(queryCode, queryCode.replace(/-/g, ''));

    // Tracking, with the right and a wrong code, and a search carrying a name and a phone.
    expect((await req('GET', `/api/track/${queryCode}`)).statusCode).toBe(200);
    expect((await req('GET', `/api/track/${queryCode.replace(/-/g, '')}`)).statusCode).toBe(200);
    expect((await req('GET', `/api/track/${phone}`)).statusCode).toBeGreaterThanOrEqual(400);
    const staffLogin = async (u: string) => cookie(await req('POST', '/api/auth/login', { body: { login: u, password: demoPassword } }));
    const acceptor = await staffLogin('zd.acceptor');
    expect((await req('GET', `/api/office/cases?q=${encodeURIComponent(name)}`, { cookie: acceptor })).statusCode).toBe(200);
    expect((await req('GET', `/api/office/cases?q=${phone}&x=${encodeURIComponent(idNumber)}`, { cookie: acceptor })).statusCode).toBeLessThan(500);
    expect((await req('POST', `/api/office/cases/${id}/actions/accept`, { cookie: acceptor, body: {} })).statusCode).toBe(200);
    const leader = await staffLogin('zd.leader');
    const unmask = await req('POST', `/api/office/cases/${id}/unmask`, { cookie: leader, body: { reason: `联系信访人${name}核实` } });
    expect(unmask.statusCode, unmask.body).toBe(200);
    expect(unmask.body).toContain(phone); // the answer has it; the log must not

    // A staff-entered visit and a one-time code for it, used on an act the case refuses (409).
    const registrar = await staffLogin('zd.registrar');
    const entry = await req('POST', '/api/office/entries', {
      cookie: registrar,
      body: { channel: 'visit', petitioner: { name: visitor.name, phone: visitor.phone, address: visitor.address, idNumber: visitor.idNumber }, categoryCode: 'labour', regionCode: '130123', title: '物流公司拖欠工资', content: '来访人称物流公司拖欠搬运工工资六千元，请求督促支付。' },
    });
    expect(entry.statusCode, entry.body).toBe(201);
    const e = entry.json<{ id: string; queryCode: string }>();
    secrets.push(e.queryCode, e.queryCode.replace(/-/g, ''));
    expect((await req('POST', `/api/track/${e.queryCode}/otp`)).statusCode).toBe(201);
    const sms = await t.ctx.store.db.selectFrom('outbox').selectAll().where('case_id', '=', e.id).where('template', '=', 'otp').executeTakeFirstOrThrow();
    const otp = String(openOutboxPayload(t.ctx, sms.payload, sms.secrets_enc).code);
    expect((await req('POST', `/api/track/${e.queryCode}/confirm-receipt`, { body: { otp } })).statusCode).toBe(409);
    expect((await req('POST', `/api/track/${e.queryCode}/confirm-receipt`, { body: { otp: '12345x' } })).statusCode).toBe(400);
    // A password change with a wrong current password.
    expect((await req('POST', '/api/me/password', { cookie: citizen, body: { currentPassword: 'Wrong@pass1', newPassword: 'Xin@Mima2027' } })).statusCode).toBe(400);
    expect((await req('POST', '/api/auth/logout', { cookie: citizen })).statusCode).toBe(204);

    const log = lines.join('');
    // The log did record the traffic (so the scan would see a leak).
    expect(lines.length).toBeGreaterThan(40);
    expect(log).toContain('/api/track/***');
    expect(log).toContain('/api/office/cases?q=***');
    expect(log).toContain('"statusCode":409');
    const found = [...secrets, otp, ...tokens].filter((s) => s.length >= 6 && log.includes(s));
    expect(found).toEqual([]);
    // Nor in JSON-escaped form (pino escapes non-ASCII only when asked; check both).
    const escaped = [name, address, visitor.name, visitor.address].map((s) => JSON.stringify(s).slice(1, -1).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
    expect(escaped.filter((s) => log.includes(s))).toEqual([]);
  });
});
