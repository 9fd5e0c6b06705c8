/**
 * Attachments over real multipart requests on a real database and a real upload directory:
 * content sniffing, size and count caps, ownership, downloads and storage names.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, cookieOf, databases, newCase, startTestApp, type TestApp } from '../support/harness.js';
import { createStaff } from '../../src/services/seed.service.js';

const HAN = /[\u4e00-\u9fa5]/;

interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

function expectError(r: LightMyRequestResponse, status: number, code?: string): ErrorBody['error'] {
  expect(r.statusCode, r.body).toBe(status);
  const body = r.json<ErrorBody>();
  expect(Object.keys(body)).toEqual(['error']);
  if (code) expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(HAN);
  return body.error;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
/** A real, decodable 1×1 RGBA PNG; `rgba` varies the pixel so different uploads differ in bytes. */
function tinyPng(rgba: [number, number, number, number] = [200, 30, 30, 255]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0); // width
  ihdr.writeUInt32BE(1, 4); // height
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  // compression, filter, interlace = 0
  const raw = Buffer.from([0, ...rgba]); // filter byte 0 + one pixel
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlib.deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
/** A PNG of about `bytes` bytes: a real image followed by an ancillary text chunk of padding. */
function pngOfSize(bytes: number): Buffer {
  const base = tinyPng();
  const pad = Math.max(0, bytes - base.length - 12);
  const iend = base.subarray(base.length - 12);
  const body = base.subarray(0, base.length - 12);
  return Buffer.concat([body, pngChunk('tEXt', Buffer.concat([Buffer.from('Comment\0'), Buffer.alloc(pad, 0x41)])), iend]).subarray(0, Math.max(bytes, base.length));
}

interface Part {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer | string;
}
/** A multipart/form-data body built by hand. */
function multipart(parts: Part[]): { payload: Buffer; contentType: string } {
  const boundary = `----xfBoundary${crypto.randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"`;
    head += '\r\n';
    if (p.contentType) head += `Content-Type: ${p.contentType}\r\n`;
    head += '\r\n';
    chunks.push(Buffer.from(head, 'utf8'), Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data, 'utf8'), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

describe.each(databases)('attachments (%s)', (kind) => {
  let t: TestApp;
  let capped: TestApp;

  const upload = (app: TestApp, caseId: string, cookie: string | undefined, file: { filename: string; data: Buffer; contentType?: string }, url?: string) => {
    const { payload, contentType } = multipart([{ name: 'file', filename: file.filename, contentType: file.contentType ?? 'image/png', data: file.data }]);
    return app.app.inject({
      method: 'POST',
      url: url ?? `/api/cases/${caseId}/attachments`,
      payload,
      headers: { 'content-type': contentType, ...(cookie ? { cookie } : {}) },
    });
  };
  const filesOnDisk = (app: TestApp) => (fs.existsSync(app.ctx.uploadDir) ? fs.readdirSync(app.ctx.uploadDir).sort() : []);
  const attachmentRows = (app: TestApp, caseId: string) => app.ctx.store.db.selectFrom('attachment').selectAll().where('case_id', '=', caseId).execute();

  beforeAll(async () => {
    [t, capped] = await Promise.all([startTestApp(kind), startTestApp(kind, { env: { XINFANG_MAX_UPLOAD_MB: '1', XINFANG_MAX_ATTACHMENTS: '2' } })]);
  });
  afterAll(async () => {
    await Promise.all([t?.close(), capped?.close()]);
  });

  it('stores a real PNG: 201 with its sha256, a generated storage name, and the same bytes on disk', async () => {
    const { id, citizen } = await newCase(t);
    const png = tinyPng();
    const filename = '王小明 身份证照片.png';
    const r = await upload(t, id, citizen.cookie, { filename, data: png });
    expect(r.statusCode, r.body).toBe(201);
    const att = r.json<{ id: string; filename: string; mime: string; size: number; sha256: string }>();
    expect(att).toMatchObject({ filename, mime: 'image/png', size: png.length, sha256: sha256(png) });
    expect(att.id).toMatch(/^[0-9a-f-]{36}$/);

    const rows = await attachmentRows(t, id);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.storage_name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.png$/);
    expect(row.storage_name).not.toContain('身份证');
    const onDisk = filesOnDisk(t);
    expect(onDisk).toContain(row.storage_name);
    expect(onDisk.some((f) => f.includes('王小明') || f.includes('身份证'))).toBe(false);
    expect(fs.readFileSync(path.join(t.ctx.uploadDir, row.storage_name)).equals(png)).toBe(true);
    // Not world-readable.
    expect(fs.statSync(path.join(t.ctx.uploadDir, row.storage_name)).mode & 0o077).toBe(0);
    // The upload directory is not under the served web root.
    expect(path.relative(path.resolve('web'), t.ctx.uploadDir).startsWith('..')).toBe(true);

    // The owner's case page lists it.
    const view = (await t.request('GET', `/api/my/cases/${id}`, { cookie: citizen.cookie })).json<{ attachments: { id: string; sha256: string }[] }>();
    expect(view.attachments).toEqual([expect.objectContaining({ id: att.id, sha256: sha256(png) })]);
  });

  it('keeps the uploaded filename (often a name or an ID) out of the public tracking view', async () => {
    const { id, queryCode, citizen } = await newCase(t);
    const filename = `${citizen.name}身份证正反面-${citizen.idNumber}.png`;
    expect((await upload(t, id, citizen.cookie, { filename, data: tinyPng([5, 5, 5, 255]) })).statusCode).toBe(201);
    const track = await t.request('GET', `/api/track/${queryCode}`);
    expect(track.statusCode).toBe(200);
    expect(track.json<{ timeline: { type: string }[] }>().timeline.map((e) => e.type)).toContain('attachment_added');
    expect(track.body).not.toContain(citizen.name);
    expect(track.body).not.toContain(citizen.idNumber);
    expect(track.body).not.toContain('身份证正反面');
    // The petitioner still sees the file by name on their own page.
    const own = (await t.request('GET', `/api/my/cases/${id}`, { cookie: citizen.cookie })).json<{ attachments: { filename: string }[] }>();
    expect(own.attachments.map((a) => a.filename)).toEqual([filename]);
  });

  it('sanitises a path-like filename; the file still lands in the upload directory under a generated name', async () => {
    const { id, citizen } = await newCase(t);
    const before = filesOnDisk(t);
    const r = await upload(t, id, citizen.cookie, { filename: '../../../../tmp/evil\\name.png', data: tinyPng([1, 2, 3, 255]) });
    expect(r.statusCode, r.body).toBe(201);
    const att = r.json<{ filename: string }>();
    expect(att.filename).not.toMatch(/[\\/]/);
    const added = filesOnDisk(t).filter((f) => !before.includes(f));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/^[0-9a-f-]{36}\.png$/);
  });

  it('refuses a text file renamed .png with 415, keeping nothing', async () => {
    const { id, citizen } = await newCase(t);
    const before = filesOnDisk(t);
    const e = expectError(await upload(t, id, citizen.cookie, { filename: 'photo.png', data: Buffer.from('这不是图片，只是一段文字。\nnot an image\n'), contentType: 'image/png' }), 415);
    expect(e.fields?.file).toMatch(HAN);
    // Nor an HTML page or a script dressed up as an image.
    expectError(await upload(t, id, citizen.cookie, { filename: 'x.png', data: Buffer.from('<html><script>alert(1)</script></html>') }), 415);
    expectError(await upload(t, id, citizen.cookie, { filename: 'x.pdf', data: Buffer.from('#!/bin/sh\nrm -rf /\n'), contentType: 'application/pdf' }), 415);
    expect(filesOnDisk(t)).toEqual(before);
    expect(await attachmentRows(t, id)).toHaveLength(0);
  });

  it('refuses an empty file with 400, and a request without a file', async () => {
    const { id, citizen } = await newCase(t);
    const before = filesOnDisk(t);
    const e = expectError(await upload(t, id, citizen.cookie, { filename: 'empty.png', data: Buffer.alloc(0) }), 400, 'bad_input');
    expect(e.fields?.file).toMatch(HAN);
    // A multipart body with only a text field.
    const { payload, contentType } = multipart([{ name: 'note', data: '没有文件' }]);
    const r = await t.app.inject({ method: 'POST', url: `/api/cases/${id}/attachments`, payload, headers: { 'content-type': contentType, cookie: citizen.cookie } });
    expect(r.statusCode).toBeGreaterThanOrEqual(400);
    expect(r.statusCode).toBeLessThan(500);
    expectError(r, r.statusCode);
    // JSON where a multipart upload is expected.
    expectError(await t.request('POST', `/api/cases/${id}/attachments`, { cookie: citizen.cookie, body: { file: 'aGVsbG8=' } }), 415);
    expect(filesOnDisk(t)).toEqual(before);
    expect(await attachmentRows(t, id)).toHaveLength(0);
  });

  it('refuses a file over XINFANG_MAX_UPLOAD_MB with 413 and keeps nothing', async () => {
    const { id, citizen } = await newCase(capped);
    const before = filesOnDisk(capped);
    const big = pngOfSize(1024 * 1024 + 10);
    expect(big.length).toBeGreaterThan(1024 * 1024);
    expectError(await upload(capped, id, citizen.cookie, { filename: 'big.png', data: big }), 413, 'too_large');
    expect(filesOnDisk(capped)).toEqual(before);
    expect(await attachmentRows(capped, id)).toHaveLength(0);
    // Just under the cap is fine (and uploads are not held to the 256 KB JSON body limit).
    const under = pngOfSize(1024 * 1024 - 1024);
    const ok = await upload(capped, id, citizen.cookie, { filename: 'under.png', data: under });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json<{ sha256: string }>().sha256).toBe(sha256(under));
  });

  it('refuses more than XINFANG_MAX_ATTACHMENTS with 409', async () => {
    const { id, citizen } = await newCase(capped);
    expect((await upload(capped, id, citizen.cookie, { filename: 'a.png', data: tinyPng([1, 0, 0, 255]) })).statusCode).toBe(201);
    expect((await upload(capped, id, citizen.cookie, { filename: 'b.png', data: tinyPng([2, 0, 0, 255]) })).statusCode).toBe(201);
    const before = filesOnDisk(capped);
    expectError(await upload(capped, id, citizen.cookie, { filename: 'c.png', data: tinyPng([3, 0, 0, 255]) }), 409, 'too_many_attachments');
    expect(filesOnDisk(capped)).toEqual(before);
    expect(await attachmentRows(capped, id)).toHaveLength(2);
  });

  it('holds the count cap under concurrent uploads', async () => {
    const { id, citizen } = await newCase(capped);
    const before = filesOnDisk(capped).length;
    const rs = await Promise.all([1, 2, 3, 4, 5].map((n) => upload(capped, id, citizen.cookie, { filename: `p${n}.png`, data: tinyPng([n, n, n, 255]) })));
    expect(rs.map((r) => r.statusCode).sort()).toEqual([201, 201, 409, 409, 409]);
    for (const r of rs.filter((x) => x.statusCode === 409)) expectError(r, 409, 'too_many_attachments');
    expect(await attachmentRows(capped, id)).toHaveLength(2);
    expect(filesOnDisk(capped).length).toBe(before + 2);
  });

  it("refuses uploads to someone else's case (404), anonymous uploads (401) and uploads to a closed case (409)", async () => {
    const a = await newCase(t);
    const b = await newCase(t);
    const before = filesOnDisk(t);
    expectError(await upload(t, a.id, b.citizen.cookie, { filename: 'x.png', data: tinyPng() }), 404, 'not_found');
    expectError(await upload(t, '00000000-0000-4000-8000-000000000000', b.citizen.cookie, { filename: 'x.png', data: tinyPng() }), 404, 'not_found');
    expectError(await upload(t, a.id, undefined, { filename: 'x.png', data: tinyPng() }), 401, 'not_logged_in');
    // Staff cannot add material to the petitioner's side either.
    const staff = await t.staff('zd.acceptor');
    expectError(await upload(t, a.id, staff, { filename: 'x.png', data: tinyPng() }), 403);
    expect(filesOnDisk(t)).toEqual(before);
    expect(await attachmentRows(t, a.id)).toHaveLength(0);

    const w = await t.request('POST', `/api/cases/${b.id}/withdraw`, { cookie: b.citizen.cookie, body: {} });
    expect(w.statusCode).toBe(200);
    expectError(await upload(t, b.id, b.citizen.cookie, { filename: 'late.png', data: tinyPng() }), 409);
    expect(filesOnDisk(t)).toEqual(before);
  });

  it('serves downloads as attachments with the same bytes to the owner and the receiving county staff only', async () => {
    const { id, citizen } = await newCase(t);
    const png = tinyPng([10, 200, 10, 255]);
    const up = await upload(t, id, citizen.cookie, { filename: '现场照片.png', data: png });
    expect(up.statusCode).toBe(201);
    const aid = up.json<{ id: string }>().id;

    const own = await t.request('GET', `/api/cases/${id}/attachments/${aid}`, { cookie: citizen.cookie });
    expect(own.statusCode).toBe(200);
    expect(own.headers['content-disposition']).toMatch(/^attachment;/);
    expect(own.headers['content-disposition']).toContain(encodeURIComponent('现场照片.png'));
    expect(own.headers['content-type']).toMatch(/^image\/png/);
    expect(own.headers['x-content-type-options']).toBe('nosniff');
    expect(own.headers['cache-control']).toContain('no-store');
    expect(own.rawPayload.equals(png)).toBe(true);

    const acceptor = await t.staff('zd.acceptor');
    const office = await t.request('GET', `/api/office/cases/${id}/attachments/${aid}`, { cookie: acceptor });
    expect(office.statusCode, office.body).toBe(200);
    expect(office.headers['content-disposition']).toMatch(/^attachment;/);
    expect(office.rawPayload.equals(png)).toBe(true);
    // The staff case page lists it too.
    const view = (await t.request('GET', `/api/office/cases/${id}`, { cookie: acceptor })).json<{ attachments: { id: string }[] }>();
    expect(view.attachments.map((a) => a.id)).toEqual([aid]);

    // Another citizen, staff of another county, and a citizen on the office route are all refused.
    const other = await t.citizen();
    expectError(await t.request('GET', `/api/cases/${id}/attachments/${aid}`, { cookie: other.cookie }), 404, 'not_found');
    await createStaff(t.ctx, { username: 'ca.acceptor', name: '长安区受理员', unitId: '130102-xfj', roles: ['acceptor'], password: 'Changan@2026' });
    const ca = await t.request('POST', '/api/auth/login', { body: { login: 'ca.acceptor', password: 'Changan@2026' } });
    expect(ca.statusCode, ca.body).toBe(200);
    expectError(await t.request('GET', `/api/office/cases/${id}/attachments/${aid}`, { cookie: cookieOf(ca) }), 404, 'not_found');
    expectError(await t.request('GET', `/api/office/cases/${id}/attachments/${aid}`, { cookie: citizen.cookie }), 403, 'forbidden');
    expectError(await t.request('GET', `/api/cases/${id}/attachments/${aid}`), 401, 'not_logged_in');

    // An attachment id of another case is not reachable through this case.
    const second = await newCase(t);
    const up2 = await upload(t, second.id, second.citizen.cookie, { filename: 'b.png', data: tinyPng([0, 0, 9, 255]) });
    const aid2 = up2.json<{ id: string }>().id;
    expectError(await t.request('GET', `/api/cases/${id}/attachments/${aid2}`, { cookie: citizen.cookie }), 404, 'not_found');
    expectError(await t.request('GET', `/api/office/cases/${id}/attachments/${aid2}`, { cookie: acceptor }), 404, 'not_found');
    expectError(await t.request('GET', `/api/cases/${id}/attachments/00000000-0000-4000-8000-000000000000`, { cookie: citizen.cookie }), 404, 'not_found');
  });
  it('a reply cites only reply material its own unit uploaded to this case; anything else is 400 and nothing changes', async () => {
    const [acceptor, dispatcher, handler] = await Promise.all([t.staff('zd.acceptor'), t.staff('zd.dispatcher'), t.staff('zd.handler')]);
    const toHandling = async () => {
      const c = await newCase(t, { categoryCode: 'construction' });
      expect((await act(t, acceptor, c.id, 'accept')).statusCode).toBe(200);
      expect((await act(t, dispatcher, c.id, 'assign', { unitId: '130123-zj' })).statusCode).toBe(200);
      expect((await act(t, handler, c.id, 'sign')).statusCode).toBe(200);
      return c;
    };
    const a = await toHandling();
    const b = await toHandling();
    const office = (caseId: string) => `/api/office/cases/${caseId}/attachments`;
    const mine = await upload(t, a.id, handler, { filename: '答复材料.png', data: tinyPng([1, 2, 3, 255]) }, office(a.id));
    expect(mine.statusCode, mine.body).toBe(201);
    const other = await upload(t, b.id, handler, { filename: '另一件材料.png', data: tinyPng([4, 5, 6, 255]) }, office(b.id));
    expect(other.statusCode, other.body).toBe(201);
    const petition = await upload(t, a.id, a.citizen.cookie, { filename: '信访人材料.png', data: tinyPng([7, 8, 9, 255]) });
    expect(petition.statusCode, petition.body).toBe(201);
    const reply = (attachmentIds: unknown) => act(t, handler, a.id, 'reply', { text: '经调查核实，已责成施工单位于本月底前支付拖欠工资。', attachmentIds });
    const eventsBefore = (await t.request('GET', `/api/office/cases/${a.id}`, { cookie: handler })).json<{ timeline: unknown[] }>().timeline.length;

    for (const ids of [[other.json<{ id: string }>().id], [petition.json<{ id: string }>().id], ['00000000-0000-4000-8000-000000000000'], 'not-a-list', [42]]) {
      const e = expectError(await reply(ids), 400, 'bad_input');
      expect(e.fields?.attachmentIds).toMatch(HAN);
    }
    const still = (await t.request('GET', `/api/office/cases/${a.id}`, { cookie: handler })).json<{ state: string; timeline: unknown[] }>();
    expect(still.state).toBe('in_progress');
    expect(still.timeline).toHaveLength(eventsBefore);

    const ok = await reply([mine.json<{ id: string }>().id, mine.json<{ id: string }>().id]);
    expect(ok.statusCode, ok.body).toBe(200);
    const ev = await t.ctx.store.db.selectFrom('case_event').select('payload').where('case_id', '=', a.id).where('type', '=', 'replied').executeTakeFirstOrThrow();
    expect(JSON.parse(ev.payload).attachmentIds).toEqual([mine.json<{ id: string }>().id]);
  });
});
