/**
 * 典型案例 and 通报 over HTTP on both databases: the lifecycle, personal data kept out of what is
 * published, the circular's PDF stored with its hash, receipts by the addressed units, and every
 * role trying what it must not.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, databases, newCase, startTestApp, type TestApp } from '../support/harness.js';
import { createStaff, demoPassword } from '../../src/services/seed.service.js';
import { deliverOutbox } from '../../src/jobs/outbox-delivery.js';
import { totpAt } from '../../src/security/totp.js';

interface Typical {
  id: string;
  status: string;
  title: string;
  summary: string;
  commentary: string;
  allowed: { decide: boolean; withdraw: boolean };
}
interface Circular {
  id: string;
  docNo: string;
  sha256: string;
  size: number;
  canAcknowledge: boolean;
  mine: { unitId: string; acknowledgedAt: string | null }[];
  targets: { unitId: string; acknowledgedAt: string | null }[];
  citations: { kind: string; label: string }[];
}

describe.each(databases)('typical cases and circulars (%s)', (kind) => {
  let t: TestApp;
  const c: Record<string, string> = {};
  const login = async (u: string) => (c[u] ??= await t.staff(u));
  const req = async (u: string, method: string, url: string, body?: unknown) => t.request(method, url, { cookie: await login(u), ...(body !== undefined ? { body } : {}) });
  let consented = '';
  let plain = '';
  let denunciation = '';
  let petitionerName = '';
  let typicalId = '';

  beforeAll(async () => {
    t = await startTestApp(kind, { now: '2026-03-02T02:00:00Z' });
    await createStaff(t.ctx, { username: 'ca.leader', name: '长安区领导', unitId: '130102-xfj', roles: ['leader'], password: demoPassword });
    await createStaff(t.ctx, { username: 'ca.acceptor', name: '长安区受理员', unitId: '130102-xfj', roles: ['acceptor'], password: demoPassword });
    await createStaff(t.ctx, { username: 'xh.acceptor', name: '新华区受理员', unitId: '130105-xfj', roles: ['acceptor'], password: demoPassword });
    const a = await newCase(t, { publicConsent: true, title: '工地拖欠王小明工资', content: '我叫王小明，电话 13912345678，在正定县城关镇常山路 1 号工地务工三个月，工资一万元至今未付。' });
    consented = a.id;
    petitionerName = a.citizen.name;
    plain = (await newCase(t, {})).id;
    denunciation = (await newCase(t, { categoryCode: 'discipline', title: '检举某局干部', content: '检举县住建局某干部收受好处费，请纪委调查处理。', denunciation: true, accusedUnitIds: ['130123-zj'] })).id;
    for (const id of [consented, plain]) {
      expect((await act(t, await login('zd.acceptor'), id, 'accept')).statusCode).toBe(200);
      expect((await act(t, await login('zd.dispatcher'), id, 'assign', { unitId: '130123-zj' })).statusCode).toBe(200);
      expect((await act(t, await login('zd.handler'), id, 'sign')).statusCode).toBe(200);
      expect((await act(t, await login('zd.handler'), id, 'reply', { text: '经核查，已责令施工单位于三日内支付王小明全部工资。' })).statusCode).toBe(200);
    }
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('proposes a typical case only in redacted text, once, and never a denunciation', async () => {
    const draft = await req('zd.supervisor', 'GET', `/api/office/cases/${consented}/typical-draft`);
    expect(draft.statusCode, draft.body).toBe(200);
    const d = draft.json<{ eligible: boolean; publicConsent: boolean; draft: { title: string; summary: string } }>();
    expect(d).toMatchObject({ eligible: true, publicConsent: true });
    expect(d.draft.title + d.draft.summary).not.toContain(petitionerName);
    expect(d.draft.summary).not.toContain('13912345678');
    expect(d.draft.summary).toContain('王某');

    const body = { kind: 'good', title: d.draft.title, summary: d.draft.summary, commentary: '承办单位当日签收、三周内答复，信访人满意，做到了件件有着落。', public: true };
    const leaky = await req('zd.supervisor', 'POST', `/api/office/cases/${consented}/typical`, { ...body, commentary: `${petitionerName}的诉求得到了及时解决，值得推广。` });
    expect(leaky.statusCode).toBe(400);
    expect(leaky.json<{ error: { fields: Record<string, string> } }>().error.fields.commentary).toMatch(/信访人姓名/);
    const phone = await req('zd.supervisor', 'POST', `/api/office/cases/${consented}/typical`, { ...body, summary: `${d.draft.summary} 联系电话 13912345678` });
    expect(phone.json<{ error: { fields: Record<string, string> } }>().error.fields.summary).toMatch(/电话/);
    expect((await req('zd.handler', 'POST', `/api/office/cases/${consented}/typical`, body)).statusCode).toBe(403);
    expect((await req('zd.supervisor', 'POST', `/api/office/cases/${consented}/typical`, { ...body, kind: 'neutral' })).statusCode).toBe(400);

    const r = await req('zd.supervisor', 'POST', `/api/office/cases/${consented}/typical`, body);
    expect(r.statusCode, r.body).toBe(201);
    const tc = r.json<Typical>();
    expect(tc.status).toBe('proposed');
    typicalId = tc.id;
    expect((await req('zd.supervisor', 'POST', `/api/office/cases/${consented}/typical`, body)).statusCode).toBe(409);
    // Without the petitioner's consent it cannot go on 阳光信访.
    expect((await req('zd.supervisor', 'POST', `/api/office/cases/${plain}/typical`, { ...body, kind: 'bad' })).statusCode).toBe(400);
    // A denunciation is never an example; its accused unit's staff do not even see it.
    expect((await req('zd.supervisor', 'POST', `/api/office/cases/${denunciation}/typical`, { ...body, public: false })).statusCode).toBe(409);
    // The proposal is an internal event on the case.
    const detail = await req('zd.supervisor', 'GET', `/api/office/cases/${consented}`);
    expect(detail.body).toContain('typical_proposed');
  });

  it('lets only a leader over the unit approve; publishes to every unit and, with consent, to the public', async () => {
    expect((await req('zd.supervisor', 'POST', `/api/office/typical-cases/${typicalId}/decision`, { approve: true })).statusCode).toBe(403);
    expect((await req('ca.leader', 'POST', `/api/office/typical-cases/${typicalId}/decision`, { approve: true })).statusCode).toBe(403);
    // Proposals are not for every role, nor for another county.
    expect((await req('zd.handler', 'GET', '/api/office/typical-cases?status=proposed')).statusCode).toBe(403);
    expect((await req('ca.leader', 'GET', '/api/office/typical-cases?status=proposed')).json<{ total: number }>().total).toBe(0);
    expect((await req('ca.acceptor', 'GET', `/api/office/typical-cases/${typicalId}`)).statusCode).toBe(404);
    const queue = (await req('zd.leader', 'GET', '/api/office/typical-cases?status=proposed')).json<{ items: Typical[] }>();
    expect(queue.items.map((i) => i.id)).toEqual([typicalId]);
    expect(queue.items[0]!.allowed.decide).toBe(true);
    expect((await req('zd.leader', 'POST', `/api/office/typical-cases/${typicalId}/decision`, { approve: true, text: { commentary: `请各地学习${petitionerName}一案的办理经验。` } })).statusCode).toBe(400);

    const ok = await req('zd.leader', 'POST', `/api/office/typical-cases/${typicalId}/decision`, { approve: true, note: '同意作为正面典型发布' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<Typical>().status).toBe('published');
    expect((await req('zd.leader', 'POST', `/api/office/typical-cases/${typicalId}/decision`, { approve: false })).statusCode).toBe(409);

    // Every staff member, in any county, reads the published example.
    const all = (await req('ca.acceptor', 'GET', '/api/office/typical-cases')).json<{ items: Typical[] }>();
    expect(all.items.map((i) => i.id)).toContain(typicalId);
    const pub = await t.request('GET', '/api/public/typical-cases');
    expect(pub.statusCode).toBe(200);
    const items = pub.json<{ items: { id: string; title: string; summary: string; commentary: string }[] }>().items;
    expect(items.map((i) => i.id)).toEqual([typicalId]);
    const text = JSON.stringify(items);
    expect(text).not.toContain(petitionerName);
    expect(text).not.toContain('13912345678');
    expect(text).not.toContain('常山路 1 号');

    expect((await req('ca.leader', 'POST', `/api/office/typical-cases/${typicalId}/withdraw`, { reason: '内容有误' })).statusCode).toBe(403);
    const w = await req('zd.leader', 'POST', `/api/office/typical-cases/${typicalId}/withdraw`, { reason: '信访人撤回同意' });
    expect(w.json<Typical>().status).toBe('withdrawn');
    expect((await t.request('GET', '/api/public/typical-cases')).json<{ total: number }>().total).toBe(0);
    const hist = (await req('zd.leader', 'GET', `/api/office/typical-cases/${typicalId}`)).json<{ history: { type: string }[] }>();
    expect(hist.history.map((h) => h.type)).toEqual(['proposed', 'published', 'withdrawn']);
  });

  let circularId = '';

  it('issues a numbered circular PDF stored with its hash, to chosen units of the jurisdiction only', async () => {
    const body = {
      kind: 'criticism',
      title: '关于部分县区代签信访文书问题的通报',
      body: '近期，根据信访人网上投诉，经现场督导检查，发现个别县区工作人员未与信访人见面即代替信访人签署文书。\n请各地立即开展自查，严禁代签。',
      targetUnitIds: ['130123', '130102'],
      caseIds: [consented],
      measures: [{ measure: 'completion', period: '2026-Q1' }],
    };
    expect((await req('sjz.supervisor', 'POST', '/api/office/circulars', body)).statusCode).toBe(403);
    expect((await req('zd.leader', 'POST', '/api/office/circulars', body)).statusCode).toBe(403);
    expect((await req('sjz.leader', 'POST', '/api/office/circulars', { ...body, targetUnitIds: [] })).statusCode).toBe(400);
    expect((await req('sjz.leader', 'POST', '/api/office/circulars', { ...body, targetUnitIds: ['nowhere'] })).statusCode).toBe(400);
    expect((await req('sjz.leader', 'POST', '/api/office/circulars', { ...body, caseIds: ['x'] })).statusCode).toBe(400);
    expect((await req('sjz.leader', 'POST', '/api/office/circulars', { ...body, targetUnitIds: ['130000'] })).statusCode).toBe(403);
    expect((await req('sjz.leader', 'GET', '/api/office/circulars')).json<{ total: number }>().total).toBe(0);

    const r = await req('sjz.leader', 'POST', '/api/office/circulars', body);
    expect(r.statusCode, r.body).toBe(201);
    const circ = r.json<Circular>();
    circularId = circ.id;
    expect(circ.docNo).toBe('石信通〔2026〕1号');
    expect(circ.citations.map((x) => x.kind)).toEqual(['case', 'measure']);
    expect(circ.citations[1]!.label).toMatch(/按期办结率（2026年第一季度）：正定县 .*；长安区 /);
    expect(circ.targets.map((x) => x.acknowledgedAt)).toEqual([null, null]);

    const pdf = await req('zd.acceptor', 'GET', `/api/office/circulars/${circularId}/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(crypto.createHash('sha256').update(pdf.rawPayload).digest('hex')).toBe(circ.sha256);
    expect(pdf.rawPayload.length).toBe(circ.size);
    const second = await req('sjz.leader', 'POST', '/api/office/circulars', { ...body, kind: 'commendation', title: '关于正定县按期办结工作的表扬通报', targetUnitIds: ['130123'] });
    expect(second.json<Circular>().docNo).toBe('石信通〔2026〕2号');

    // The addressed county's bureau is told in the app.
    await deliverOutbox(t.ctx, { owner: 'test', transports: {} });
    const msgs = (await req('zd.acceptor', 'GET', '/api/office/messages')).json<{ items: { title: string; body: string }[] }>();
    expect(msgs.items.some((m) => m.title.includes('石信通〔2026〕1号') && m.body.includes('签收'))).toBe(true);
  });

  it('has each addressed unit acknowledge once; other counties see nothing', async () => {
    const list = (await req('zd.supervisor', 'GET', '/api/office/circulars')).json<{ items: Circular[] }>();
    const mine = list.items.find((i) => i.id === circularId)!;
    expect(mine.canAcknowledge).toBe(true);
    expect(mine.mine.map((m) => m.unitId)).toEqual(['130123']);

    expect((await req('xh.acceptor', 'GET', `/api/office/circulars/${circularId}`)).statusCode).toBe(404);
    expect((await req('xh.acceptor', 'GET', `/api/office/circulars/${circularId}/pdf`)).statusCode).toBe(404);
    expect((await req('xh.acceptor', 'POST', `/api/office/circulars/${circularId}/acknowledge`)).statusCode).toBe(404);
    expect((await req('xh.acceptor', 'GET', '/api/office/circulars')).json<{ total: number }>().total).toBe(0);
    expect((await req('sjz.leader', 'POST', `/api/office/circulars/${circularId}/acknowledge`)).statusCode).toBe(403);

    const ack = await req('zd.supervisor', 'POST', `/api/office/circulars/${circularId}/acknowledge`);
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json<Circular>().mine[0]!.acknowledgedAt).not.toBeNull();
    expect((await req('zd.acceptor', 'POST', `/api/office/circulars/${circularId}/acknowledge`)).statusCode).toBe(409);
    // A county sees its own receipt, not the other county's.
    const zdView = (await req('zd.acceptor', 'GET', `/api/office/circulars/${circularId}`)).json<Circular>();
    expect(zdView.targets.map((x) => x.unitId)).toEqual(['130123']);
    // The issuer sees who has signed and who has not.
    const issuer = (await req('sjz.leader', 'GET', `/api/office/circulars/${circularId}`)).json<Circular & { history: { type: string }[] }>();
    expect(Object.fromEntries(issuer.targets.map((x) => [x.unitId, x.acknowledgedAt !== null]))).toEqual({ '130123': true, '130102': false });
    expect(issuer.history.map((h) => h.type)).toEqual(['issued', 'acknowledged']);
    // The province above sees it too.
    expect((await req('prov.supervisor', 'GET', `/api/office/circulars/${circularId}`)).statusCode).toBe(200);
    expect((await t.request('GET', `/api/office/circulars/${circularId}`)).statusCode).toBe(401);
  });

  it('serves the normative texts to all staff, edits only by the admin, and remembers the tour', async () => {
    const list = (await req('zd.handler', 'GET', '/api/office/training')).json<{ canEdit: boolean; items: { id: string; title: string; body: string; revision: number }[] }>();
    expect(list.canEdit).toBe(false);
    const limits = list.items.find((i) => i.id === 'time-limits')!;
    expect(limits.body).toMatch(/60日/);
    expect(limits.body).toMatch(/2个工作日/);
    expect(list.items.length).toBeGreaterThanOrEqual(10);
    const edit = { title: '办理时限一览', source: '《信访工作条例》', body: '自受理之日起60日内办结并书面答复信访人。', sort: 20, retired: false, revision: 0 };
    expect((await req('zd.handler', 'PUT', '/api/office/training/time-limits', edit)).statusCode).toBe(403);

    const admin = await t.staff('prov.admin');
    const secret = (await t.request('POST', '/api/me/totp/setup', { cookie: admin, body: {} })).json<{ secret: string }>().secret;
    expect((await t.request('POST', '/api/me/totp/enable', { cookie: admin, body: { code: totpAt(secret, t.ctx.clock.now()) } })).statusCode).toBe(200);
    const saved = await t.request('PUT', '/api/office/training/time-limits', { cookie: admin, body: edit });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json<{ revision: number }>().revision).toBe(1);
    expect((await t.request('PUT', '/api/office/training/time-limits', { cookie: admin, body: edit })).statusCode).toBe(409);
    expect((await t.request('PUT', '/api/office/training/Bad_Id', { cookie: admin, body: edit })).statusCode).toBe(400);
    const after = (await req('zd.handler', 'GET', '/api/office/training')).json<{ items: { id: string; body: string }[] }>();
    expect(after.items.find((i) => i.id === 'time-limits')!.body).toBe(edit.body);

    expect((await req('zd.handler', 'GET', '/api/office/tour')).json()).toEqual({ dismissed: [], pending: ['office-intro'] });
    expect((await req('zd.handler', 'POST', '/api/office/tour/office-intro/dismiss')).statusCode).toBe(200);
    expect((await req('zd.handler', 'GET', '/api/office/tour')).json()).toEqual({ dismissed: ['office-intro'], pending: [] });
    expect((await req('zd.handler', 'POST', '/api/office/tour/other/dismiss')).statusCode).toBe(400);
    expect((await req('zd.acceptor', 'GET', '/api/office/tour')).json<{ pending: string[] }>().pending).toEqual(['office-intro']);
  });
});
