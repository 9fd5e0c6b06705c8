/**
 * The forbidden paths: every 正定县 demo role, a citizen and an anonymous caller try every staff
 * action on a case in the state where the action is valid; staff of another county, a sibling
 * department, the admin and the auditor; assignment outside the jurisdiction; denunciations.
 * A refusal must carry the exact status and leave the case's history untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { act, cookieOf, databases, newCaseBody, startTestApp, type TestApp, bodyFor } from '../support/harness.js';
import { createStaff, demoPassword } from '../../src/services/seed.service.js';
import { staffActions, type StaffAction } from '../../src/domain/case-state.js';
import type { Role } from '../../src/domain/permissions.js';

const BASE_NOW = '2026-03-02T02:00:00Z';
const HAN = /[\u4e00-\u9fa5]/;
const zdRoles: Role[] = ['registrar', 'acceptor', 'dispatcher', 'handler', 'supervisor', 'leader', 'auditor', 'admin'];

type Stage = 'submitted' | 'accepted' | 'assigned' | 'in_progress' | 'extension_pending' | 'replied_window_over' | 'under_review' | 'merged';

/**
 * For each staff action: the stage where it is valid, the 正定县 roles that may do it, and the roles
 * that cannot even see the case there (the housing department's handler before it is assigned).
 * Everyone else is refused with 403; a citizen 403; an anonymous caller 401.
 */
const matrix: Record<StaffAction, { stage: Stage; allowed: Role[]; unseen?: Role[] }> = {
  accept: { stage: 'submitted', allowed: ['acceptor'], unseen: ['handler'] },
  reject: { stage: 'submitted', allowed: ['acceptor'], unseen: ['handler'] },
  assign: { stage: 'accepted', allowed: ['dispatcher'], unseen: ['handler'] },
  forward: { stage: 'accepted', allowed: ['dispatcher'], unseen: ['handler'] },
  sign: { stage: 'assigned', allowed: ['handler'] },
  return: { stage: 'assigned', allowed: ['handler'] },
  urge: { stage: 'assigned', allowed: ['dispatcher', 'supervisor', 'leader'] },
  supervise: { stage: 'in_progress', allowed: ['supervisor', 'leader'] },
  'request-extension': { stage: 'in_progress', allowed: ['handler'] },
  'approve-extension': { stage: 'extension_pending', allowed: ['leader'] },
  reply: { stage: 'in_progress', allowed: ['handler'] },
  'review-decision': { stage: 'under_review', allowed: ['supervisor', 'leader'] },
  merge: { stage: 'submitted', allowed: ['acceptor', 'dispatcher'], unseen: ['handler'] },
  unmerge: { stage: 'merged', allowed: ['acceptor', 'dispatcher'], unseen: ['handler'] },
  close: { stage: 'replied_window_over', allowed: ['acceptor', 'dispatcher'] },
  note: { stage: 'accepted', allowed: ['registrar', 'acceptor', 'dispatcher', 'supervisor', 'leader'], unseen: ['handler'] },
};


function expectError(r: LightMyRequestResponse, status: number, label = ''): void {
  expect(r.statusCode, `${label} ${r.body}`).toBe(status);
  const body = r.json<{ error: { code: string; message: string } }>();
  expect(body.error.message).toMatch(HAN);
}

describe.each(databases)('forbidden paths (%s)', (kind) => {
  let t: TestApp;
  let citizenPhone: string;
  const cookies = new Map<string, string>();

  async function staff(username: string): Promise<string> {
    let c = cookies.get(username);
    if (!c) {
      const r = await t.request('POST', '/api/auth/login', { body: { login: username, password: demoPassword } });
      expect(r.statusCode, `login ${username}: ${r.body}`).toBe(200);
      c = cookieOf(r);
      cookies.set(username, c);
    }
    return c;
  }
  async function citizenCookie(): Promise<string> {
    let c = cookies.get('citizen');
    if (!c) {
      const r = await t.request('POST', '/api/auth/login', { body: { login: citizenPhone, password: 'Passw0rd!' } });
      expect(r.statusCode, r.body).toBe(200);
      c = cookieOf(r);
      cookies.set('citizen', c);
    }
    return c;
  }
  /** Moves the clock; sessions do not survive a jump of days, so everyone logs in again. */
  function setNow(iso: string) {
    t.setNow(iso);
    cookies.clear();
  }
  async function submit(over: Record<string, unknown> = {}): Promise<{ id: string; queryCode: string }> {
    const r = await t.request('POST', '/api/cases', { cookie: await citizenCookie(), body: newCaseBody(over) });
    expect(r.statusCode, r.body).toBe(201);
    return r.json();
  }
  async function ok(user: string, id: string, action: string, body: Record<string, unknown> = {}) {
    const r = await act(t, await staff(user), id, action, body);
    expect(r.statusCode, `${user} ${action}: ${r.body}`).toBe(200);
  }
  const caseRow = (id: string) => t.ctx.store.db.selectFrom('case_file').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const eventCount = async (id: string) =>
    Number((await t.ctx.store.db.selectFrom('case_event').select((eb) => eb.fn.countAll<number>().as('n')).where('case_id', '=', id).executeTakeFirstOrThrow()).n);
  /** The case's visible footprint: state, number of events and head of the hash chain. */
  const footprint = async (id: string) => {
    const r = await caseRow(id);
    return { state: r.state, events: await eventCount(id), head: r.head_hash, updated: r.updated_at };
  };

  /** A fresh case at a stage, driven by the 正定县 staff (assigned to its housing department). */
  async function caseAt(stage: Stage): Promise<string> {
    setNow(BASE_NOW);
    const { id } = await submit();
    const steps: Record<Stage, number> = { submitted: 0, accepted: 1, assigned: 2, in_progress: 3, extension_pending: 4, replied_window_over: 4, under_review: 4, merged: 0 };
    const n = steps[stage];
    if (n >= 1) await ok('zd.acceptor', id, 'accept');
    if (n >= 2) await ok('zd.dispatcher', id, 'assign', { unitId: '130123-zj' });
    if (n >= 3) await ok('zd.handler', id, 'sign');
    if (stage === 'extension_pending') await ok('zd.handler', id, 'request-extension', { days: 10, reason: '需要现场勘验并协调多个部门' });
    if (stage === 'replied_window_over' || stage === 'under_review') await ok('zd.handler', id, 'reply', bodyFor('reply', id));
    if (stage === 'under_review') {
      const r = await t.request('POST', `/api/cases/${id}/review-request`, { cookie: await citizenCookie(), body: { reason: '对答复不服，请求复查' } });
      expect(r.statusCode, r.body).toBe(201);
    }
    if (stage === 'merged') await ok('zd.acceptor', id, 'merge', { intoCaseId: anchor });
    if (stage === 'replied_window_over') setNow('2026-04-03T02:00:00Z'); // the 复查 window closed on 04-01
    return id;
  }

  let anchor: string;

  beforeAll(async () => {
    t = await startTestApp(kind, { now: BASE_NOW });
    const c = await t.citizen();
    citizenPhone = c.phone;
    cookies.set('citizen', c.cookie);
    anchor = (await submit({ title: '最早登记的同一事项' })).id;
    // Another county (长安区) and another 正定县 department (人社局).
    const other: [string, string, Role][] = [
      ['ca.acceptor', '130102-xfj', 'acceptor'],
      ['ca.dispatcher', '130102-xfj', 'dispatcher'],
      ['ca.supervisor', '130102-xfj', 'supervisor'],
      ['ca.leader', '130102-xfj', 'leader'],
      ['ca.auditor', '130102-xfj', 'auditor'],
      ['ca.handler', '130102-zj', 'handler'],
      ['zd.rs.handler', '130123-rs', 'handler'],
    ];
    for (const [username, unitId, role] of other) {
      await createStaff(t.ctx, { username, name: `测试${role}`, unitId, roles: [role], password: demoPassword });
    }
  });
  afterAll(async () => {
    await t.close();
  });

  describe.each(staffActions.map((a) => [a] as const))('%s', (action) => {
    const m = matrix[action];

    it(`anonymous 401, citizen 403, and each 正定县 role exactly as the permission catalogue and its unit say (at ${m.stage})`, async () => {
      const id = await caseAt(m.stage);
      const body = bodyFor(action, anchor);
      const before = await footprint(id);

      const anon = await t.request('POST', `/api/office/cases/${id}/actions/${action}`, { body });
      expectError(anon, 401, 'anonymous');
      expect(anon.json()).toMatchObject({ error: { code: 'not_logged_in' } });
      expectError(await act(t, await citizenCookie(), id, action, body), 403, 'the petitioner herself');
      const stranger = await t.citizen();
      expectError(await act(t, stranger.cookie, id, action, body), 403, 'another citizen');

      for (const role of zdRoles) {
        if (m.allowed.includes(role)) continue;
        const expected = m.unseen?.includes(role) ? 404 : 403;
        expectError(await act(t, await staff(`zd.${role}`), id, action, body), expected, `zd.${role} ${action}`);
      }
      expect(await footprint(id)).toEqual(before);

      // And those allowed really may (each on its own fresh case).
      for (const role of m.allowed) {
        const fresh = await caseAt(m.stage);
        const n = await eventCount(fresh);
        const r = await act(t, await staff(`zd.${role}`), fresh, action, bodyFor(action, anchor));
        expect(r.statusCode, `zd.${role} ${action}: ${r.body}`).toBe(200);
        expect(await eventCount(fresh)).toBeGreaterThan(n);
      }
    });
  });

  it('the admin role cannot read cases nor the queue (403); the auditor reads but cannot act', async () => {
    const id = await caseAt('in_progress');
    const before = await footprint(id);
    expectError(await t.request('GET', `/api/office/cases/${id}`, { cookie: await staff('zd.admin') }), 403);
    expectError(await t.request('GET', '/api/office/cases', { cookie: await staff('zd.admin') }), 403);
    expectError(await t.request('GET', `/api/office/cases/${id}`, { cookie: await staff('prov.admin') }), 403);

    const a = await t.request('GET', `/api/office/cases/${id}`, { cookie: await staff('zd.auditor') });
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json()).toMatchObject({ id, state: 'in_progress', allowedActions: [] });
    const q = await t.request('GET', '/api/office/cases', { cookie: await staff('zd.auditor') });
    expect(q.statusCode).toBe(200);
    expect(q.json<{ total: number }>().total).toBeGreaterThan(0);
    for (const action of staffActions) {
      expectError(await act(t, await staff('zd.auditor'), id, action, bodyFor(action, anchor)), 403, `auditor ${action}`);
    }
    expect(await footprint(id)).toEqual(before);
  });

  it('citizens and anonymous callers cannot read the office queue or a case page', async () => {
    const id = await caseAt('accepted');
    expectError(await t.request('GET', '/api/office/cases'), 401);
    expectError(await t.request('GET', `/api/office/cases/${id}`), 401);
    expectError(await t.request('GET', '/api/office/cases', { cookie: await citizenCookie() }), 403);
    expectError(await t.request('GET', `/api/office/cases/${id}`, { cookie: await citizenCookie() }), 403);
  });

  it('staff of another county (长安区) get 404 on a 正定县 case, for reading and for every action, and never see it queued', async () => {
    const title = `长安区不可见的正定案件${kind}`;
    setNow(BASE_NOW);
    const { id } = await submit({ title });
    const byStage: Record<string, string> = { submitted: id };
    for (const stage of ['accepted', 'assigned', 'in_progress', 'under_review'] as const) byStage[stage] = await caseAt(stage);

    for (const user of ['ca.acceptor', 'ca.dispatcher', 'ca.supervisor', 'ca.leader', 'ca.auditor', 'ca.handler']) {
      for (const caseId of Object.values(byStage)) {
        const before = await footprint(caseId);
        expectError(await t.request('GET', `/api/office/cases/${caseId}`, { cookie: await staff(user) }), 404, `${user} GET`);
        for (const action of staffActions) {
          expectError(await act(t, await staff(user), caseId, action, bodyFor(action, anchor)), 404, `${user} ${action}`);
        }
        expect(await footprint(caseId)).toEqual(before);
      }
      const q = await t.request('GET', `/api/office/cases?q=${encodeURIComponent(title)}`, { cookie: await staff(user) });
      expect(q.statusCode).toBe(200);
      expect(q.json<{ total: number }>().total).toBe(0);
      const all = await t.request('GET', '/api/office/cases?pageSize=200', { cookie: await staff(user) });
      expect(all.json<{ items: { id: string }[] }>().items.map((i) => i.id)).not.toEqual(expect.arrayContaining([id]));
    }
    // The 正定县 acceptor does see it.
    const zd = await t.request('GET', `/api/office/cases?q=${encodeURIComponent(title)}`, { cookie: await staff('zd.acceptor') });
    expect(zd.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toEqual([id]);
  });

  it('a handler of another 正定县 department cannot sign or reply a case assigned to the housing department', async () => {
    const rs = await staff('zd.rs.handler');
    // Never involved: the case does not exist for that department (404, as for any case not its own).
    const assigned = await caseAt('assigned');
    const inProgress = await caseAt('in_progress');
    expectError(await act(t, rs, assigned, 'sign'), 404);
    expectError(await act(t, rs, inProgress, 'reply', bodyFor('reply', anchor)), 404);

    // Involved before (the 人社局 had it and gave it back): it sees the case but may not act for the housing department.
    setNow(BASE_NOW);
    const { id } = await submit();
    await ok('zd.acceptor', id, 'accept');
    await ok('zd.dispatcher', id, 'assign', { unitId: '130123-rs' });
    const rsNow = await staff('zd.rs.handler');
    await ok('zd.rs.handler', id, 'return', { reason: '不属于人社部门职责，应由住建部门办理' });
    await ok('zd.dispatcher', id, 'assign', { unitId: '130123-zj' });
    const seen = await t.request('GET', `/api/office/cases/${id}`, { cookie: rsNow });
    expect(seen.statusCode).toBe(200);
    expect(seen.json<{ allowedActions: string[] }>().allowedActions).toEqual(['note']);
    const before = await footprint(id);
    expectError(await act(t, rsNow, id, 'sign'), 403);
    expectError(await act(t, rsNow, id, 'return', bodyFor('return', anchor)), 403);
    await ok('zd.handler', id, 'sign');
    const mid = await footprint(id);
    expect(mid.state).toBe('in_progress');
    expect(mid.events).toBeGreaterThan(before.events);
    expectError(await act(t, rsNow, id, 'reply', bodyFor('reply', anchor)), 403);
    expectError(await act(t, rsNow, id, 'request-extension', bodyFor('request-extension', anchor)), 403);
    expect(await footprint(id)).toEqual(mid);
  });

  it('a dispatcher assigns only inside its jurisdiction, to a unit that exists and can handle cases', async () => {
    const id = await caseAt('accepted');
    const before = await footprint(id);
    const d = await staff('zd.dispatcher');
    for (const unitId of ['130102-zj', '130100-zj', '130000-xfj', '130102-xfj']) {
      for (const action of ['assign', 'forward']) expectError(await act(t, d, id, action, { unitId }), 403, `${action} to ${unitId}`);
    }
    for (const unitId of ['130123-nope', '999999-zj', '']) expectError(await act(t, d, id, 'assign', { unitId }), 400, `assign to ${unitId}`);
    expectError(await act(t, d, id, 'assign', {}), 400);
    expectError(await act(t, d, id, 'assign', { unitId: 130123 }), 400);
    // A government node is not a handling unit.
    expectError(await act(t, d, id, 'assign', { unitId: '130123' }), 400);
    expect(await footprint(id)).toEqual(before);
    // The city may assign a county case to its own city department.
    await ok('sjz.dispatcher', id, 'assign', { unitId: '130100-zj' });
  });

  it('a denunciation is never shown or assigned to the accused unit, yet reaches the bureau', async () => {
    setNow(BASE_NOW);
    const title = `检举住建局工作人员${kind}`;
    const { id } = await submit({ title, categoryCode: 'discipline', content: '正定县住建局某工作人员在项目审批中收受好处费，请求查处。', accusedUnitIds: ['130123-zj'] });
    const row = await caseRow(id);
    expect(row.is_denunciation).toBe(1);

    // The bureau's acceptor sees and accepts it.
    const acc = await t.request('GET', `/api/office/cases/${id}`, { cookie: await staff('zd.acceptor') });
    expect(acc.statusCode).toBe(200);
    expect(acc.json()).toMatchObject({ isDenunciation: true });
    const accQueue = await t.request('GET', `/api/office/cases?q=${encodeURIComponent(title)}`, { cookie: await staff('zd.acceptor') });
    expect(accQueue.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toEqual([id]);
    await ok('zd.acceptor', id, 'accept');

    // It cannot go to the accused department, by 交办 or by 转送, nor by the city above.
    const before = await footprint(id);
    expectError(await act(t, await staff('zd.dispatcher'), id, 'assign', { unitId: '130123-zj' }), 403);
    expectError(await act(t, await staff('zd.dispatcher'), id, 'forward', { unitId: '130123-zj' }), 403);
    expectError(await act(t, await staff('sjz.dispatcher'), id, 'assign', { unitId: '130123-zj' }), 403);
    expect(await footprint(id)).toEqual(before);

    // It goes to the discipline body; the accused department's handler never sees it.
    await ok('zd.dispatcher', id, 'assign', { unitId: '130123-jw' });
    const h = await staff('zd.handler');
    expectError(await t.request('GET', `/api/office/cases/${id}`, { cookie: h }), 404);
    for (const action of staffActions) expectError(await act(t, h, id, action, bodyFor(action, anchor)), 404, `accused ${action}`);
    const hq = await t.request('GET', `/api/office/cases?q=${encodeURIComponent(title)}`, { cookie: h });
    expect(hq.json<{ total: number }>().total).toBe(0);
    const hAll = await t.request('GET', '/api/office/cases?pageSize=200', { cookie: h });
    expect(hAll.json<{ items: { id: string }[] }>().items.map((i) => i.id)).not.toContain(id);

    // Someone heading the accused department (with review powers) is just as blind to it.
    await createStaff(t.ctx, { username: 'zd.zj.head', name: '住建局局长', unitId: '130123-zj', roles: ['leader'], password: demoPassword });
    expectError(await t.request('GET', `/api/office/cases/${id}`, { cookie: await staff('zd.zj.head') }), 404);
  });
});
