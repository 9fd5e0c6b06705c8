/**
 * The staff workflow over HTTP on a real database: 不予受理 with guidance, 交办 / 转送, 退回 and
 * re-assignment, 延期, 催办 / 督办, internal notes, 答复 → 复查 → 复核 → 终结, merging, closing,
 * the queue's filters, the unit tree, uncovered calendar years, and allowedActions that tell the truth.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { act, cookieOf, databases, newCaseBody, startTestApp, type TestApp, bodyFor } from '../support/harness.js';
import { createStaff, demoPassword } from '../../src/services/seed.service.js';
import { staffActions, type StaffAction } from '../../src/domain/case-state.js';

const BASE_NOW = '2026-03-02T02:00:00Z'; // Monday 10:00 in Beijing
const HAN = /[\u4e00-\u9fa5]/;

interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}
interface TimelineEntry {
  seq: number;
  type: string;
  visibility: 'public' | 'internal';
  summary: string;
  text: string | null;
}
interface StaffCase {
  id: string;
  state: string;
  allowedActions: StaffAction[];
  dueDates: { accept: string; assign: string; returnWindow: string | null; reply: string | null; reviewRequest: string | null; reviewDecision: string | null; uncoveredYears: number[] };
  assignments: { unitId: string; kind: string; status: string; dueDate: string; returnReason: string | null }[];
  timeline: TimelineEntry[];
  pendingExtension: { days: number; reason: string } | null;
  extensionDays: number;
  mergedInto: string | null;
  reviewLevel: number;
  evaluation: string | null;
  supervised: boolean;
}
interface Tracking {
  state: string;
  timeline: TimelineEntry[];
  replies: { kind: string; text: string; unitName: string | null }[];
}

/** The workflow steps of a timeline, without the official papers (文书) issued alongside them. */
const workflow = (timeline: TimelineEntry[]) => timeline.map((e) => e.type).filter((type) => !type.startsWith('document_'));

function expectError(r: LightMyRequestResponse, status: number, code?: string): ErrorBody['error'] {
  expect(r.statusCode, r.body).toBe(status);
  const body = r.json<ErrorBody>();
  if (code) expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(HAN);
  return body.error;
}


describe.each(databases)('office workflow (%s)', (kind) => {
  let t: TestApp;
  let citizenPhone: string;
  const cookies = new Map<string, string>();

  /** Moves the clock; sessions do not survive a jump of days, so everyone logs in again. */
  function setNow(iso: string) {
    t.setNow(iso);
    cookies.clear();
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

  async function staff(username: string): Promise<string> {
    let c = cookies.get(username);
    if (!c) {
      c = await t.staff(username);
      cookies.set(username, c);
    }
    return c;
  }
  async function login(username: string): Promise<string> {
    const r = await t.request('POST', '/api/auth/login', { body: { login: username, password: demoPassword } });
    expect(r.statusCode, r.body).toBe(200);
    return cookieOf(r);
  }
  async function submit(over: Record<string, unknown> = {}): Promise<{ id: string; queryCode: string }> {
    const r = await t.request('POST', '/api/cases', { cookie: await citizenCookie(), body: newCaseBody(over) });
    expect(r.statusCode, r.body).toBe(201);
    return r.json();
  }
  async function ok(user: string, id: string, action: string, body: Record<string, unknown> = {}) {
    const r = await act(t, await staff(user), id, action, body);
    expect(r.statusCode, `${user} ${action}: ${r.body}`).toBe(200);
    return r.json<{ id: string; state: string; allowedActions: StaffAction[] }>();
  }
  async function citizenPost(id: string, path: string, body: Record<string, unknown>) {
    const r = await t.request('POST', `/api/cases/${id}/${path}`, { cookie: await citizenCookie(), body });
    expect(r.statusCode, `${path}: ${r.body}`).toBeLessThan(300);
    return r.json<{ state: string }>();
  }
  async function view(user: string, id: string): Promise<StaffCase> {
    const r = await t.request('GET', `/api/office/cases/${id}`, { cookie: await staff(user) });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  }
  async function track(queryCode: string): Promise<Tracking> {
    const r = await t.request('GET', `/api/track/${queryCode}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  }
  async function queue(user: string, query: string) {
    const r = await t.request('GET', `/api/office/cases?${query}`, { cookie: await staff(user) });
    expect(r.statusCode, r.body).toBe(200);
    return r.json<{ items: { id: string; state: string }[]; total: number; page: number; pageSize: number }>();
  }
  const caseRow = (id: string) => t.ctx.store.db.selectFrom('case_file').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const eventCount = async (id: string) => Number((await caseRow(id)).event_count);

  type Stage =
    | 'submitted'
    | 'accepted'
    | 'assigned'
    | 'in_progress'
    | 'extension_pending'
    | 'returned'
    | 'replied'
    | 'replied_window_over'
    | 'under_review'
    | 'reviewed'
    | 'under_re_review'
    | 'final'
    | 'closed'
    | 'rejected'
    | 'merged'
    | 'withdrawn';

  /** A fresh case driven to a stage by the 正定县 staff (复查 by 石家庄市, 复核 by the province). */
  async function caseAt(stage: Stage, anchor: string): Promise<{ id: string; queryCode: string }> {
    const c = await submit();
    const { id } = c;
    const path: Record<Stage, Exclude<Stage, 'submitted' | 'replied_window_over'>[]> = {
      submitted: [],
      accepted: ['accepted'],
      assigned: ['accepted', 'assigned'],
      in_progress: ['accepted', 'assigned', 'in_progress'],
      extension_pending: ['accepted', 'assigned', 'in_progress', 'extension_pending'],
      returned: ['accepted', 'assigned', 'returned'],
      replied: ['accepted', 'assigned', 'in_progress', 'replied'],
      replied_window_over: ['accepted', 'assigned', 'in_progress', 'replied'],
      under_review: ['accepted', 'assigned', 'in_progress', 'replied', 'under_review'],
      reviewed: ['accepted', 'assigned', 'in_progress', 'replied', 'under_review', 'reviewed'],
      under_re_review: ['accepted', 'assigned', 'in_progress', 'replied', 'under_review', 'reviewed', 'under_re_review'],
      final: ['accepted', 'assigned', 'in_progress', 'replied', 'under_review', 'reviewed', 'under_re_review', 'final'],
      closed: ['accepted', 'assigned', 'in_progress', 'replied', 'closed'],
      rejected: ['rejected'],
      merged: ['merged'],
      withdrawn: ['withdrawn'],
    };
    for (const step of path[stage]) {
      switch (step) {
        case 'accepted':
          await ok('zd.acceptor', id, 'accept');
          break;
        case 'assigned':
          await ok('zd.dispatcher', id, 'assign', { unitId: '130123-zj' });
          break;
        case 'in_progress':
          await ok('zd.handler', id, 'sign');
          break;
        case 'extension_pending':
          await ok('zd.handler', id, 'request-extension', { days: 10, reason: '需要现场勘验并协调多个部门' });
          break;
        case 'returned':
          await ok('zd.handler', id, 'return', { reason: '该事项属于人社部门职责，不属于本单位职权范围' });
          break;
        case 'replied':
          await ok('zd.handler', id, 'reply', bodyFor('reply', anchor));
          break;
        case 'under_review':
        case 'under_re_review':
          await citizenPost(id, 'review-request', { reason: '对答复不服，请求上一级机关复查' });
          break;
        case 'reviewed':
          await ok('sjz.supervisor', id, 'review-decision', bodyFor('review-decision', anchor));
          break;
        case 'final':
          await ok('prov.supervisor', id, 'review-decision', { outcome: 'upheld', text: '经复核，维持复查意见，本件终结。' });
          break;
        case 'closed':
          await citizenPost(id, 'evaluation', { rating: 'satisfied' });
          break;
        case 'rejected':
          await ok('zd.acceptor', id, 'reject', bodyFor('reject', anchor));
          break;
        case 'merged':
          await ok('zd.acceptor', id, 'merge', { intoCaseId: anchor });
          break;
        case 'withdrawn':
          await citizenPost(id, 'withdraw', {});
          break;
      }
    }
    return c;
  }

  beforeAll(async () => {
    t = await startTestApp(kind, { now: BASE_NOW });
    const c = await t.citizen();
    citizenPhone = c.phone;
    cookies.set('citizen', c.cookie);
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => {
    setNow(BASE_NOW);
  });

  it('不予受理 needs a reason and the right channel; the tracking page tells the petitioner where to go', async () => {
    const { id, queryCode } = await submit({ title: '请求法院改判土地纠纷', categoryCode: 'litigation' });
    const before = await eventCount(id);

    const noGuidance = expectError(await act(t, await staff('zd.acceptor'), id, 'reject', { reasonCode: 'litigation_scope' }), 400, 'bad_input');
    expect(Object.keys(noGuidance.fields ?? {})).toContain('guidanceChannel');
    const noReason = expectError(await act(t, await staff('zd.acceptor'), id, 'reject', { guidanceChannel: 'litigation' }), 400, 'bad_input');
    expect(Object.keys(noReason.fields ?? {})).toContain('reasonCode');
    const unknown = expectError(await act(t, await staff('zd.acceptor'), id, 'reject', { reasonCode: 'because', guidanceChannel: 'moon' }), 400, 'bad_input');
    expect(Object.keys(unknown.fields ?? {}).sort()).toEqual(['guidanceChannel', 'reasonCode']);
    expect(await eventCount(id)).toBe(before);
    expect((await caseRow(id)).state).toBe('submitted');

    const r = await ok('zd.acceptor', id, 'reject', { reasonCode: 'litigation_scope', guidanceChannel: 'litigation', explanation: '该纠纷已进入诉讼程序' });
    expect(r.state).toBe('rejected');

    const tr = await track(queryCode);
    expect(tr.state).toBe('rejected');
    const rejected = tr.timeline.find((e) => e.type === 'rejected');
    expect(rejected?.summary).toContain('属于诉讼、仲裁、行政复议等法定途径解决的事项');
    expect(rejected?.summary).toContain('请依法向人民法院提起诉讼');

    // A rejected case is over: nobody accepts it afterwards.
    expectError(await act(t, await staff('zd.acceptor'), id, 'accept'), 409, 'invalid_state');
  });

  it('交办 and 转送 create tracked assignments with the return window and the reply deadline', async () => {
    const a = await submit({ title: '小区违建长期未拆除' });
    const f = await submit({ title: '企业拖欠社保费' });
    for (const c of [a, f]) await ok('zd.acceptor', c.id, 'accept');
    expect((await ok('zd.dispatcher', a.id, 'assign', { unitId: '130123-zj', instructions: '请实地核查，依法处理' })).state).toBe('assigned');
    expect((await ok('zd.dispatcher', f.id, 'forward', { unitId: '130123-rs' })).state).toBe('assigned');

    const va = await view('zd.dispatcher', a.id);
    const vf = await view('zd.dispatcher', f.id);
    // Accepted and assigned on Monday 2026-03-02: 5 working days to object, 60 days to reply
    // (2026-05-01 is Labour Day, the holiday runs to 05-05, so the period ends on 05-06).
    for (const v of [va, vf]) {
      expect(v.dueDates.returnWindow).toBe('2026-03-09');
      expect(v.dueDates.reply).toBe('2026-05-06');
      expect(v.assignments).toHaveLength(1);
      expect(v.assignments[0]!.dueDate).toBe('2026-05-06');
      expect(v.assignments[0]!.status).toBe('pending');
    }
    expect(va.assignments[0]).toMatchObject({ unitId: '130123-zj', kind: 'assign' });
    expect(vf.assignments[0]).toMatchObject({ unitId: '130123-rs', kind: 'forward' });
    expect(workflow(va.timeline)).toEqual(['submitted', 'accepted', 'assigned', 'note']);
    expect(va.timeline.find((e) => e.type === 'note')).toMatchObject({ visibility: 'internal', text: '交办意见：请实地核查，依法处理' });
    expect(workflow(vf.timeline)).toEqual(['submitted', 'accepted', 'forwarded']);

    const ta = await track(a.queryCode);
    const tf = await track(f.queryCode);
    expect(ta.timeline.find((e) => e.type === 'assigned')?.summary).toBe('已交办 正定县住房和城乡建设局 办理（交办件，一盯到底），答复期限 2026-05-06');
    expect(tf.timeline.find((e) => e.type === 'forwarded')?.summary).toBe('已转送 正定县人力资源和社会保障局 办理，答复期限 2026-05-06');
    expect(JSON.stringify(ta)).not.toContain('请实地核查');

    // The same unit cannot be handed the case twice.
    expectError(await act(t, await staff('zd.dispatcher'), a.id, 'assign', { unitId: '130123-zj' }), 409);
  });

  it('退回: the handler returns with reasons, the dispatcher re-assigns to another unit, whose handler signs', async () => {
    const { id, queryCode } = await submit();
    await ok('zd.acceptor', id, 'accept');
    await ok('zd.dispatcher', id, 'assign', { unitId: '130123-zj' });

    expectError(await act(t, await staff('zd.handler'), id, 'return', {}), 400, 'bad_input');
    expectError(await act(t, await staff('zd.handler'), id, 'return', { reason: '不归' }), 400, 'bad_input');
    const r = await ok('zd.handler', id, 'return', { reason: '拖欠工资属于人社部门职责，不属于住建部门' });
    expect(r.state).toBe('returned');

    const v = await view('zd.dispatcher', id);
    expect(v.state).toBe('returned');
    expect(v.assignments[0]).toMatchObject({ unitId: '130123-zj', status: 'returned', returnReason: '拖欠工资属于人社部门职责，不属于住建部门' });
    expect(v.allowedActions).toEqual(expect.arrayContaining(['assign', 'forward']));
    // The return and its reasons are internal.
    expect(JSON.stringify(await track(queryCode))).not.toContain('拖欠工资属于人社部门职责');

    await createStaff(t.ctx, { username: 'zd.rs.handler', name: '正定县人社局承办人', unitId: '130123-rs', roles: ['handler'], password: demoPassword });
    const rsHandler = await login('zd.rs.handler');
    expect((await ok('zd.dispatcher', id, 'assign', { unitId: '130123-rs' })).state).toBe('assigned');
    // The housing department gave the case back: it may no longer sign it.
    expectError(await act(t, await staff('zd.handler'), id, 'sign'), 403);
    const signed = await act(t, rsHandler, id, 'sign');
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json()).toMatchObject({ state: 'in_progress' });

    const after = await view('zd.dispatcher', id);
    expect(after.assignments.map((a) => [a.unitId, a.status])).toEqual([
      ['130123-zj', 'returned'],
      ['130123-rs', 'signed'],
    ]);
  });

  it('退回 is possible up to the 5th working day after receipt, and refused (409) after it', async () => {
    const early = await submit();
    const late = await submit();
    for (const c of [early, late]) {
      await ok('zd.acceptor', c.id, 'accept');
      await ok('zd.dispatcher', c.id, 'assign', { unitId: '130123-zj' });
    }
    setNow('2026-03-09T09:00:00Z'); // 17:00 on the last day (2026-03-09)
    expect((await view('zd.handler', early.id)).allowedActions).toContain('return');
    expect((await ok('zd.handler', early.id, 'return', { reason: '不属于本单位职责范围，请改交人社部门' })).state).toBe('returned');

    setNow('2026-03-10T02:00:00Z');
    const v = await view('zd.handler', late.id);
    expect(v.allowedActions).not.toContain('return');
    expect(v.allowedActions).toContain('sign');
    const before = await eventCount(late.id);
    const e = expectError(await act(t, await staff('zd.handler'), late.id, 'return', { reason: '不属于本单位职责范围，请改交人社部门' }), 409, 'window_closed');
    expect(e.message).toContain('2026-03-09');
    expect(await eventCount(late.id)).toBe(before);
    expect((await ok('zd.handler', late.id, 'sign')).state).toBe('in_progress');
  });

  it('延期: requested by the handler, approved by the county leader, moves the reply deadline and is told to the petitioner', async () => {
    setNow('2026-06-04T02:00:00Z'); // Thursday: +60 days is Monday 2026-08-03, +75 is Tuesday 08-18
    const { id, queryCode } = await submit();
    await ok('zd.acceptor', id, 'accept');
    await ok('zd.dispatcher', id, 'assign', { unitId: '130123-zj' });
    await ok('zd.handler', id, 'sign');
    expect((await view('zd.handler', id)).dueDates.reply).toBe('2026-08-03');

    const before = await eventCount(id);
    for (const body of [{ days: 31, reason: '情况复杂需要更多时间' }, { days: 0, reason: '情况复杂需要更多时间' }, { days: 1.5, reason: '情况复杂需要更多时间' }, { days: '15', reason: '短' }, { reason: '情况复杂需要更多时间' }]) {
      expectError(await act(t, await staff('zd.handler'), id, 'request-extension', body), 400, 'bad_input');
    }
    expect(await eventCount(id)).toBe(before);

    // Only the handling unit asks; only a leader approves.
    expectError(await act(t, await staff('zd.leader'), id, 'request-extension', { days: 15, reason: '需要协调规划、国土多个部门会商' }), 403);
    const reason = '需要协调规划、国土多个部门会商';
    expect((await ok('zd.handler', id, 'request-extension', { days: 15, reason })).state).toBe('in_progress');
    expectError(await act(t, await staff('zd.handler'), id, 'request-extension', { days: 5, reason: '再延长几天时间' }), 409);
    expectError(await act(t, await staff('zd.handler'), id, 'approve-extension'), 403);
    expectError(await act(t, await staff('zd.supervisor'), id, 'approve-extension'), 403);
    const pending = await view('zd.leader', id);
    expect(pending.pendingExtension).toMatchObject({ days: 15, reason });
    expect(pending.allowedActions).toContain('approve-extension');

    expect((await ok('zd.leader', id, 'approve-extension')).state).toBe('in_progress');
    const v = await view('zd.leader', id);
    expect(v.dueDates.reply).toBe('2026-08-18');
    expect(v.extensionDays).toBe(15);
    expect(v.pendingExtension).toBeNull();

    const tr = await track(queryCode);
    const ext = tr.timeline.find((e) => e.type === 'extension_approved');
    expect(ext?.summary).toBe(`办理期限延长 15 天至 2026-08-18，理由：${reason}`);
    expect(tr.timeline.map((e) => e.type)).not.toContain('extension_requested');

    // 30 days in all: 15 more at most.
    expectError(await act(t, await staff('zd.handler'), id, 'request-extension', { days: 16, reason: '仍需补充调查取证' }), 400);
    expect((await ok('zd.handler', id, 'request-extension', { days: 15, reason: '仍需补充调查取证' })).state).toBe('in_progress');
  });

  it('催办 and 督办 after assignment appear in tracking; their opinions and internal notes never do', async () => {
    const { id, queryCode } = await submit();
    await ok('zd.acceptor', id, 'accept');
    // Before assignment the county bureau itself owes the next step: it cannot urge itself.
    expect((await view('zd.supervisor', id)).allowedActions).not.toContain('urge');
    expectError(await act(t, await staff('zd.supervisor'), id, 'urge', { message: '请尽快交办' }), 403);
    await ok('zd.dispatcher', id, 'assign', { unitId: '130123-zj' });

    expectError(await act(t, await staff('zd.supervisor'), id, 'urge', {}), 400, 'bad_input');
    await ok('zd.supervisor', id, 'urge', { message: 'URGE-OPINION 请于本周内答复' });
    await ok('zd.supervisor', id, 'supervise', { message: 'SUPERVISE-OPINION 列入督办台账' });
    await ok('zd.handler', id, 'note', { text: 'INTERNAL-NOTE 已约谈开发商' });
    await ok('zd.registrar', id, 'note', { text: 'INTERNAL-NOTE-2 信访人来电询问' });
    // The handling unit cannot urge or supervise itself.
    expectError(await act(t, await staff('zd.handler'), id, 'urge', { message: '自己催自己' }), 403);

    const tr = await track(queryCode);
    expect(workflow(tr.timeline)).toEqual(['submitted', 'accepted', 'assigned', 'urged', 'supervised']);
    expect(tr.timeline.find((e) => e.type === 'urged')?.summary).toBe('正定县信访局 已向 正定县住房和城乡建设局 催办');
    expect(tr.timeline.find((e) => e.type === 'supervised')?.summary).toBe('正定县信访局 已对本件督办');
    const body = JSON.stringify(tr);
    for (const secret of ['URGE-OPINION', 'SUPERVISE-OPINION', 'INTERNAL-NOTE']) expect(body).not.toContain(secret);

    const v = await view('zd.dispatcher', id);
    expect(v.supervised).toBe(true);
    const notes = v.timeline.filter((e) => e.type === 'note');
    expect(notes.every((e) => e.visibility === 'internal')).toBe(true);
    const internal = notes.map((e) => e.text);
    expect(internal).toEqual(['催办意见：URGE-OPINION 请于本周内答复', '督办意见：SUPERVISE-OPINION 列入督办台账', 'INTERNAL-NOTE 已约谈开发商', 'INTERNAL-NOTE-2 信访人来电询问']);
  });

  it('答复 → 复查 by the city → 复核 by the province → 终结; neither the answering department nor the 复查 organ decides', async () => {
    const { id, queryCode } = await submit();
    await ok('zd.acceptor', id, 'accept');
    await ok('zd.dispatcher', id, 'assign', { unitId: '130123-zj' });
    await ok('zd.handler', id, 'sign');
    expectError(await act(t, await staff('zd.handler'), id, 'reply', { text: '太短' }), 400, 'bad_input');
    await ok('zd.handler', id, 'reply', { text: '经核查，开发商已于本月完成整改，特此答复。' });

    expect((await citizenPost(id, 'review-request', { reason: '整改并未完成，请求复查' })).state).toBe('under_review');
    const level1 = await view('sjz.supervisor', id);
    expect(level1.reviewLevel).toBe(1);
    expect(level1.dueDates.reviewDecision).toBe('2026-04-01');

    // The housing department answered: not its handler (no permission), nor its own head (the answering unit).
    await createStaff(t.ctx, { username: 'zd.zj.leader', name: '正定县住建局局长', unitId: '130123-zj', roles: ['leader'], password: demoPassword });
    const zjLeader = await login('zd.zj.leader');
    expectError(await act(t, await staff('zd.handler'), id, 'review-decision', bodyFor('review-decision', id)), 403);
    const own = expectError(await act(t, zjLeader, id, 'review-decision', bodyFor('review-decision', id)), 403, 'forbidden');
    expect(own.message).toContain('上一级');
    const zjView = await t.request('GET', `/api/office/cases/${id}`, { cookie: zjLeader });
    expect(zjView.json<StaffCase>().allowedActions).not.toContain('review-decision');

    expectError(await act(t, await staff('sjz.supervisor'), id, 'review-decision', { text: '经复查，维持原处理意见。' }), 400, 'bad_input');
    expect((await ok('sjz.supervisor', id, 'review-decision', { outcome: 'changed', text: '经复查，原答复认定事实不清，责令重新核查整改。' })).state).toBe('reviewed');

    expect((await citizenPost(id, 'review-request', { reason: '对复查意见仍不服，请求复核' })).state).toBe('under_review');
    const level2 = await view('prov.supervisor', id);
    expect(level2.reviewLevel).toBe(2);
    // 复核 lies above the organ that made the 复查 (石家庄市信访局): not it, nor the county below it.
    for (const user of ['sjz.supervisor', 'sjz.leader', 'zd.supervisor', 'zd.leader']) {
      expect((await view(user, id)).allowedActions, user).not.toContain('review-decision');
      expectError(await act(t, await staff(user), id, 'review-decision', bodyFor('review-decision', id)), 403);
    }
    expect(level2.allowedActions).toContain('review-decision');
    expect((await ok('prov.supervisor', id, 'review-decision', { outcome: 'upheld', text: '经复核，维持复查意见，本信访事项终结。' })).state).toBe('final');

    const tr = await track(queryCode);
    expect(tr.state).toBe('final');
    expect(tr.replies.map((r) => [r.kind, r.unitName])).toEqual([
      ['reply', '正定县住房和城乡建设局'],
      ['review', '石家庄市信访局'],
      ['review', '河北省信访局'],
    ]);
    const reviewSummaries = tr.timeline.filter((e) => e.type === 'review_decided').map((e) => e.summary);
    expect(reviewSummaries).toEqual(['石家庄市信访局 作出复查意见（变更原处理意见）', '河北省信访局 作出复核意见（维持原处理意见）']);
    // 终结: no third review.
    const again = await t.request('POST', `/api/cases/${id}/review-request`, { cookie: await citizenCookie(), body: { reason: '还是不服，继续申请' } });
    expect(again.statusCode).toBe(409);
  });

  it('合并: a newer case merges into an older open one, never the other way round', async () => {
    const older = await submit({ title: '同一事项第一次反映' });
    setNow('2026-03-02T03:00:00Z');
    const newer = await submit({ title: '同一事项再次反映' });
    const sameInstant = await submit({ title: '同一事项同时反映' });

    const wrongWay = expectError(await act(t, await staff('zd.acceptor'), older.id, 'merge', { intoCaseId: newer.id }), 409);
    expect(wrongWay.message).toContain('更早');
    // Registered in the same instant: the registration number decides which is earlier.
    expectError(await act(t, await staff('zd.acceptor'), newer.id, 'merge', { intoCaseId: sameInstant.id }), 409);
    expectError(await act(t, await staff('zd.acceptor'), older.id, 'merge', { intoCaseId: older.id }), 400, 'bad_input');
    expectError(await act(t, await staff('zd.acceptor'), older.id, 'merge', { intoCaseId: '00000000-0000-4000-8000-000000000000' }), 400, 'bad_input');
    expectError(await act(t, await staff('zd.acceptor'), older.id, 'merge', {}), 400, 'bad_input');
    expect((await caseRow(older.id)).state).toBe('submitted');

    expect((await ok('zd.acceptor', newer.id, 'merge', { intoCaseId: older.id })).state).toBe('merged');
    const v = await view('zd.acceptor', newer.id);
    expect(v.mergedInto).toBe(older.id);
    const tr = await track(newer.queryCode);
    expect(tr.timeline.find((e) => e.type === 'merged')?.summary).toMatch(/^与信访件 XF2026-\d{6} 合并办理$/);
    // A merged case is terminal and cannot be a merge target.
    expectError(await act(t, await staff('zd.acceptor'), sameInstant.id, 'merge', { intoCaseId: newer.id }), 409);

    // A repeat found late, after it was already assigned: merging stops the unit's assignment.
    setNow('2026-03-02T04:00:00Z');
    const late = await submit({ title: '同一事项第三次反映' });
    await ok('zd.acceptor', late.id, 'accept');
    await ok('zd.dispatcher', late.id, 'assign', { unitId: '130123-zj' });
    await ok('zd.handler', late.id, 'sign');
    expect((await ok('zd.dispatcher', late.id, 'merge', { intoCaseId: older.id })).state).toBe('merged');
    const lv = await view('zd.dispatcher', late.id);
    expect(lv.assignments.map((a) => a.status)).toEqual(['superseded']);
    // The department no longer handles it (403 comes before the state's 409).
    expectError(await act(t, await staff('zd.handler'), late.id, 'reply', bodyFor('reply', older.id)), 403);
    expect((await caseRow(late.id)).state).toBe('merged');
  });

  it('撤销合并: a merge made in error is undone with a reason; the case resumes where it stood, while the earlier case is open', async () => {
    setNow('2026-03-02T02:00:00Z');
    const older = await submit({ title: '村口路灯不亮', content: '村口三盏路灯损坏半年无人修理，夜间出行不便，请求修复。' });
    setNow('2026-03-02T03:00:00Z');
    const later = await submit({ title: '宅基地界址纠纷', content: '邻居建房占用我家宅基地约两米，协商无果，请求确权处理。' });
    await ok('zd.acceptor', later.id, 'accept');
    await ok('zd.dispatcher', later.id, 'assign', { unitId: '130123-zj' });
    await ok('zd.handler', later.id, 'sign');
    const dueBefore = (await caseRow(later.id)).due_reply;
    await ok('zd.dispatcher', later.id, 'merge', { intoCaseId: older.id });
    const search = async (q: string) =>
      (await t.request('GET', `/api/office/cases?q=${encodeURIComponent(q)}`, { cookie: await staff('zd.acceptor') })).json<{ items: { id: string }[] }>().items.map((i) => i.id).sort();
    expect(await search('宅基地')).toEqual([older.id, later.id].sort());

    // Offered to the bureau's staff, not to the department; a reason is required; other cases refuse it.
    expect((await view('zd.acceptor', later.id)).allowedActions).toContain('unmerge');
    expectError(await act(t, await staff('zd.handler'), later.id, 'unmerge', { reason: '合并有误，不是同一事项' }), 403);
    expectError(await act(t, await staff('zd.acceptor'), later.id, 'unmerge', {}), 400, 'bad_input');
    expectError(await act(t, await staff('zd.acceptor'), later.id, 'unmerge', { reason: '错了' }), 400, 'bad_input');
    expectError(await act(t, await staff('zd.acceptor'), older.id, 'unmerge', { reason: '合并有误，不是同一事项' }), 409);
    expect((await caseRow(later.id)).state).toBe('merged');

    const r = await ok('zd.acceptor', later.id, 'unmerge', { reason: '合并有误：路灯与宅基地不是同一事项' });
    expect(r.state).toBe('in_progress');
    const row = await caseRow(later.id);
    expect(row).toMatchObject({ merged_into: null, closed_at: null, due_reply: dueBefore });
    const v = await view('zd.dispatcher', later.id);
    expect(v.assignments.map((a) => a.status)).toEqual(['signed']);
    expect(v.timeline.some((e) => e.type === 'note' && (e.text ?? '').includes('路灯与宅基地不是同一事项'))).toBe(true);
    // The earlier case is no longer found by the later one's words; the department answers again.
    expect(await search('宅基地')).toEqual([later.id]);
    await ok('zd.handler', later.id, 'reply', bodyFor('reply', older.id));
    // The petitioner reads what happened, without the internal reason.
    const tr = await track(later.queryCode);
    const line = tr.timeline.find((e) => e.type === 'unmerged');
    expect(line?.summary).toMatch(/^撤销与信访件 XF2026-\d{6} 的合并，本件恢复单独办理$/);
    expect(JSON.stringify(tr)).not.toContain('路灯与宅基地不是同一事项');

    // Once the earlier case is answered, a merge into it can no longer be undone.
    setNow('2026-03-02T05:00:00Z');
    const third = await submit({ title: '村口路灯仍然不亮', content: '村口路灯还是不亮，再次反映，请求尽快修复。' });
    await ok('zd.acceptor', third.id, 'merge', { intoCaseId: older.id });
    await ok('zd.acceptor', older.id, 'accept');
    await ok('zd.dispatcher', older.id, 'assign', { unitId: '130123-zj' });
    await ok('zd.handler', older.id, 'sign');
    await ok('zd.handler', older.id, 'reply', bodyFor('reply', older.id));
    expect((await view('zd.acceptor', third.id)).allowedActions).not.toContain('unmerge');
    const late = expectError(await act(t, await staff('zd.acceptor'), third.id, 'unmerge', { reason: '合并有误，不是同一事项' }), 409, 'into_closed');
    expect(late.message).toContain('已答复或办结');
  });

  it('办结 waits for the 复查 window; a dissatisfied rating keeps the case replied', async () => {
    const { id } = await submit();
    await ok('zd.acceptor', id, 'accept');
    await ok('zd.dispatcher', id, 'assign', { unitId: '130123-zj' });
    await ok('zd.handler', id, 'sign');
    await ok('zd.handler', id, 'reply', bodyFor('reply', id));
    expect((await view('zd.acceptor', id)).dueDates.reviewRequest).toBe('2026-04-01');

    const ev = await t.request('POST', `/api/cases/${id}/evaluation`, { cookie: await citizenCookie(), body: { rating: 'dissatisfied', comment: '问题没有解决' } });
    expect(ev.statusCode, ev.body).toBe(201);
    expect(ev.json()).toMatchObject({ state: 'replied', evaluation: 'dissatisfied' });

    expect((await view('zd.acceptor', id)).allowedActions).not.toContain('close');
    const before = await eventCount(id);
    const e = expectError(await act(t, await staff('zd.acceptor'), id, 'close'), 409, 'window_open');
    expect(e.message).toContain('2026-04-01');
    setNow('2026-04-01T15:00:00Z'); // 23:00 on the last day: still open
    expectError(await act(t, await staff('zd.dispatcher'), id, 'close'), 409, 'window_open');
    expect(await eventCount(id)).toBe(before);

    setNow('2026-04-02T02:00:00Z'); // 31 days after the reply
    expect((await view('zd.acceptor', id)).allowedActions).toContain('close');
    expect((await ok('zd.acceptor', id, 'close')).state).toBe('closed');
    const row = await caseRow(id);
    expect(row.state).toBe('closed');
    expect(row.closed_at).toBe('2026-04-02T02:00:00.000Z');
  });

  it('the queue filters by state, full text, overdue, unit, and pages with a total', async () => {
    const token = `队列${kind === 'sqlite' ? '甲' : '乙'}${Date.now() % 100000}`;
    const a = await submit({ title: `${token} 路灯不亮` });
    const b = await submit({ title: `${token} 噪音扰民` });
    const c = await submit({ title: `${token} 拖欠工资` });
    const d = await submit({ title: '内容里才有关键词', content: `本人反映的问题编号 ${token}，请有关部门尽快处理为盼。` });
    await ok('zd.acceptor', b.id, 'accept');
    await ok('zd.acceptor', c.id, 'accept');
    await ok('zd.dispatcher', c.id, 'forward', { unitId: '130123-rs' });

    const all = await queue('zd.acceptor', `q=${encodeURIComponent(token)}`);
    expect(all.total).toBe(4);
    expect(new Set(all.items.map((i) => i.id))).toEqual(new Set([a.id, b.id, c.id, d.id]));

    expect((await queue('zd.acceptor', `q=${encodeURIComponent(token)}&state=accepted`)).items.map((i) => i.id)).toEqual([b.id]);
    const two = await queue('zd.acceptor', `q=${encodeURIComponent(token)}&state=accepted,assigned`);
    expect(two.total).toBe(2);
    expect(new Set(two.items.map((i) => i.id))).toEqual(new Set([b.id, c.id]));
    expect((await queue('zd.acceptor', `q=${encodeURIComponent(token)}&unit=130123-rs`)).items.map((i) => i.id)).toEqual([c.id]);
    expect((await queue('zd.acceptor', `q=${encodeURIComponent(token)}&unit=130123-zj`)).total).toBe(0);

    const p1 = await queue('zd.acceptor', `q=${encodeURIComponent(token)}&pageSize=3&page=1`);
    const p2 = await queue('zd.acceptor', `q=${encodeURIComponent(token)}&pageSize=3&page=2`);
    expect([p1.total, p1.items.length, p1.page, p1.pageSize]).toEqual([4, 3, 1, 3]);
    expect([p2.total, p2.items.length, p2.page]).toEqual([4, 1, 2]);
    expect(new Set([...p1.items, ...p2.items].map((i) => i.id))).toEqual(new Set([a.id, b.id, c.id, d.id]));

    // The city above sees the county's cases; the forwarded unit's handler only its own.
    expect((await queue('sjz.acceptor', `q=${encodeURIComponent(token)}`)).total).toBe(4);
    expect((await queue('zd.handler', `q=${encodeURIComponent(token)}`)).total).toBe(0);

    expect((await queue('zd.acceptor', `q=${encodeURIComponent(token)}&due=overdue`)).total).toBe(0);
    setNow('2026-03-20T02:00:00Z');
    // Acceptance (03-04) and assignment (03-09) deadlines have passed; the forwarded case is due 05-06.
    const overdue = await queue('zd.acceptor', `q=${encodeURIComponent(token)}&due=overdue`);
    expect(new Set(overdue.items.map((i) => i.id))).toEqual(new Set([a.id, b.id, d.id]));
    expect(overdue.total).toBe(3);
  });

  it('full-text search treats % and _ literally on both databases', async () => {
    const pct = await submit({ title: '物业费一次上涨100%不合理' });
    const plain = await submit({ title: '物业费一次上涨1000元不合理' });
    const under = await submit({ title: '编号A_1的路段塌陷' });
    const other = await submit({ title: '编号AB1的路段塌陷' });
    const pctHits = (await queue('zd.acceptor', `q=${encodeURIComponent('上涨100%')}`)).items.map((i) => i.id);
    expect(pctHits).toContain(pct.id);
    expect(pctHits).not.toContain(plain.id);
    const underHits = (await queue('zd.acceptor', `q=${encodeURIComponent('A_1')}`)).items.map((i) => i.id);
    expect(underHits).toContain(under.id);
    expect(underHits).not.toContain(other.id);
  });

  it('/api/office/units serves only the caller’s jurisdiction', async () => {
    const zd = await t.request('GET', '/api/office/units', { cookie: await staff('zd.dispatcher') });
    expect(zd.statusCode).toBe(200);
    const tree = zd.json<{ root: { id: string }; children: { id: string; assignable: boolean; kind: string }[] }>();
    expect(tree.root.id).toBe('130123');
    expect(tree.children.length).toBeGreaterThan(5);
    for (const c of tree.children) expect(c.id.startsWith('130123-')).toBe(true);
    expect(tree.children.find((c) => c.id === '130123-zj')).toMatchObject({ kind: 'department', assignable: true });

    const sub = await t.request('GET', '/api/office/units?parent=130123-zj', { cookie: await staff('zd.dispatcher') });
    expect(sub.statusCode).toBe(200);
    expect(sub.json()).toMatchObject({ root: { id: '130123-zj' }, children: [] });
    for (const outside of ['130100', '130102', '130000', '130102-zj', 'nope']) {
      expectError(await t.request('GET', `/api/office/units?parent=${outside}`, { cookie: await staff('zd.dispatcher') }), 400);
    }

    const sjz = (await t.request('GET', '/api/office/units', { cookie: await staff('sjz.dispatcher') })).json<typeof tree>();
    expect(sjz.root.id).toBe('130100');
    expect(sjz.children.map((c) => c.id)).toEqual(expect.arrayContaining(['130100-xfj', '130123', '130102']));
    expect(sjz.children.every((c) => c.id.startsWith('1301'))).toBe(true);

    const handler = (await t.request('GET', '/api/office/units', { cookie: await staff('zd.handler') })).json<typeof tree>();
    expect(handler.root.id).toBe('130123-zj');
    expect(handler.children).toEqual([]);

    expectError(await t.request('GET', '/api/office/units'), 401);
    expectError(await t.request('GET', '/api/office/units', { cookie: await citizenCookie() }), 403);
  });

  it('a deadline computed into a year without holiday data is reported in dueDates.uncoveredYears', async () => {
    expect(t.ctx.calendar.isCovered(2026)).toBe(true);
    expect(t.ctx.calendar.isCovered(2027)).toBe(false); // precondition: no 2027 holiday notice loaded
    setNow('2026-12-01T02:00:00Z');
    const { id } = await submit();
    const submitted = await view('zd.acceptor', id);
    expect(submitted.dueDates.uncoveredYears).toEqual([]);
    await ok('zd.acceptor', id, 'accept');
    const v = await view('zd.acceptor', id);
    expect(v.dueDates.reply).toBe('2027-02-01'); // 2027-01-30 is a Saturday (plain-weekday guess, flagged)
    expect(v.dueDates.uncoveredYears).toEqual([2027]);
  });

  it('allowedActions match what succeeds, for every 正定县 demo role at every stage', async () => {
    const anchor = await submit({ title: '最早登记的同一事项' });
    const roles = ['registrar', 'acceptor', 'dispatcher', 'handler', 'supervisor', 'leader', 'auditor', 'admin'] as const;
    const stages: Stage[] = [
      'submitted',
      'accepted',
      'assigned',
      'in_progress',
      'extension_pending',
      'returned',
      'replied',
      'replied_window_over',
      'under_review',
      'reviewed',
      'under_re_review',
      'final',
      'closed',
      'rejected',
      'merged',
      'withdrawn',
    ];
    // Actions that do not move the case or change what the policy sees can be tried on the stage's case itself.
    const harmless = new Set<StaffAction>(['note', 'urge', 'supervise']);
    const later = '2026-04-03T02:00:00Z';
    let tried = 0;

    for (const stage of stages) {
      setNow(BASE_NOW);
      const base = await caseAt(stage, anchor.id);
      if (stage === 'replied_window_over') setNow(later);
      const expectedState = (await caseRow(base.id)).state;

      for (const role of roles) {
        const user = `zd.${role}`;
        const g = await t.request('GET', `/api/office/cases/${base.id}`, { cookie: await staff(user) });
        let allowed: StaffAction[] = [];
        if (role === 'admin') expect(g.statusCode, `${stage} ${user}`).toBe(403);
        else if (g.statusCode === 404) expect(role, `${stage}: only the handler may not see a case`).toBe('handler');
        else {
          expect(g.statusCode, `${stage} ${user}: ${g.body}`).toBe(200);
          allowed = g.json<StaffCase>().allowedActions;
        }

        for (const action of staffActions) {
          const label = `${stage}: ${user} ${action}`;
          if (allowed.includes(action)) {
            let target = base.id;
            if (!harmless.has(action)) {
              setNow(BASE_NOW);
              target = (await caseAt(stage, anchor.id)).id;
              if (stage === 'replied_window_over') setNow(later);
            }
            const before = await eventCount(target);
            const r = await act(t, await staff(user), target, action, bodyFor(action, anchor.id));
            expect(r.statusCode, `${label} is listed but got ${r.body}`).toBe(200);
            expect(await eventCount(target), label).toBeGreaterThan(before);
          } else {
            const before = await eventCount(base.id);
            const r = await act(t, await staff(user), base.id, action, bodyFor(action, anchor.id));
            const expected = g.statusCode === 404 ? [404] : [403, 409];
            expect(expected, `${label} is not listed but got ${r.statusCode} ${r.body}`).toContain(r.statusCode);
            expect(await eventCount(base.id), label).toBe(before);
          }
          tried++;
        }
      }
      expect((await caseRow(base.id)).state, stage).toBe(expectedState);
    }
    expect(tried).toBe(stages.length * roles.length * staffActions.length);
    expect((await caseRow(anchor.id)).state).toBe('submitted');
  }, 300_000); // ~100 cases driven through the workflow, each step issuing its documents
});
