import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, databases, startTestApp, type TestApp } from '../support/harness.js';
import { extractPdfText } from '../../src/documents/pdf-text.js';
import { openOutboxPayload } from '../../src/services/outbox-secrets.js';
import { makeIdNumber } from '../../src/domain/id-number.js';
import crypto from 'node:crypto';

interface EntryResponse {
  id: string;
  caseNo: string;
  queryCode: string;
  state: string;
  channel: string;
  receivingUnitId: string;
  receivingUnitName: string;
  petitioner: { name: string; phone: string | null };
  smsQueued: boolean;
  linkedAccount: boolean;
  trackUrl: string;
  deadlines: { accept: string | null };
  receipt: { filename: string; mime: string; size: number; sha256: string; base64: string };
}

function entryBody(over: Record<string, unknown> = {}) {
  return {
    channel: 'visit',
    petitioner: { name: '李秀英', phone: '13812345678', address: '正定县城关镇常山路 8 号' },
    categoryCode: 'labour',
    regionCode: '130123',
    title: '物流公司拖欠搬运工工资',
    content: '来访人称在某物流公司做搬运工两个月，工资六千元至今未发，请求督促支付。',
    ...over,
  };
}

describe.each(databases)('staff entry of letters, visits and calls (%s)', (kind) => {
  let t: TestApp;
  let registrar: string;
  beforeAll(async () => {
    t = await startTestApp(kind);
    registrar = await t.staff('zd.registrar');
  });
  afterAll(async () => {
    await t.close();
  });

  const enter = (cookie: string, body: unknown, headers?: Record<string, string>) => t.request('POST', '/api/office/entries', { cookie, body, ...(headers ? { headers } : {}) });

  it('registers a visit: channel recorded, own bureau receives, query code by SMS and on a printed receipt', async () => {
    const r = await enter(registrar, entryBody());
    expect(r.statusCode, r.body).toBe(201);
    expect(r.headers['cache-control']).toBe('no-store');
    const e = r.json<EntryResponse>();
    expect(e).toMatchObject({
      state: 'submitted',
      channel: 'visit',
      receivingUnitId: '130123-xfj',
      receivingUnitName: '正定县信访局',
      petitioner: { name: '李*英', phone: '138****5678' },
      smsQueued: true,
      linkedAccount: false,
    });
    expect(e.queryCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(e.caseNo).toMatch(/^XF2026-\d{6}$/);

    // The SMS goes through the outbox, in the same transaction as the case.
    const sms = await t.ctx.store.db.selectFrom('outbox').selectAll().where('case_id', '=', e.id).execute();
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ channel: 'sms', template: 'case_submitted', status: 'pending' });
    expect(t.ctx.crypto.decrypt(sms[0]!.recipient_enc)).toBe('13812345678');
    expect(JSON.parse(sms[0]!.payload)).toMatchObject({ caseNo: e.caseNo });
    expect(sms[0]!.payload).not.toContain(e.queryCode);
    expect(openOutboxPayload(t.ctx, sms[0]!.payload, sms[0]!.secrets_enc)).toMatchObject({ caseNo: e.caseNo, queryCode: e.queryCode });

    // The printable receipt carries the query code.
    const pdf = Buffer.from(e.receipt.base64, 'base64');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(e.receipt).toMatchObject({ mime: 'application/pdf', size: pdf.length, sha256: crypto.createHash('sha256').update(pdf).digest('hex') });
    const text = extractPdfText(pdf).replace(/\n/g, '');
    for (const s of [e.queryCode, e.caseNo, '正定县信访局', '信访事项登记回执', '来访', '李秀英']) expect(text).toContain(s);
    // …and where to enter it: the portal's tracking page, also returned to the registrar.
    expect(e.trackUrl).toBe(`${t.ctx.config.publicBaseUrl}/track`);
    expect(text).toContain(e.trackUrl);

    // The citizen follows it with the code; staff see it masked, with the registrar as actor.
    const track = await t.request('GET', `/api/track/${e.queryCode}`);
    expect(track.statusCode).toBe(200);
    expect(track.json()).toMatchObject({ channel: 'visit', receivingUnitName: '正定县信访局', state: 'submitted' });
    const acceptor = await t.staff('zd.acceptor');
    const view = (await t.request('GET', `/api/office/cases/${e.id}`, { cookie: acceptor })).json<{
      channel: string;
      petitioner: { name: string; phone: string; address: string };
      timeline: { type: string; actorKind: string }[];
      allowedActions: string[];
    }>();
    expect(view.channel).toBe('visit');
    expect(view.petitioner).toMatchObject({ name: '李*英', phone: '138****5678' });
    expect(JSON.stringify(view)).not.toContain('13812345678');
    expect(view.timeline[0]).toMatchObject({ type: 'submitted', actorKind: 'staff' });
    expect(view.allowedActions).toContain('accept');
    // It runs through the workflow like any other case, the acceptance notice included.
    expect((await act(t, acceptor, e.id, 'accept')).statusCode).toBe(200);
    const docs = (await t.request('GET', `/api/office/cases/${e.id}/documents`, { cookie: acceptor })).json<{ items: { kind: string }[] }>().items;
    expect(docs.map((d) => d.kind)).toEqual(['acceptance_notice']);
    const queue = (await t.request('GET', '/api/office/cases?channel=visit', { cookie: acceptor })).json<{ items: { id: string }[] }>();
    expect(queue.items.map((i) => i.id)).toContain(e.id);
  });

  it('only a registrar may enter, and only for the own jurisdiction', async () => {
    for (const u of ['zd.acceptor', 'zd.dispatcher', 'zd.handler', 'zd.supervisor', 'zd.leader', 'zd.auditor', 'zd.admin']) {
      const r = await enter(await t.staff(u), entryBody());
      expect(r.statusCode, u).toBe(403);
    }
    const citizen = await t.citizen();
    expect((await enter(citizen.cookie, entryBody())).statusCode).toBe(403);
    expect((await enter('', entryBody())).statusCode).toBe(401);
    // 正定县's registrar cannot register a matter of 长安区 (石家庄市): 403, and nothing is written.
    const before = await t.ctx.store.db.selectFrom('case_file').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const out = await enter(registrar, entryBody({ regionCode: '130102' }));
    expect(out.statusCode).toBe(403);
    const after = await t.ctx.store.db.selectFrom('case_file').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect((await enter(await t.staff('prov.registrar'), entryBody({ regionCode: '130102' }))).statusCode).toBe(201);
    // The city's registrar registers a county matter at the city bureau (its own), not the county's.
    const city = await enter(await t.staff('sjz.registrar'), entryBody({ channel: 'call' }));
    expect(city.statusCode).toBe(201);
    expect(city.json<EntryResponse>()).toMatchObject({ receivingUnitId: '130100-xfj', channel: 'call' });
  });

  it('checks the particulars: ID number, phone for visits and calls, address for letters without a phone', async () => {
    const valid = makeIdNumber('130123', '19800101', '123');
    const wrongCheck = valid.slice(0, 17) + (valid.endsWith('0') ? '1' : '0');
    const badId = await enter(registrar, entryBody({ petitioner: { name: '李秀英', phone: '13812345678', idNumber: wrongCheck } }));
    expect(badId.statusCode).toBe(400);
    expect(badId.json<{ error: { fields: Record<string, string> } }>().error.fields['petitioner.idNumber']).toContain('校验位');
    const noPhone = await enter(registrar, entryBody({ petitioner: { name: '李秀英' } }));
    expect(noPhone.statusCode).toBe(400);
    expect(Object.keys(noPhone.json<{ error: { fields: Record<string, string> } }>().error.fields)).toContain('petitioner.phone');
    const badPhone = await enter(registrar, entryBody({ petitioner: { name: '李秀英', phone: '12345' } }));
    expect(badPhone.statusCode).toBe(400);
    const badName = await enter(registrar, entryBody({ petitioner: { name: 'x1', phone: '13812345678' } }));
    expect(badName.statusCode).toBe(400);
    expect((await enter(registrar, entryBody({ channel: 'fax' }))).statusCode).toBe(400);
    expect((await enter(registrar, entryBody({ target: 'bureau' }))).statusCode).toBe(400);
    expect((await enter(registrar, entryBody({ categoryCode: 'nope' }))).statusCode).toBe(400);
    expect((await enter(registrar, entryBody({ regionCode: '999999' }))).statusCode).toBe(400);
    expect((await enter(registrar, '{"channel":', { 'content-type': 'application/json' })).statusCode).toBe(400);
    const letterNoAddress = await enter(registrar, entryBody({ channel: 'letter', petitioner: { name: '李秀英' } }));
    expect(letterNoAddress.statusCode).toBe(400);

    // A letter with only a postal address: no SMS, the receipt is printed and mailed.
    const letter = await enter(registrar, entryBody({ channel: 'letter', petitioner: { name: '李秀英', address: '正定县新城铺镇东村 12 号' } }));
    expect(letter.statusCode, letter.body).toBe(201);
    const l = letter.json<EntryResponse>();
    expect(l).toMatchObject({ channel: 'letter', smsQueued: false, petitioner: { phone: null } });
    expect(await t.ctx.store.db.selectFrom('outbox').selectAll().where('case_id', '=', l.id).execute()).toHaveLength(0);
    expect(extractPdfText(Buffer.from(l.receipt.base64, 'base64'))).toContain(l.queryCode);
  });

  it('joint petitioners and a valid ID number are kept; the ID number is stored encrypted', async () => {
    const idNumber = makeIdNumber('130123', '19700315', '042');
    const r = await enter(
      registrar,
      entryBody({
        petitioner: { name: '赵大勇', phone: '13911112222', idNumber },
        coPetitioners: [
          { name: '钱二', representative: true },
          { name: '孙三', phone: '13933334444' },
        ],
      }),
    );
    expect(r.statusCode, r.body).toBe(201);
    const e = r.json<EntryResponse>();
    const entry = await t.ctx.store.db.selectFrom('case_entry').selectAll().where('case_id', '=', e.id).executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ channel: 'visit', unit_id: '130123-xfj', linked_account: 0 });
    expect(entry.id_number_enc).not.toContain(idNumber);
    expect(t.ctx.crypto.decrypt(entry.id_number_enc!)).toBe(idNumber);
    const view = (await t.request('GET', `/api/office/cases/${e.id}`, { cookie: await t.staff('zd.acceptor') })).json<{ coPetitioners: { name: string }[] }>();
    expect(view.coPetitioners.map((c) => c.name)).toEqual(['钱*', '孙*']);
    expect(extractPdfText(Buffer.from(e.receipt.base64, 'base64'))).toContain('赵大勇等3人');
  });

  it('links the case to the petitioner’s real-name account when ID number and name match, so they can sign online', async () => {
    const c = await t.citizen();
    const r = await enter(registrar, entryBody({ petitioner: { name: c.name, phone: '13955556666', idNumber: c.idNumber } }));
    expect(r.statusCode, r.body).toBe(201);
    const e = r.json<EntryResponse>();
    expect(e.linkedAccount).toBe(true);
    const mine = (await t.request('GET', '/api/my/cases', { cookie: c.cookie })).json<{ items: { id: string }[] }>();
    expect(mine.items.map((i) => i.id)).toContain(e.id);

    // Same ID number, different name: not linked (a typo must not hand a case to someone else).
    const other = await enter(registrar, entryBody({ petitioner: { name: '王大明', phone: '13955556666', idNumber: c.idNumber } }));
    expect(other.json<EntryResponse>().linkedAccount).toBe(false);

    // The linked petitioner signs the 双向责任书 of the visit case themselves.
    await act(t, await t.staff('zd.acceptor'), e.id, 'accept');
    await act(t, await t.staff('zd.dispatcher'), e.id, 'assign', { unitId: '130123-zj' });
    await act(t, await t.staff('zd.handler'), e.id, 'sign');
    const docs = (await t.request('GET', `/api/cases/${e.id}/documents`, { cookie: c.cookie })).json<{ items: { id: string; kind: string; signaturePending: boolean }[] }>().items;
    const letter = docs.find((d) => d.kind === 'responsibility_letter')!;
    expect(letter.signaturePending).toBe(true);
    expect((await t.request('POST', `/api/cases/${e.id}/documents/${letter.id}/sign`, { cookie: registrar })).statusCode).toBe(403);
    expect((await t.request('POST', `/api/cases/${e.id}/documents/${letter.id}/sign`, { cookie: c.cookie })).statusCode).toBe(201);
  });

  it('a retry with the same Idempotency-Key returns the same case; a different entry under that key is refused', async () => {
    const headers = { 'idempotency-key': `entry-${crypto.randomUUID()}` };
    const a = await enter(registrar, entryBody(), headers);
    expect(a.statusCode).toBe(201);
    const b = await enter(registrar, entryBody(), headers);
    expect(b.statusCode).toBe(200);
    expect(b.headers['idempotent-replayed']).toBe('true');
    const ea = a.json<EntryResponse>();
    const eb = b.json<EntryResponse>();
    expect(eb.id).toBe(ea.id);
    expect(eb.queryCode).toBe(ea.queryCode);
    // The receipt is reproducible: the retry prints the very same bytes.
    expect(eb.receipt.sha256).toBe(ea.receipt.sha256);
    expect((await enter(registrar, entryBody({ title: '另一件事情的标题' }), headers)).statusCode).toBe(409);
    const sms = await t.ctx.store.db.selectFrom('outbox').selectAll().where('case_id', '=', ea.id).execute();
    expect(sms).toHaveLength(1);
  });

  it('the OpenAPI document describes the entry route', async () => {
    const spec = (await t.request('GET', '/api/openapi.json')).json<{ paths: Record<string, { post?: { requestBody?: unknown } }> }>();
    expect(spec.paths['/api/office/entries']?.post?.requestBody).toBeDefined();
  });
  it('a letter received before it is entered: receipt date and clocks count from receivedAt; the future and over 30 days back are refused', async () => {
    const r = await enter(registrar, entryBody({ channel: 'letter', receivedAt: '2026-02-27T09:30:00+08:00' }));
    expect(r.statusCode, r.body).toBe(201);
    const row = await t.ctx.store.db.selectFrom('case_file').selectAll().where('id', '=', r.json<EntryResponse>().id).executeTakeFirstOrThrow();
    expect(row.received_date).toBe('2026-02-27');
    // 2 working days after Friday 2026-02-27: Saturday 02-28 is a make-up workday, then Monday 03-02 (today).
    expect(row.due_accept).toBe('2026-03-02');
    const ev = await t.ctx.store.db.selectFrom('case_event').select('payload').where('case_id', '=', row.id).where('type', '=', 'submitted').executeTakeFirstOrThrow();
    expect(JSON.parse(ev.payload).receivedAt).toBe('2026-02-27T01:30:00.000Z');
    for (const receivedAt of ['2026-03-09T09:00:00+08:00', '2026-01-20T09:00:00+08:00', 'yesterday']) {
      const bad = await enter(registrar, entryBody({ channel: 'letter', receivedAt }));
      expect(bad.statusCode, bad.body).toBe(400);
      expect(bad.body).toMatch(/时间/);
    }
  });

  it('the registering unit uploads the scanned letter before acceptance; other roles, units and later states are refused', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
    const upload = (caseId: string, cookie: string) => {
      const boundary = 'xfEntryBoundary42';
      const payload = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="来信扫描件.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
        pdf,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return t.app.inject({ method: 'POST', url: `/api/office/entries/${caseId}/attachments`, payload, headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` } });
    };
    const e = (await enter(registrar, entryBody({ channel: 'letter' }))).json<EntryResponse>();
    const ok = await upload(e.id, registrar);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ filename: '来信扫描件.pdf', mime: 'application/pdf' });
    const acceptor = await t.staff('zd.acceptor');
    const view = (await t.request('GET', `/api/office/cases/${e.id}`, { cookie: acceptor })).json<{ attachments: { filename: string; purpose: string }[] }>();
    expect(view.attachments).toEqual([expect.objectContaining({ filename: '来信扫描件.pdf', purpose: 'petition' })]);

    expect((await upload(e.id, acceptor)).statusCode).toBe(403);
    expect((await upload(e.id, await t.staff('sjz.registrar'))).statusCode).toBe(403);
    expect((await upload(e.id, await t.staff('zd.handler'))).statusCode).toBe(404);
    const online = await t.citizen();
    const sub = await t.request('POST', '/api/cases', { cookie: online.cookie, body: { target: 'bureau', categoryCode: 'labour', regionCode: '130123', title: '网上提交的信访件', content: '这是信访人自己在网上提交的信访件内容。' } });
    expect((await upload(sub.json<{ id: string }>().id, registrar)).statusCode).toBe(403);
    expect((await act(t, acceptor, e.id, 'accept')).statusCode).toBe(200);
    expect((await act(t, await t.staff('zd.dispatcher'), e.id, 'assign', { unitId: '130123-zj' })).statusCode).toBe(200);
    const late = await upload(e.id, registrar);
    expect(late.statusCode, late.body).toBe(409);
    expect((await t.ctx.store.db.selectFrom('attachment').select('id').where('case_id', '=', e.id).execute())).toHaveLength(1);
  });
});
