/**
 * 督办件: a supervisor opens supervision on a case or a group of cases naming a unit, a problem and a
 * deadline; the named unit answers in writing; the supervisor closes it or escalates it to the
 * bureau above. Every step is on every case's record; the petitioner's tracking shows that the
 * case is under supervision; other counties, citizens and accused units never see it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, databases, newCase, startTestApp, type TestApp } from '../support/harness.js';
import { createStaff, demoPassword } from '../../src/services/seed.service.js';
import { deliverOutbox } from '../../src/jobs/outbox-delivery.js';

interface Sup {
  id: string;
  status: string;
  overdue: boolean;
  side: string;
  source: string;
  unitId: string;
  byUnitId: string;
  byUnitName: string;
  dueDate: string;
  answer: string | null;
  escalatedTo: string | null;
  cases: { id: string }[];
  allowedActions: string[];
}

describe.each(databases)('supervision cases 督办件 (%s)', (kind) => {
  let t: TestApp;
  const s: Record<string, string> = {};
  const events = async (caseId: string) => t.ctx.store.db.selectFrom('case_event').selectAll().where('case_id', '=', caseId).orderBy('seq').execute();
  const list = async (cookie: string, query = '') => {
    const r = await t.request('GET', `/api/office/supervisions${query}`, { cookie });
    expect(r.statusCode, r.body).toBe(200);
    return r.json<{ items: Sup[] }>().items;
  };
  /** A case at 正定县 signed for by the county housing bureau (130123-zj). */
  const handledCase = async (over: Record<string, unknown> = {}, unitId = '130123-zj') => {
    const c = await newCase(t, over);
    expect((await act(t, s['zd.acceptor']!, c.id, 'accept')).statusCode).toBe(200);
    expect((await act(t, s['zd.dispatcher']!, c.id, 'assign', { unitId })).statusCode).toBe(200);
    return c;
  };
  const open = (cookie: string, body: Record<string, unknown>) => t.request('POST', '/api/office/supervisions', { cookie, body });

  const logins = ['zd.acceptor', 'zd.dispatcher', 'zd.handler', 'zd.supervisor', 'zd.registrar', 'zd.leader', 'sjz.supervisor', 'sjz.leader', 'sjz.handler', 'sjz.registrar', 'sjz.auditor', 'prov.supervisor', 'ca.handler', 'ca.supervisor', 'zdrs.handler'];
  /** Moves the clock; sessions idle out across days, so everyone logs in again. */
  const at = async (iso: string) => {
    t.setNow(iso);
    for (const u of logins) s[u] = await t.staff(u);
  };

  beforeAll(async () => {
    t = await startTestApp(kind, { now: '2026-03-02T02:00:00Z' });
    // A neighbouring county (长安区) with its own staff.
    await createStaff(t.ctx, { username: 'ca.handler', name: '长安区承办人', unitId: '130102-zj', roles: ['handler'], password: demoPassword });
    await createStaff(t.ctx, { username: 'ca.supervisor', name: '长安区督办员', unitId: '130102-xfj', roles: ['supervisor'], password: demoPassword });
    await createStaff(t.ctx, { username: 'zdrs.handler', name: '正定县人社局承办人', unitId: '130123-rs', roles: ['handler'], password: demoPassword });
    await at('2026-03-02T02:00:00Z');
  });
  afterAll(async () => {
    await t.close();
  });

  it('open → answer → close, on the case record, in the unit\'s inbox, and on the petitioner\'s tracking', async () => {
    const c = await handledCase();
    expect((await act(t, s['zd.handler']!, c.id, 'sign')).statusCode).toBe(200);
    const before = (await events(c.id)).length;
    const r = await open(s['sjz.supervisor']!, { caseIds: [c.id], unitId: '130123-zj', problem: '签收后二十天未与信访人联系，请说明原因并抓紧办理', dueDate: '2026-03-10' });
    expect(r.statusCode, r.body).toBe(201);
    const sup = r.json<Sup>();
    expect(sup).toMatchObject({ status: 'open', side: 'supervisor', source: 'manual', unitId: '130123-zj', byUnitId: '130100-xfj', dueDate: '2026-03-10', allowedActions: ['escalate'] });
    const ev = (await events(c.id)).slice(before);
    expect(ev.map((e) => [e.type, e.visibility])).toEqual([
      ['supervision_opened', 'public'],
      ['supervision_note', 'internal'],
    ]);
    expect(ev[1]!.payload).toContain('签收后二十天');
    // The petitioner sees that the case is under the city's supervision, not the internal problem text.
    const track = await t.request('GET', `/api/track/${c.queryCode}`);
    expect(track.body).toContain(`本件已列入${sup.byUnitName}督办`);
    expect(track.body).not.toContain('签收后二十天');
    expect(track.json<{ supervised: boolean }>().supervised).toBe(true);
    // The unit is told in-app.
    await deliverOutbox(t.ctx, { owner: 'w1', transports: {} });
    const inbox = await t.request('GET', '/api/office/messages', { cookie: s['zd.handler']! });
    expect(inbox.json<{ items: { title: string; body: string }[] }>().items.some((m) => m.title.startsWith('督办通知') && m.body.includes('2026-03-10'))).toBe(true);

    // The unit sees it addressed to it, and may answer; the supervisor may not answer.
    const mine = (await list(s['zd.handler']!)).find((x) => x.id === sup.id)!;
    expect(mine).toMatchObject({ side: 'unit', allowedActions: ['answer'] });
    expect((await t.request('POST', `/api/office/supervisions/${sup.id}/answer`, { cookie: s['sjz.supervisor']!, body: { text: '督办方不能替被督办单位报告办理情况' } })).statusCode).toBe(403);
    // The supervisor cannot close before the unit answers.
    expect((await t.request('POST', `/api/office/supervisions/${sup.id}/close`, { cookie: s['sjz.supervisor']!, body: {} })).statusCode).toBe(409);
    const a = await t.request('POST', `/api/office/supervisions/${sup.id}/answer`, { cookie: s['zd.handler']!, body: { text: '已于 3 月 3 日约见信访人，现场核实情况，3 月 20 日前答复。' } });
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json<Sup>()).toMatchObject({ status: 'answered', answer: '已于 3 月 3 日约见信访人，现场核实情况，3 月 20 日前答复。', allowedActions: [] });
    expect((await t.request('POST', `/api/office/supervisions/${sup.id}/answer`, { cookie: s['zd.handler']!, body: { text: '再报告一次，不应被接受的重复报告' } })).statusCode).toBe(409);
    expect((await events(c.id)).at(-1)).toMatchObject({ type: 'supervision_answered', visibility: 'internal' });

    // A leader of the city can see it but only the supervising bureau's own staff close it; the province sees it too.
    expect((await t.request('POST', `/api/office/supervisions/${sup.id}/close`, { cookie: s['prov.supervisor']!, body: {} })).statusCode).toBe(403);
    expect((await list(s['prov.supervisor']!)).map((x) => x.id)).toContain(sup.id);
    const closed = await t.request('POST', `/api/office/supervisions/${sup.id}/close`, { cookie: s['sjz.leader']!, body: { note: '报告属实，同意办结' } });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json<Sup>().status).toBe('closed');
    expect((await t.request('POST', `/api/office/supervisions/${sup.id}/close`, { cookie: s['sjz.supervisor']!, body: {} })).statusCode).toBe(409);
    expect((await t.request('GET', `/api/track/${c.queryCode}`)).body).toContain('督办事项已办结');
    // Filters: by status and by case.
    expect((await list(s['sjz.supervisor']!, '?status=closed')).map((x) => x.id)).toContain(sup.id);
    expect((await list(s['sjz.supervisor']!, '?status=open')).map((x) => x.id)).not.toContain(sup.id);
    expect((await list(s['zd.handler']!, `?caseId=${c.id}`)).map((x) => x.id)).toEqual([sup.id]);
  });

  it('a group of cases under one supervision; overdue when unanswered; escalation to the province', async () => {
    const c1 = await handledCase();
    const c2 = await handledCase();
    const r = await open(s['sjz.supervisor']!, { caseIds: [c1.id, c2.id], unitId: '130123-zj', problem: '两件同类拖欠问题均未签收，请一并说明', dueDate: '2026-03-04' });
    expect(r.statusCode, r.body).toBe(201);
    const sup = r.json<Sup>();
    expect(sup.cases.map((x) => x.id).sort()).toEqual([c1.id, c2.id].sort());
    for (const id of [c1.id, c2.id]) expect((await events(id)).some((e) => e.type === 'supervision_opened' && e.payload.includes(sup.id))).toBe(true);

    await at('2026-03-06T02:00:00Z');
    const overdue = await list(s['sjz.supervisor']!, '?status=overdue');
    expect(overdue.find((x) => x.id === sup.id)).toMatchObject({ overdue: true, status: 'open' });
    const e = await t.request('POST', `/api/office/supervisions/${sup.id}/escalate`, { cookie: s['sjz.supervisor']!, body: { reason: '逾期未报告，提请省局督办', dueDate: '2026-03-13' } });
    expect(e.statusCode, e.body).toBe(200);
    const { escalated, newSupervisionId, toUnitId } = e.json<{ escalated: Sup; newSupervisionId: string; toUnitId: string }>();
    expect(escalated).toMatchObject({ status: 'escalated', escalatedTo: newSupervisionId });
    expect(toUnitId).toBe('130000-xfj');
    const up = await t.request('GET', `/api/office/supervisions/${newSupervisionId}`, { cookie: s['prov.supervisor']! });
    expect(up.json<Sup>()).toMatchObject({ status: 'open', source: 'escalation', byUnitId: '130000-xfj', unitId: '130123-zj', allowedActions: ['escalate'] });
    expect((await t.request('GET', `/api/track/${c2.queryCode}`)).body).toContain('本件已提级由河北省信访局督办');
    // The province is the top: no further escalation.
    const top = await t.request('POST', `/api/office/supervisions/${newSupervisionId}/escalate`, { cookie: s['prov.supervisor']!, body: { reason: '没有更上一级可以提级', dueDate: '2026-03-13' } });
    expect(top.statusCode).toBe(409);
    // The unit answers the province's supervision; the province closes it.
    expect((await t.request('POST', `/api/office/supervisions/${newSupervisionId}/answer`, { cookie: s['zd.handler']!, body: { text: '两件均已签收并约谈信访人，限期答复。' } })).statusCode).toBe(200);
    expect((await t.request('POST', `/api/office/supervisions/${newSupervisionId}/close`, { cookie: s['prov.supervisor']!, body: {} })).statusCode).toBe(200);
    await at('2026-03-02T02:00:00Z');
  });

  it('refuses bad input with a clear error and changes nothing', async () => {
    const c = await handledCase();
    const n = (await events(c.id)).length;
    const bad: [Record<string, unknown>, number, string][] = [
      [{ caseIds: [c.id], unitId: '130123-zj', problem: '请说明', dueDate: '2026-03-10' }, 400, 'problem'],
      [{ caseIds: [c.id], unitId: '130123-zj', problem: '请说明未签收原因', dueDate: '2026-02-10' }, 400, 'dueDate'],
      [{ caseIds: [c.id], unitId: '130123-zj', problem: '请说明未签收原因', dueDate: '2026-02-30' }, 400, 'dueDate'],
      [{ caseIds: [c.id], unitId: '130123-zj', problem: '请说明未签收原因', dueDate: '2027-03-10' }, 400, 'dueDate'],
      [{ caseIds: [], unitId: '130123-zj', problem: '请说明未签收原因', dueDate: '2026-03-10' }, 400, 'caseIds'],
      [{ caseIds: ['x'], unitId: '130123-zj', problem: '请说明未签收原因', dueDate: '2026-03-10' }, 400, 'caseIds'],
      [{ caseIds: [c.id], unitId: 'nope', problem: '请说明未签收原因', dueDate: '2026-03-10' }, 400, 'unitId'],
      // A government is not a unit that answers; a unit that never had the case cannot be named.
      [{ caseIds: [c.id], unitId: '130123', problem: '请说明未签收原因', dueDate: '2026-03-10' }, 400, 'unitId'],
      [{ caseIds: [c.id], unitId: '130123-jy', problem: '请说明未签收原因', dueDate: '2026-03-10' }, 400, 'unitId'],
      [{ caseIds: [c.id], unitId: '130123-zj', problem: '请说明未签收原因', dueDate: '2026-03-10', extra: 1 }, 400, ''],
      [{ caseIds: ['00000000-0000-4000-8000-000000000000'], unitId: '130123-zj', problem: '请说明未签收原因', dueDate: '2026-03-10' }, 404, ''],
    ];
    for (const [body, status, field] of bad) {
      const r = await open(s['sjz.supervisor']!, body);
      expect(r.statusCode, `${JSON.stringify(body)} ${r.body}`).toBe(status);
      const err = r.json<{ error: { message: string; fields?: Record<string, string> } }>().error;
      expect(err.message).toMatch(/[\u4e00-\u9fa5]/);
      if (field) expect(Object.keys(err.fields ?? {}).join(','), r.body).toContain(field);
    }
    expect((await t.request('POST', '/api/office/supervisions/not-a-uuid/answer', { cookie: s['zd.handler']!, body: { text: '报告内容足够长足够长' } })).statusCode).toBe(400);
    expect((await t.request('POST', '/api/office/supervisions/00000000-0000-4000-8000-000000000000/answer', { cookie: s['zd.handler']!, body: { text: '报告内容足够长足够长' } })).statusCode).toBe(404);
    expect((await list(s['sjz.supervisor']!, `?caseId=${c.id}`)).length).toBe(0);
    expect((await events(c.id)).length).toBe(n);
    expect((await t.request('GET', '/api/office/supervisions?status=bogus', { cookie: s['sjz.supervisor']! })).statusCode).toBe(400);
  });

  it('roles and jurisdiction: who may open, see, answer and close', async () => {
    const c = await handledCase();
    const body = { caseIds: [c.id], unitId: '130123-zj', problem: '请说明未签收原因', dueDate: '2026-03-10' };
    // Without 督办 permission; a unit cannot supervise itself; a county cannot name a unit outside it.
    for (const u of ['zd.handler', 'zd.registrar', 'sjz.auditor', 'sjz.handler']) expect((await open(s[u]!, body)).statusCode, u).toBe(403);
    expect((await open(s['ca.supervisor']!, body)).statusCode).toBe(403);
    const own = await createStaff(t.ctx, { username: 'zj.leader', name: '住建局领导', unitId: '130123-zj', roles: ['leader'], password: demoPassword });
    expect(own).toBeTruthy();
    expect((await open(await t.staff('zj.leader'), body)).statusCode).toBe(403);
    // A citizen cannot reach the office routes at all.
    const citizen = await t.citizen();
    expect((await open(citizen.cookie, body)).statusCode).toBe(403);
    expect((await t.request('GET', '/api/office/supervisions', { cookie: citizen.cookie })).statusCode).toBe(403);
    expect((await t.request('GET', '/api/office/supervisions')).statusCode).toBe(401);

    // The county bureau supervises its own housing bureau.
    const r = await open(s['zd.supervisor']!, body);
    expect(r.statusCode, r.body).toBe(201);
    const sup = r.json<Sup>();
    // Another county sees nothing and can do nothing; a registrar has no supervision list.
    for (const u of ['ca.handler', 'ca.supervisor']) {
      expect((await list(s[u]!)).map((x) => x.id), u).not.toContain(sup.id);
      expect((await t.request('GET', `/api/office/supervisions/${sup.id}`, { cookie: s[u]! })).statusCode, u).toBe(404);
      expect((await t.request('POST', `/api/office/supervisions/${sup.id}/answer`, { cookie: s[u]!, body: { text: '冒名报告不应被接受的内容' } })).statusCode, u).toBe(404);
      expect((await t.request('POST', `/api/office/supervisions/${sup.id}/escalate`, { cookie: s[u]!, body: { reason: '冒名提级不应被允许', dueDate: '2026-03-10' } })).statusCode, u).toBe(404);
    }
    expect((await t.request('GET', '/api/office/supervisions', { cookie: s['zd.registrar']! })).statusCode).toBe(403);
    // Another unit of the same county (人社局) is not addressed.
    expect((await t.request('GET', `/api/office/supervisions/${sup.id}`, { cookie: s['zdrs.handler']! })).statusCode).toBe(404);
    // The city sees what its county opened, but only the county bureau acts on it.
    expect((await list(s['sjz.supervisor']!)).find((x) => x.id === sup.id)).toMatchObject({ side: 'supervisor', allowedActions: [] });
    expect((await t.request('POST', `/api/office/supervisions/${sup.id}/escalate`, { cookie: s['sjz.supervisor']!, body: { reason: '越级提级不允许', dueDate: '2026-03-10' } })).statusCode).toBe(403);
  });

  it('a denunciation never names nor reaches the accused unit', async () => {
    const c = await newCase(t, { title: '检举县住建局工作人员吃拿卡要', categoryCode: 'discipline', content: '检举县住建局某工作人员在审批中吃拿卡要，请纪委调查处理。', denunciation: true, accusedUnitIds: ['130123-zj'] });
    expect((await act(t, s['zd.acceptor']!, c.id, 'accept')).statusCode).toBe(200);
    expect((await act(t, s['zd.dispatcher']!, c.id, 'assign', { unitId: '130123-rs' })).statusCode).toBe(200);
    const named = await open(s['sjz.supervisor']!, { caseIds: [c.id], unitId: '130123-zj', problem: '请被检举单位说明情况', dueDate: '2026-03-10' });
    expect(named.statusCode).toBe(403);
    // A group that includes the denunciation cannot be addressed to the accused either.
    const other = await handledCase();
    expect((await open(s['sjz.supervisor']!, { caseIds: [other.id, c.id], unitId: '130123-zj', problem: '请一并说明情况', dueDate: '2026-03-10' })).statusCode).toBe(403);
    expect((await events(other.id)).some((e) => e.type === 'supervision_opened')).toBe(false);
    const ok = await open(s['sjz.supervisor']!, { caseIds: [c.id], unitId: '130123-rs', problem: '请抓紧核查检举事项', dueDate: '2026-03-10' });
    expect(ok.statusCode, ok.body).toBe(201);
    const sup = ok.json<Sup>();
    expect((await list(s['zdrs.handler']!)).map((x) => x.id)).toContain(sup.id);
    // The accused unit sees nothing: not in its list, not by id.
    expect((await list(s['zd.handler']!)).map((x) => x.id)).not.toContain(sup.id);
    const direct = await t.request('GET', `/api/office/supervisions/${sup.id}`, { cookie: s['zd.handler']! });
    expect(direct.statusCode).toBe(404);
    expect(direct.body).not.toContain('吃拿卡要');
  });

  it('"这不是我签的" opens an ordinary 督办件 addressed to the unit that issued the paper', async () => {
    const c = await handledCase();
    expect((await act(t, s['zd.handler']!, c.id, 'sign')).statusCode).toBe(200);
    const docs = await t.request('GET', `/api/cases/${c.id}/documents`, { cookie: c.citizen.cookie });
    const letter = docs.json<{ items: { id: string; kind: string }[] }>().items.find((d) => d.kind === 'responsibility_letter')!;
    const d = await t.request('POST', `/api/cases/${c.id}/documents/${letter.id}/dispute`, { cookie: c.citizen.cookie, body: { reason: '这不是我签的，我从未见过这份责任书' } });
    expect(d.statusCode, d.body).toBe(201);
    const { supervisionId } = d.json<{ supervisionId: string }>();
    const sup = (await list(s['sjz.supervisor']!)).find((x) => x.id === supervisionId)!;
    expect(sup).toMatchObject({ source: 'signature_dispute', status: 'open', byUnitId: '130100-xfj', unitId: '130123-zj' });
    expect(sup.dueDate).toMatch(/^2026-03-\d\d$/);
    expect((await t.request('POST', `/api/office/supervisions/${supervisionId}/answer`, { cookie: s['zd.handler']!, body: { text: '经核查，系工作人员代签，已责令检讨并重新约见信访人。' } })).statusCode).toBe(200);
    expect((await t.request('POST', `/api/office/supervisions/${supervisionId}/close`, { cookie: s['sjz.supervisor']!, body: { note: '通报批评，纳入年度考核' } })).statusCode).toBe(200);
    // The county bureau above the handling unit is not addressed and does not see it.
    expect((await list(s['zd.supervisor']!)).map((x) => x.id)).not.toContain(supervisionId);
  });
});
