/**
 * 督导检查: the system proposes a sample of a unit's cases weighted to overdue, dissatisfied,
 * returned and disputed-signature cases; the inspector records a finding per case, demands
 * corrections with due dates, the unit reports, the inspector accepts or reopens. The inspected
 * unit sees exactly that; another county sees nothing; denunciations never enter the sample.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, databases, newCase, startTestApp, type TestApp } from '../support/harness.js';
import { createStaff, demoPassword } from '../../src/services/seed.service.js';
import { deliverOutbox } from '../../src/jobs/outbox-delivery.js';

interface SampleItem {
  caseId: string;
  reasons: string[];
  reasonLabels: string[];
  weight: number;
}
interface Inspection {
  id: string;
  status: string;
  side: string;
  unitId: string;
  cases: { caseId: string; verdict: string | null; finding: string | null; reasons: string[] }[];
  corrections: { id: string; caseId: string | null; status: string; overdue: boolean; dueDate: string; allowedActions: string[] }[];
  allowedActions: string[];
}

describe.each(databases)('inspections 督导检查 (%s)', (kind) => {
  let t: TestApp;
  const s: Record<string, string> = {};
  const logins = ['zd.acceptor', 'zd.dispatcher', 'zd.handler', 'zd.supervisor', 'zd.leader', 'zd.registrar', 'sjz.supervisor', 'sjz.handler', 'prov.supervisor', 'ca.supervisor', 'ca.handler'];
  const at = async (iso: string) => {
    t.setNow(iso);
    for (const u of logins) s[u] = await t.staff(u);
  };
  const ok = (r: { statusCode: number; body: string }, status = 200) => {
    expect(r.statusCode, r.body).toBe(status);
    return JSON.parse(r.body) as Inspection;
  };
  const cases: Record<string, string> = {};
  let denounced = '';
  let neighbour = '';

  beforeAll(async () => {
    t = await startTestApp(kind, { now: '2026-03-02T02:00:00Z' });
    await createStaff(t.ctx, { username: 'ca.supervisor', name: '长安区督办员', unitId: '130102-xfj', roles: ['supervisor'], password: demoPassword });
    await createStaff(t.ctx, { username: 'ca.handler', name: '长安区承办人', unitId: '130102-zj', roles: ['handler'], password: demoPassword });
    await at('2026-03-02T02:00:00Z');
    const handled = async () => {
      const c = await newCase(t);
      expect((await act(t, s['zd.acceptor']!, c.id, 'accept')).statusCode).toBe(200);
      expect((await act(t, s['zd.dispatcher']!, c.id, 'assign', { unitId: '130123-zj' })).statusCode).toBe(200);
      return c;
    };
    // Returned by the unit.
    const r = await handled();
    expect((await act(t, s['zd.handler']!, r.id, 'return', { reason: '该事项属于人社部门职责，不属于本单位职权范围' })).statusCode).toBe(200);
    cases.returned = r.id;
    // Answered and rated dissatisfied.
    const d = await handled();
    expect((await act(t, s['zd.handler']!, d.id, 'sign')).statusCode).toBe(200);
    expect((await act(t, s['zd.handler']!, d.id, 'reply', { text: '经核查，已责令有关单位限期整改，特此答复。' })).statusCode).toBe(200);
    const ev = await t.request('POST', `/api/cases/${d.id}/evaluation`, { cookie: d.citizen.cookie, body: { rating: 'dissatisfied', comment: '问题没有解决' } });
    expect(ev.statusCode, ev.body).toBe(201);
    cases.dissatisfied = d.id;
    // "这不是我签的".
    const g = await handled();
    expect((await act(t, s['zd.handler']!, g.id, 'sign')).statusCode).toBe(200);
    const docs = await t.request('GET', `/api/cases/${g.id}/documents`, { cookie: g.citizen.cookie });
    const letter = docs.json<{ items: { id: string; kind: string }[] }>().items.find((x) => x.kind === 'responsibility_letter')!;
    expect((await t.request('POST', `/api/cases/${g.id}/documents/${letter.id}/dispute`, { cookie: g.citizen.cookie, body: { reason: '这不是我签的，我从未见过这份责任书' } })).statusCode).toBe(201);
    cases.disputed = g.id;
    // Plain cases, handled on time.
    for (let i = 0; i < 4; i++) cases[`plain${i}`] = (await handled()).id;
    // Left unaccepted past the acceptance clock (2 working days): overdue.
    cases.overdue = (await newCase(t)).id;
    // A denunciation of the county housing bureau, handled by the labour bureau.
    const den = await newCase(t, { title: '检举县住建局工作人员吃拿卡要', categoryCode: 'discipline', content: '检举县住建局某工作人员在审批中吃拿卡要，请纪委调查处理。', denunciation: true, accusedUnitIds: ['130123-zj'] });
    expect((await act(t, s['zd.acceptor']!, den.id, 'accept')).statusCode).toBe(200);
    expect((await act(t, s['zd.dispatcher']!, den.id, 'assign', { unitId: '130123-rs' })).statusCode).toBe(200);
    denounced = den.id;
    // A case of another county.
    neighbour = (await newCase(t, { regionCode: '130102', address: '石家庄市长安区建设北大街 1 号' })).id;
    await at('2026-03-09T02:00:00Z');
  });
  afterAll(async () => {
    await t.close();
  });

  const sample = (cookie: string, q: string) => t.request('GET', `/api/office/inspections/sample?${q}`, { cookie });

  it('proposes a weighted sample with the reason for each case, deterministic under a seed, never a denunciation of the unit', async () => {
    const all = await sample(s['sjz.supervisor']!, 'unitId=130123&size=50&seed=t1');
    expect(all.statusCode, all.body).toBe(200);
    const body = all.json<{ seed: string; population: number; flagged: number; items: SampleItem[] }>();
    const by = new Map(body.items.map((i) => [i.caseId, i]));
    expect(by.get(cases.returned!)!.reasons).toContain('returned');
    expect(by.get(cases.dissatisfied!)!.reasons).toContain('dissatisfied');
    expect(by.get(cases.disputed!)!.reasons).toContain('disputed');
    expect(by.get(cases.overdue!)!.reasons).toContain('overdue');
    expect(by.get(cases.overdue!)!.reasonLabels).toContain('超期办理');
    expect(by.get(cases.plain0!)!).toMatchObject({ reasons: [], weight: 1 });
    expect(by.get(cases.returned!)!.weight).toBeGreaterThan(1);
    expect(by.has(denounced)).toBe(false);
    expect(by.has(neighbour)).toBe(false);
    expect(body.population).toBe(body.items.length);
    expect(body.flagged).toBe(body.items.filter((i) => i.reasons.length > 0).length);
    const a = (await sample(s['sjz.supervisor']!, 'unitId=130123&size=3&seed=abc')).json<{ items: SampleItem[] }>().items.map((i) => i.caseId);
    const b = (await sample(s['sjz.supervisor']!, 'unitId=130123&size=3&seed=abc')).json<{ items: SampleItem[] }>().items.map((i) => i.caseId);
    expect(a).toHaveLength(3);
    expect(a).toEqual(b);
    // Without a seed the server picks one and says which, so the draw can be repeated.
    const free = (await sample(s['sjz.supervisor']!, 'unitId=130123&size=3')).json<{ seed: string; items: SampleItem[] }>();
    const again = (await sample(s['sjz.supervisor']!, `unitId=130123&size=3&seed=${free.seed}`)).json<{ items: SampleItem[] }>();
    expect(again.items.map((i) => i.caseId)).toEqual(free.items.map((i) => i.caseId));
    // The labour bureau's sample holds the denunciation it handles (it is not the accused).
    const rs = (await sample(s['sjz.supervisor']!, 'unitId=130123-rs&size=50&seed=x')).json<{ items: SampleItem[] }>();
    expect(rs.items.map((i) => i.caseId)).toContain(denounced);
  });

  it('refuses bad input and what the role or jurisdiction does not allow', async () => {
    for (const q of ['unitId=130123&size=0', 'unitId=130123&size=51', 'unitId=nope', 'size=3', 'unitId=130123&bogus=1']) {
      const r = await sample(s['sjz.supervisor']!, q);
      expect(r.statusCode, q).toBe(400);
      expect(r.json<{ error: { message: string } }>().error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect((await sample(s['sjz.handler']!, 'unitId=130123')).statusCode).toBe(403);
    expect((await sample(s['zd.supervisor']!, 'unitId=130100')).statusCode).toBe(403);
    expect((await sample(s['ca.supervisor']!, 'unitId=130123')).statusCode).toBe(403);
    // A bureau cannot inspect itself or its own government.
    expect((await sample(s['zd.supervisor']!, 'unitId=130123')).statusCode).toBe(403);
    const citizen = await t.citizen();
    expect((await sample(citizen.cookie, 'unitId=130123')).statusCode).toBe(403);
    const create = (cookie: string, body: Record<string, unknown>) => t.request('POST', '/api/office/inspections', { cookie, body });
    const base = { unitId: '130123', inspectedOn: '2026-03-09', inspectors: '李督查、王督查', caseIds: [cases.plain0] };
    expect((await create(s['sjz.supervisor']!, { ...base, caseIds: [neighbour] })).statusCode).toBe(400);
    expect((await create(s['sjz.supervisor']!, { ...base, caseIds: [denounced] })).statusCode).toBe(400);
    expect((await create(s['sjz.supervisor']!, { ...base, inspectedOn: '2026-13-01' })).statusCode).toBe(400);
    expect((await create(s['sjz.supervisor']!, { ...base, inspectors: '' })).statusCode).toBe(400);
    expect((await create(s['sjz.handler']!, base)).statusCode).toBe(403);
    expect((await create(citizen.cookie, base)).statusCode).toBe(403);
    expect((await t.request('GET', '/api/office/inspections', { cookie: s['zd.registrar']! })).statusCode).toBe(403);
    expect(await t.ctx.store.db.selectFrom('inspection').selectAll().execute()).toEqual([]);
  });

  it('inspect → findings → corrections → the unit reports → reopen → accept, and only the right people see or act', async () => {
    const picked = [cases.returned!, cases.dissatisfied!, cases.plain1!];
    const created = ok(await t.request('POST', '/api/office/inspections', { cookie: s['sjz.supervisor']!, body: { unitId: '130123', inspectedOn: '2026-03-09', inspectors: '李督查、王督查', caseIds: picked } }), 201);
    expect(created).toMatchObject({ status: 'open', side: 'inspector', unitId: '130123' });
    expect(created.allowedActions).toEqual(['add-cases', 'finding', 'conclude', 'add-correction']);
    expect(created.cases.find((c) => c.caseId === cases.returned)!.reasons).toContain('returned');
    const id = created.id;
    const url = `/api/office/inspections/${id}`;

    // Who sees it: the inspector's bureau and above, and the inspected county; not another county, not a department.
    expect(ok(await t.request('GET', url, { cookie: s['zd.supervisor']! })).side).toBe('unit');
    expect(ok(await t.request('GET', url, { cookie: s['prov.supervisor']! })).side).toBe('inspector');
    for (const u of ['ca.supervisor', 'ca.handler', 'zd.handler']) {
      expect((await t.request('GET', url, { cookie: s[u]! })).statusCode, u).toBe(404);
      const l = await t.request('GET', '/api/office/inspections', { cookie: s[u]! });
      expect(l.statusCode).toBe(200);
      expect(l.body, u).not.toContain(id);
    }

    const finding = (cookie: string, caseId: string, body: Record<string, unknown>) => t.request('POST', `${url}/cases/${caseId}/finding`, { cookie, body });
    // Only the inspecting bureau records findings.
    expect((await finding(s['zd.supervisor']!, cases.plain1!, { verdict: 'ok' })).statusCode).toBe(403);
    expect((await finding(s['prov.supervisor']!, cases.plain1!, { verdict: 'ok' })).statusCode).toBe(403);
    expect((await finding(s['sjz.supervisor']!, cases.plain1!, { verdict: 'bogus' })).statusCode).toBe(400);
    expect((await finding(s['sjz.supervisor']!, cases.returned!, { verdict: 'problem' })).statusCode).toBe(400);
    expect((await finding(s['sjz.supervisor']!, cases.plain2!, { verdict: 'ok' })).statusCode).toBe(404);
    ok(await finding(s['sjz.supervisor']!, cases.plain1!, { verdict: 'ok' }));
    ok(await finding(s['sjz.supervisor']!, cases.returned!, { verdict: 'problem', finding: '退回理由不充分，超出 5 个工作日退回期限' }));
    // Cannot conclude with a case still without a finding.
    expect((await t.request('POST', `${url}/conclude`, { cookie: s['sjz.supervisor']!, body: { summary: '总体规范，个别问题需整改' } })).statusCode).toBe(409);
    ok(await finding(s['sjz.supervisor']!, cases.dissatisfied!, { verdict: 'problem', finding: '答复未回应信访人诉求，群众不满意' }));
    const ev = await t.ctx.store.db.selectFrom('case_event').selectAll().where('case_id', '=', cases.returned!).where('type', '=', 'inspection_finding').execute();
    expect(ev).toHaveLength(1);
    expect(ev[0]!.visibility).toBe('internal');

    const corr = (body: Record<string, unknown>) => t.request('POST', `${url}/corrections`, { cookie: s['sjz.supervisor']!, body });
    expect((await corr({ requirement: '规范退回', dueDate: '2026-03-01' })).statusCode).toBe(400);
    expect((await corr({ requirement: '规范退回', dueDate: '2026-03-16', caseId: cases.plain2 })).statusCode).toBe(400);
    ok(await corr({ caseId: cases.dissatisfied, requirement: '重新约见信访人，补充答复', dueDate: '2026-03-13' }), 201);
    const withBoth = ok(await corr({ requirement: '建立退回审核制度，报送制度文本', dueDate: '2026-03-20' }), 201);
    expect(withBoth.corrections).toHaveLength(2);
    // The unit cannot report before the inspection is concluded.
    const c1 = withBoth.corrections.find((c) => c.caseId === cases.dissatisfied)!;
    const c2 = withBoth.corrections.find((c) => c.caseId === null)!;
    expect((await t.request('POST', `${url}/corrections/${c1.id}/report`, { cookie: s['zd.supervisor']!, body: { text: '已重新约见信访人' } })).statusCode).toBe(409);
    const concluded = ok(await t.request('POST', `${url}/conclude`, { cookie: s['sjz.supervisor']!, body: { summary: '抽查 3 件，2 件存在问题，限期整改' } }));
    expect(concluded.status).toBe('concluded');
    await deliverOutbox(t.ctx, { owner: 'w1', transports: {} });
    const inbox = await t.request('GET', '/api/office/messages', { cookie: s['zd.supervisor']! });
    expect(inbox.json<{ items: { title: string; body: string }[] }>().items.some((m) => m.title.startsWith('督导检查意见') && m.body.includes('发现问题 2 件'))).toBe(true);

    // The unit sees what it is judged on and may report; another county may not.
    const unitView = ok(await t.request('GET', url, { cookie: s['zd.leader']! }));
    expect(unitView.cases.filter((c) => c.verdict === 'problem')).toHaveLength(2);
    expect(unitView.corrections.every((c) => c.allowedActions.includes('report'))).toBe(true);
    expect((await t.request('POST', `${url}/corrections/${c1.id}/report`, { cookie: s['ca.supervisor']!, body: { text: '冒名报告整改情况' } })).statusCode).toBe(404);
    expect((await t.request('POST', `${url}/corrections/${c1.id}/report`, { cookie: s['sjz.supervisor']!, body: { text: '检查方代为报告整改' } })).statusCode).toBe(403);
    expect((await t.request('POST', `${url}/corrections/${c1.id}/accept`, { cookie: s['sjz.supervisor']!, body: {} })).statusCode).toBe(409);
    ok(await t.request('POST', `${url}/corrections/${c1.id}/report`, { cookie: s['zd.supervisor']!, body: { text: '已于 3 月 11 日重新约见信访人，补充答复已送达' } }));
    expect((await t.request('POST', `${url}/corrections/${c1.id}/report`, { cookie: s['zd.supervisor']!, body: { text: '重复报告不应被接受' } })).statusCode).toBe(409);
    // The inspector reopens with a reason and a new date; the unit reports again; accepted.
    expect((await t.request('POST', `${url}/corrections/${c1.id}/reopen`, { cookie: s['sjz.supervisor']!, body: { note: '太短', dueDate: '2026-03-20' } })).statusCode).toBe(400);
    expect((await t.request('POST', `${url}/corrections/${c1.id}/accept`, { cookie: s['zd.supervisor']!, body: {} })).statusCode).toBe(403);
    const reopened = ok(await t.request('POST', `${url}/corrections/${c1.id}/reopen`, { cookie: s['sjz.supervisor']!, body: { note: '补充答复仍未回应工资数额问题', dueDate: '2026-03-20' } }));
    expect(reopened.corrections.find((c) => c.id === c1.id)).toMatchObject({ status: 'reopened', dueDate: '2026-03-20' });
    ok(await t.request('POST', `${url}/corrections/${c1.id}/report`, { cookie: s['zd.supervisor']!, body: { text: '已核实工资数额并再次书面答复' } }));
    ok(await t.request('POST', `${url}/corrections/${c1.id}/accept`, { cookie: s['sjz.supervisor']!, body: { note: '同意' } }));
    const events = await t.ctx.store.db.selectFrom('case_event').select('type').where('case_id', '=', cases.dissatisfied!).execute();
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['correction_required', 'correction_reported', 'correction_reopened', 'correction_accepted']));

    // The other correction goes overdue unreported: visible as overdue to both sides.
    await at('2026-03-23T02:00:00Z');
    const late = ok(await t.request('GET', url, { cookie: s['zd.supervisor']! }));
    expect(late.corrections.find((c) => c.id === c2.id)).toMatchObject({ status: 'open', overdue: true });
    const list = await t.request('GET', '/api/office/inspections', { cookie: s['sjz.supervisor']! });
    expect(list.json<{ items: { id: string; overdueCorrections: number; problems: number }[] }>().items.find((i) => i.id === id)).toMatchObject({ overdueCorrections: 1, problems: 2 });
    ok(await t.request('POST', `${url}/corrections/${c2.id}/report`, { cookie: s['zd.supervisor']!, body: { text: '退回审核制度已印发，附制度文本' } }));
    const done = ok(await t.request('POST', `${url}/corrections/${c2.id}/accept`, { cookie: s['sjz.supervisor']!, body: {} }));
    expect(done.status).toBe('closed');
    expect(done.allowedActions).toEqual([]);
  });
});
