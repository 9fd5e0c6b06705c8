import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, databases, newCase, startTestApp, type TestApp } from '../support/harness.js';
import { extractPdfText } from '../../src/documents/pdf-text.js';

interface Doc {
  id: string;
  kind: string;
  title: string;
  docNo: string;
  unitName: string;
  audience: string;
  issuedDate: string;
  sha256: string;
  size: number;
  signaturePending: boolean;
  signedAt: string | null;
  superseded: boolean;
  downloadUrl: string;
}
interface TimelineEntry {
  type: string;
  visibility: string;
  actorKind?: string;
  payload?: Record<string, unknown>;
  summary: string;
}

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

describe.each(databases)('official documents (%s)', (kind) => {
  let t: TestApp;
  let staff: Record<string, string>;
  const loginAll = async () => {
    staff = {};
    for (const u of ['zd.acceptor', 'zd.dispatcher', 'zd.handler', 'zd.leader', 'zd.supervisor', 'zd.registrar', 'sjz.acceptor', 'sjz.supervisor', 'prov.acceptor']) {
      staff[u] = await t.staff(u);
    }
  };
  beforeAll(async () => {
    t = await startTestApp(kind);
    await loginAll();
  });
  afterAll(async () => {
    await t.close();
  });

  async function staffDocs(caseId: string, cookie = staff['zd.acceptor']!) {
    const r = await t.request('GET', `/api/office/cases/${caseId}/documents`, { cookie });
    expect(r.statusCode).toBe(200);
    return r.json<{ items: Doc[] }>().items;
  }

  async function download(url: string, cookie: string) {
    const r = await t.request('GET', url, { cookie });
    return r;
  }

  /** Downloads as staff and checks %PDF, the hash, and that the text names the case and the unit. */
  async function checkPdf(caseId: string, caseNo: string, d: Doc) {
    const r = await download(d.downloadUrl, staff['zd.supervisor']!);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(String(r.headers['content-disposition'])).toMatch(/^attachment; filename="document\.pdf"; filename\*=UTF-8''/);
    expect(decodeURIComponent(String(r.headers['content-disposition']).split("''")[1]!)).toBe(`${d.title}（${d.docNo}）.pdf`);
    const body = r.rawPayload;
    expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(sha(body)).toBe(d.sha256);
    expect(body.length).toBe(d.size);
    const text = extractPdfText(body).replace(/\n/g, '');
    expect(text).toContain(caseNo);
    expect(text).toContain(d.unitName);
    expect(text).toContain(d.docNo);
    expect(text).toContain(d.title);
    expect(d.downloadUrl).toBe(`/api/office/cases/${caseId}/documents/${d.id}`);
    return text;
  }

  async function staffTimeline(caseId: string) {
    return (await t.request('GET', `/api/office/cases/${caseId}`, { cookie: staff['zd.acceptor']! })).json<{ caseNo: string; timeline: TimelineEntry[] }>();
  }

  it('issues each kind on its action: numbered per unit, hashed, listed, recorded and shown to the petitioner', async () => {
    const { id, queryCode, citizen } = await newCase(t);
    const ok = async (cookie: string, action: string, body: Record<string, unknown> = {}) => {
      const r = await act(t, cookie, id, action, body);
      expect(r.statusCode, `${action}: ${r.body}`).toBe(200);
    };
    await ok(staff['zd.acceptor']!, 'accept');
    await ok(staff['zd.dispatcher']!, 'assign', { unitId: '130123-zj', instructions: '请依法核查，按期答复。' });
    await ok(staff['zd.handler']!, 'sign');
    await ok(staff['zd.handler']!, 'request-extension', { days: 15, reason: '需要会同人社部门联合调查核实' });
    await ok(staff['zd.leader']!, 'approve-extension', { approve: true });
    await ok(staff['zd.handler']!, 'reply', { text: '经核查，已责令用工单位于本月底前足额支付工资。' });
    expect((await t.request('POST', `/api/cases/${id}/review-request`, { cookie: citizen.cookie, body: { reason: '工资至今仍未支付到位' } })).statusCode).toBe(201);
    await ok(staff['zd.supervisor']!, 'review-decision', { outcome: 'upheld', text: '经复查，原答复意见认定事实清楚，处理恰当，予以维持。' });
    expect((await t.request('POST', `/api/cases/${id}/review-request`, { cookie: citizen.cookie, body: { reason: '对复查意见仍然不服' } })).statusCode).toBe(201);
    await ok(staff['sjz.supervisor']!, 'review-decision', { outcome: 'changed', text: '经复核，责成承办单位重新核定应付工资数额并限期支付。' });

    const docs = await staffDocs(id);
    expect(docs.map((d) => d.kind)).toEqual([
      'acceptance_notice',
      'assignment_letter',
      'responsibility_letter',
      'extension_notice',
      'reply_opinion',
      'review_opinion',
      're_review_opinion',
    ]);
    const by = Object.fromEntries(docs.map((d) => [d.kind, d])) as Record<string, Doc>;
    expect(by.acceptance_notice).toMatchObject({ title: '受理告知书', docNo: '正信受〔2026〕1号', unitName: '正定县信访局', audience: 'petitioner', issuedDate: '2026-03-02' });
    expect(by.assignment_letter).toMatchObject({ title: '交办函', docNo: '正信交〔2026〕1号', unitName: '正定县信访局', audience: 'unit' });
    // The case is final (复核 decided): nothing is pending any more, the unsigned letter stays on record.
    expect(by.responsibility_letter).toMatchObject({ title: '双向责任书', docNo: '正住建责〔2026〕1号', unitName: '正定县住房和城乡建设局', signaturePending: false, signedAt: null });
    expect(by.extension_notice).toMatchObject({ title: '延期告知书', docNo: '正住建延〔2026〕1号', unitName: '正定县住房和城乡建设局' });
    expect(by.reply_opinion).toMatchObject({ title: '答复意见书', docNo: '正住建答〔2026〕1号' });
    expect(by.review_opinion).toMatchObject({ title: '复查意见书', docNo: '正信查〔2026〕1号' });
    expect(by.re_review_opinion).toMatchObject({ title: '复核意见书', docNo: '石信核〔2026〕1号', unitName: '石家庄市信访局' });

    const view = await staffTimeline(id);
    for (const d of docs) {
      const text = await checkPdf(id, view.caseNo, d);
      if (d.kind === 'reply_opinion') {
        expect(text).toContain('30日内');
        expect(text).toContain('请求复查');
      }
      if (d.kind === 'assignment_letter') expect(text).toContain('请依法核查，按期答复。');
      if (d.kind === 'extension_notice') expect(text).toContain('延长15日');
    }

    // One document_issued event per document, public unless it is a letter between units.
    const issued = view.timeline.filter((e) => e.type === 'document_issued');
    expect(issued.map((e) => e.payload?.docNo)).toEqual(docs.map((d) => d.docNo));
    for (const e of issued) {
      const d = docs.find((x) => x.docNo === e.payload?.docNo)!;
      expect(e.visibility).toBe(d.audience === 'unit' ? 'internal' : 'public');
      expect(e.payload?.sha256).toBe(d.sha256);
      expect(e.actorKind).toBe('staff');
    }

    // Tracking (by query code) lists the petitioner's documents, never the 交办函.
    const track = (await t.request('GET', `/api/track/${queryCode}`)).json<{ documents: Doc[]; timeline: TimelineEntry[] }>();
    expect(track.documents.map((d) => d.kind)).toEqual(docs.filter((d) => d.audience === 'petitioner').map((d) => d.kind));
    expect(track.documents[0]).toMatchObject({ docNo: '正信受〔2026〕1号', sha256: by.acceptance_notice!.sha256, downloadUrl: `/api/cases/${id}/documents/${by.acceptance_notice!.id}` });
    expect(track.timeline.filter((e) => e.type === 'document_issued')).toHaveLength(6);
    expect(JSON.stringify(track)).not.toContain('交办函');

    // The petitioner downloads their documents; the 交办函 is not theirs to see.
    const mine = await t.request('GET', `/api/cases/${id}/documents/${by.reply_opinion!.id}`, { cookie: citizen.cookie });
    expect(mine.statusCode).toBe(200);
    expect(sha(mine.rawPayload)).toBe(by.reply_opinion!.sha256);
    expect((await t.request('GET', `/api/cases/${id}/documents/${by.assignment_letter!.id}`, { cookie: citizen.cookie })).statusCode).toBe(404);
    const list = await t.request('GET', `/api/cases/${id}/documents`, { cookie: citizen.cookie });
    expect(list.json<{ items: Doc[] }>().items).toHaveLength(6);
  });

  it('rejection and forwarding issue their own documents; the rejection names the guidance channel', async () => {
    const a = await newCase(t);
    expect((await act(t, staff['zd.acceptor']!, a.id, 'reject', { reasonCode: 'litigation_scope', guidanceChannel: 'arbitration' })).statusCode).toBe(200);
    const [rej] = await staffDocs(a.id);
    expect(rej).toMatchObject({ kind: 'rejection_notice', title: '不予受理告知书', audience: 'petitioner' });
    expect(rej!.docNo).toMatch(/^正信不受〔2026〕\d+号$/);
    const text = await checkPdf(a.id, (await staffTimeline(a.id)).caseNo, rej!);
    expect(text).toContain('仲裁机构');

    const b = await newCase(t);
    await act(t, staff['zd.acceptor']!, b.id, 'accept');
    expect((await act(t, staff['zd.dispatcher']!, b.id, 'forward', { unitId: '130123-rs' })).statusCode).toBe(200);
    const fwd = (await staffDocs(b.id)).find((d) => d.kind === 'forwarding_letter')!;
    expect(fwd).toMatchObject({ title: '转送函', audience: 'unit', unitName: '正定县信访局' });
    expect(fwd.docNo).toMatch(/^正信转〔2026〕1号$/);
    const ftext = await checkPdf(b.id, (await staffTimeline(b.id)).caseNo, fwd);
    expect(ftext).toContain('正定县人力资源和社会保障局');
  });

  it('numbers increase per unit and kind, and start again each year', async () => {
    const accepted = async (cookie: string, over: Record<string, unknown> = {}) => {
      const c = await newCase(t, over);
      expect((await act(t, cookie, c.id, 'accept')).statusCode).toBe(200);
      return (await staffDocs(c.id, cookie)).find((d) => d.kind === 'acceptance_notice')!.docNo;
    };
    const n1 = await accepted(staff['zd.acceptor']!);
    const n2 = await accepted(staff['zd.acceptor']!);
    const serial = (s: string) => Number(/〕(\d+)号$/.exec(s)![1]);
    expect(n1).toMatch(/^正信受〔2026〕\d+号$/);
    expect(serial(n2)).toBe(serial(n1) + 1);
    // Another unit keeps its own count: the city bureau's first 受理告知书.
    expect(await accepted(staff['sjz.acceptor']!, { regionCode: '130100', target: 'bureau' })).toBe('石信受〔2026〕1号');
    // A new year starts again at 1 (2027 has no holiday data yet: deadlines are flagged, numbering is not affected).
    t.setNow('2027-01-05T02:00:00Z');
    try {
      const acceptor = await t.staff('zd.acceptor'); // sessions of 2026 have expired by now
      expect(await accepted(acceptor)).toBe('正信受〔2027〕1号');
      expect(await accepted(acceptor)).toBe('正信受〔2027〕2号');
    } finally {
      t.setNow('2026-03-02T02:00:00Z');
      await loginAll();
    }
  });

  it('the 双向责任书 can be signed only by the petitioner: staff get 403 and leave no trace', async () => {
    const { id, queryCode, citizen } = await newCase(t);
    await act(t, staff['zd.acceptor']!, id, 'accept');
    await act(t, staff['zd.dispatcher']!, id, 'assign', { unitId: '130123-zj' });
    expect((await act(t, staff['zd.handler']!, id, 'sign')).statusCode).toBe(200);
    const letter = (await staffDocs(id)).find((d) => d.kind === 'responsibility_letter')!;
    expect(letter.signaturePending).toBe(true);

    const before = await t.request('GET', `/api/track/${queryCode}`);
    expect(before.json<{ awaitingPetitioner: { kind: string; documentId?: string }[] }>().awaitingPetitioner).toContainEqual(
      expect.objectContaining({ kind: 'sign-document', documentId: letter.id }),
    );
    const url = `/api/cases/${id}/documents/${letter.id}/sign`;
    const eventsBefore = (await staffTimeline(id)).timeline.length;
    for (const u of ['zd.handler', 'zd.acceptor', 'zd.leader', 'zd.supervisor', 'zd.registrar', 'prov.acceptor']) {
      const r = await t.request('POST', url, { cookie: staff[u]!, body: {} });
      expect(r.statusCode, u).toBe(403);
      expect(r.json<{ error: { code: string } }>().error.code).toBe('forbidden');
    }
    // Even for a case or document that does not exist, a staff session is refused as such.
    expect((await t.request('POST', `/api/cases/${crypto.randomUUID()}/documents/${crypto.randomUUID()}/sign`, { cookie: staff['zd.handler']! })).statusCode).toBe(403);
    expect((await t.request('POST', url, {})).statusCode).toBe(401);
    const other = await t.citizen();
    expect((await t.request('POST', url, { cookie: other.cookie })).statusCode).toBe(404);
    const after403 = await staffTimeline(id);
    expect(after403.timeline).toHaveLength(eventsBefore);
    expect(after403.timeline.some((e) => e.type === 'document_signed')).toBe(false);

    // A wrong hash (not the document the petitioner read) is refused; the right one signs.
    expect((await t.request('POST', url, { cookie: citizen.cookie, body: { sha256: '0'.repeat(64) } })).statusCode).toBe(409);
    const signed = await t.request('POST', url, { cookie: citizen.cookie, body: { sha256: letter.sha256 } });
    expect(signed.statusCode, signed.body).toBe(201);
    expect(signed.json<Doc>()).toMatchObject({ id: letter.id, signaturePending: false });
    expect(signed.json<Doc>().signedAt).not.toBeNull();
    expect((await t.request('POST', url, { cookie: citizen.cookie })).statusCode).toBe(409);

    const view = await staffTimeline(id);
    const ev = view.timeline.filter((e) => e.type === 'document_signed');
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ actorKind: 'citizen', visibility: 'public' });
    expect(ev[0]!.payload).toMatchObject({ documentId: letter.id, sha256: letter.sha256 });
    const track = (await t.request('GET', `/api/track/${queryCode}`)).json<{ awaitingPetitioner: { kind: string }[]; documents: Doc[] }>();
    expect(track.awaitingPetitioner.some((a) => a.kind === 'sign-document')).toBe(false);
    expect(track.documents.find((d) => d.id === letter.id)).toMatchObject({ signaturePending: false });

    // Documents that need no signature cannot be signed.
    const notice = (await staffDocs(id)).find((d) => d.kind === 'acceptance_notice')!;
    expect((await t.request('POST', `/api/cases/${id}/documents/${notice.id}/sign`, { cookie: citizen.cookie })).statusCode).toBe(409);
  });

  it('who may download what: staff of another county 404, petitioner routes refuse staff, every staff download is recorded', async () => {
    const { id, citizen } = await newCase(t);
    await act(t, staff['zd.acceptor']!, id, 'accept');
    const [notice] = await staffDocs(id);
    const other = await t.staff('sjz.handler');
    expect((await t.request('GET', `/api/office/cases/${id}/documents`, { cookie: other })).statusCode).toBe(404);
    expect((await t.request('GET', `/api/office/cases/${id}/documents/${notice!.id}`, { cookie: other })).statusCode).toBe(404);
    expect((await t.request('GET', `/api/office/cases/${id}/documents`, { cookie: citizen.cookie })).statusCode).toBe(403);
    expect((await t.request('GET', `/api/cases/${id}/documents/${notice!.id}`, { cookie: staff['zd.acceptor']! })).statusCode).toBe(403);
    expect((await t.request('GET', `/api/cases/${id}/documents/${notice!.id}`, { cookie: (await t.citizen()).cookie })).statusCode).toBe(404);
    expect((await t.request('GET', `/api/office/cases/${id}/documents/${crypto.randomUUID()}`, { cookie: staff['zd.acceptor']! })).statusCode).toBe(404);
    expect((await t.request('GET', `/api/office/cases/${id}/documents/not-a-uuid`, { cookie: staff['zd.acceptor']! })).statusCode).toBe(400);

    const n = (await staffTimeline(id)).timeline.filter((e) => e.type === 'document_downloaded').length;
    expect((await download(notice!.downloadUrl, staff['zd.acceptor']!)).statusCode).toBe(200);
    const downloads = (await staffTimeline(id)).timeline.filter((e) => e.type === 'document_downloaded');
    expect(downloads).toHaveLength(n + 1);
    expect(downloads.at(-1)).toMatchObject({ visibility: 'internal', actorKind: 'staff' });
    // The petitioner's own downloads are not staff access and leave no event.
    expect((await t.request('GET', `/api/cases/${id}/documents/${notice!.id}`, { cookie: citizen.cookie })).statusCode).toBe(200);
    expect((await staffTimeline(id)).timeline.filter((e) => e.type === 'document_downloaded')).toHaveLength(n + 1);
  });

  it('a refused action issues no document and spends no number', async () => {
    const { id } = await newCase(t);
    const before = await staffDocs(id);
    expect((await act(t, staff['zd.acceptor']!, id, 'reject', { reasonCode: 'nonsense', guidanceChannel: 'litigation' })).statusCode).toBe(400);
    expect((await act(t, staff['zd.dispatcher']!, id, 'accept')).statusCode).toBe(403);
    expect(await staffDocs(id)).toEqual(before);
    await act(t, staff['zd.acceptor']!, id, 'accept');
    const n1 = (await staffDocs(id))[0]!.docNo;
    const c2 = await newCase(t);
    await act(t, staff['zd.acceptor']!, c2.id, 'accept');
    const n2 = (await staffDocs(c2.id))[0]!.docNo;
    expect(Number(/〕(\d+)号/.exec(n2)![1])).toBe(Number(/〕(\d+)号/.exec(n1)![1]) + 1);
  });

  it('the OpenAPI document describes the document routes', async () => {
    const spec = (await t.request('GET', '/api/openapi.json')).json<{ paths: Record<string, unknown> }>();
    for (const p of ['/api/office/cases/{id}/documents', '/api/office/cases/{id}/documents/{docId}', '/api/cases/{id}/documents', '/api/cases/{id}/documents/{docId}', '/api/cases/{id}/documents/{docId}/sign']) {
      expect(spec.paths[p], p).toBeDefined();
    }
  });
});
