/**
 * The follow-up of a 督办件: the supervisor sends an insufficient answer back (退回重办) and the
 * unit must answer again, every answer and send-back staying on the record; and the deadline sweep
 * reminds a unit that lets a 督办件 run past its deadline (逾期催报), once per deadline and round,
 * however often it runs — a second reminder, to the supervisor too, after N working days.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, databases, newCase, startTestApp, type TestApp } from '../support/harness.js';
import { createStaff, demoPassword } from '../../src/services/seed.service.js';
import { deliverOutbox } from '../../src/jobs/outbox-delivery.js';
import { runSweep } from '../../src/jobs/sweep.js';
import { roundsDue } from '../../src/jobs/supervision-reminders.js';

interface Step {
  type: string;
  label: string;
  text: string | null;
  dueDate: string | null;
  actorUnitName: string | null;
}
interface Sup {
  id: string;
  status: string;
  overdue: boolean;
  dueDate: string;
  answer: string | null;
  returnCount: number;
  reminders: number;
  allowedActions: string[];
  history: Step[];
}

describe.each(databases)('督办件 follow-up: send-back and overdue reminders (%s)', (kind) => {
  let t: TestApp;
  const s: Record<string, string> = {};
  const logins = ['zd.acceptor', 'zd.dispatcher', 'zd.handler', 'zd.supervisor', 'zd.registrar', 'sjz.supervisor', 'sjz.leader', 'prov.supervisor', 'ca.supervisor', 'ca.handler'];
  const at = async (iso: string) => {
    t.setNow(iso);
    for (const u of logins) s[u] = await t.staff(u);
  };
  const events = async (caseId: string, type?: string) =>
    (await t.ctx.store.db.selectFrom('case_event').selectAll().where('case_id', '=', caseId).orderBy('seq').execute()).filter((e) => !type || e.type === type);
  const handledCase = async () => {
    const c = await newCase(t);
    expect((await act(t, s['zd.acceptor']!, c.id, 'accept')).statusCode).toBe(200);
    expect((await act(t, s['zd.dispatcher']!, c.id, 'assign', { unitId: '130123-zj' })).statusCode).toBe(200);
    return c;
  };
  const open = async (cookie: string, caseIds: string[], dueDate: string) => {
    const r = await t.request('POST', '/api/office/supervisions', { cookie, body: { caseIds, unitId: '130123-zj', problem: '签收后未与信访人联系，请说明原因并抓紧办理', dueDate } });
    expect(r.statusCode, r.body).toBe(201);
    return r.json<Sup>();
  };
  const post = (cookie: string, id: string, what: string, body: Record<string, unknown>) => t.request('POST', `/api/office/supervisions/${id}/${what}`, { cookie, body });
  const detail = async (cookie: string, id: string) => {
    const r = await t.request('GET', `/api/office/supervisions/${id}`, { cookie });
    expect(r.statusCode, r.body).toBe(200);
    return r.json<Sup>();
  };
  /** In-app messages delivered to a unit, by template subject prefix. */
  const inbox = async (cookie: string) => {
    await deliverOutbox(t.ctx, { owner: 'w1', transports: {} });
    const r = await t.request('GET', '/api/office/messages', { cookie });
    expect(r.statusCode, r.body).toBe(200);
    return r.json<{ items: { title: string; body: string }[] }>().items;
  };
  const outboxOf = async (template: string, caseId: string) =>
    (await t.ctx.store.db.selectFrom('outbox').select(['template', 'recipient_enc']).where('case_id', '=', caseId).where('template', '=', template).execute()).map((r) => t.ctx.crypto.decrypt(r.recipient_enc));

  beforeAll(async () => {
    t = await startTestApp(kind, { now: '2026-03-02T02:00:00Z' });
    await createStaff(t.ctx, { username: 'ca.supervisor', name: '长安区督办员', unitId: '130102-xfj', roles: ['supervisor'], password: demoPassword });
    await createStaff(t.ctx, { username: 'ca.handler', name: '长安区承办人', unitId: '130102-zj', roles: ['handler'], password: demoPassword });
    await at('2026-03-02T02:00:00Z');
  });
  afterAll(async () => {
    await t.close();
  });

  it('退回重办: the unit answers again; every answer and send-back is on the record and in the history', async () => {
    const c1 = await handledCase();
    const c2 = await handledCase();
    const sup = await open(s['sjz.supervisor']!, [c1.id, c2.id], '2026-03-10');
    // Nothing to send back before an answer.
    expect((await post(s['sjz.supervisor']!, sup.id, 'return', { reason: '尚未报告，无从退回', dueDate: '2026-03-12' })).statusCode).toBe(409);
    expect((await post(s['zd.handler']!, sup.id, 'answer', { text: '已电话联系信访人，正在核实。' })).statusCode).toBe(200);
    expect((await detail(s['sjz.supervisor']!, sup.id)).allowedActions).toEqual(['close', 'return', 'escalate']);

    const r = await post(s['sjz.supervisor']!, sup.id, 'return', { reason: '报告未写明核实结果和答复时间，请补充', dueDate: '2026-03-13' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json<Sup>()).toMatchObject({ status: 'open', dueDate: '2026-03-13', answer: null, returnCount: 1, allowedActions: ['escalate'] });
    // The send-back is an event on every case, and the unit is told why, in-app.
    for (const c of [c1, c2]) {
      const ev = await events(c.id, 'supervision_returned');
      expect(ev).toHaveLength(1);
      expect(ev[0]).toMatchObject({ visibility: 'internal', actor_unit_id: '130100-xfj' });
      expect(ev[0]!.payload).toContain('报告未写明核实结果');
    }
    expect((await inbox(s['zd.handler']!)).some((m) => m.title.startsWith('督办报告被退回重办') && m.body.includes('2026-03-13') && m.body.includes('报告未写明核实结果'))).toBe(true);
    // Closing a sent-back 督办件 needs a new answer first.
    expect((await post(s['sjz.supervisor']!, sup.id, 'close', {})).statusCode).toBe(409);
    const mine = await detail(s['zd.handler']!, sup.id);
    expect(mine).toMatchObject({ status: 'open', returnCount: 1, allowedActions: ['answer'] });

    // The unit answers again; the supervisor closes it.
    expect((await post(s['zd.handler']!, sup.id, 'answer', { text: '经核实，信访人反映属实，已于 3 月 9 日书面答复，信访人表示满意。' })).statusCode).toBe(200);
    expect((await post(s['sjz.supervisor']!, sup.id, 'close', { note: '同意办结' })).statusCode).toBe(200);
    const done = await detail(s['sjz.supervisor']!, sup.id);
    expect(done).toMatchObject({ status: 'closed', answer: '经核实，信访人反映属实，已于 3 月 9 日书面答复，信访人表示满意。', returnCount: 1 });
    expect(done.history.map((h) => h.type)).toEqual(['supervision_opened', 'supervision_note', 'supervision_answered', 'supervision_returned', 'supervision_answered', 'supervision_closed', 'supervision_note']);
    expect(done.history.map((h) => h.text)).toEqual([
      null,
      expect.stringContaining('签收后未与信访人联系') as unknown as string,
      '已电话联系信访人，正在核实。',
      '报告未写明核实结果和答复时间，请补充',
      '经核实，信访人反映属实，已于 3 月 9 日书面答复，信访人表示满意。',
      null,
      '督办办结意见：同意办结',
    ]);
    expect(done.history[3]).toMatchObject({ label: '退回重办', dueDate: '2026-03-13', actorUnitName: expect.stringContaining('石家庄') as unknown as string });
    // The unit sees the same history; the petitioner sees neither answer nor reason.
    expect((await detail(s['zd.handler']!, sup.id)).history).toHaveLength(7);
    const track = await t.request('GET', `/api/track/${c1.queryCode}`);
    expect(track.body).not.toContain('报告未写明核实结果');
    expect(track.body).not.toContain('已电话联系信访人');
  });

  it('send-back: bad input, wrong state, and every role that must not', async () => {
    const c = await handledCase();
    const county = await (async () => {
      const r = await t.request('POST', '/api/office/supervisions', { cookie: s['zd.supervisor']!, body: { caseIds: [c.id], unitId: '130123-zj', problem: '请说明未签收原因', dueDate: '2026-03-10' } });
      expect(r.statusCode, r.body).toBe(201);
      return r.json<Sup>();
    })();
    expect((await post(s['zd.handler']!, county.id, 'answer', { text: '已签收，正在办理之中。' })).statusCode).toBe(200);
    const n = (await events(c.id)).length;
    const good = { reason: '报告过于简单，请写明办理结果', dueDate: '2026-03-12' };
    // Bad input: a clear Chinese 400 naming the field.
    for (const [body, field] of [
      [{ reason: '太短', dueDate: '2026-03-12' }, 'reason'],
      [{ reason: good.reason, dueDate: '2026-02-27' }, 'dueDate'],
      [{ reason: good.reason, dueDate: '2026-02-30' }, 'dueDate'],
      [{ reason: good.reason, dueDate: '2026-12-31' }, 'dueDate'],
      [{ reason: good.reason }, 'dueDate'],
      [{ ...good, extra: 1 }, ''],
    ] as [Record<string, unknown>, string][]) {
      const r = await post(s['zd.supervisor']!, county.id, 'return', body);
      expect(r.statusCode, `${JSON.stringify(body)} ${r.body}`).toBe(400);
      const err = r.json<{ error: { message: string; fields?: Record<string, string> } }>().error;
      expect(err.message).toMatch(/[\u4e00-\u9fa5]/);
      if (field) expect(Object.keys(err.fields ?? {}).join(','), r.body).toContain(field);
    }
    expect((await post(s['zd.supervisor']!, 'not-a-uuid', 'return', good)).statusCode).toBe(400);
    expect((await post(s['zd.supervisor']!, '00000000-0000-4000-8000-000000000000', 'return', good)).statusCode).toBe(404);
    // The unit cannot send back its own answer.
    expect((await post(s['zd.handler']!, county.id, 'return', good)).statusCode).toBe(403);
    // Another county sees nothing and can do nothing.
    for (const u of ['ca.supervisor', 'ca.handler']) {
      const r = await post(s[u]!, county.id, 'return', good);
      expect(r.statusCode, u).toBe(404);
      expect(r.body).not.toContain('已签收');
    }
    // No role to answer or supervise: not found; the city and the province see it but only the county bureau acts.
    expect((await post(s['zd.registrar']!, county.id, 'return', good)).statusCode).toBe(404);
    for (const u of ['sjz.supervisor', 'prov.supervisor']) expect((await post(s[u]!, county.id, 'return', good)).statusCode, u).toBe(403);
    const citizen = await t.citizen();
    expect((await post(citizen.cookie, county.id, 'return', good)).statusCode).toBe(403);
    expect((await t.request('POST', `/api/office/supervisions/${county.id}/return`, { body: good })).statusCode).toBe(401);
    expect((await events(c.id)).length).toBe(n);
    expect((await detail(s['zd.supervisor']!, county.id))).toMatchObject({ status: 'answered', returnCount: 0 });

    // The county bureau may; twice in a row only after a new answer.
    expect((await post(s['zd.supervisor']!, county.id, 'return', good)).statusCode).toBe(200);
    expect((await post(s['zd.supervisor']!, county.id, 'return', good)).statusCode).toBe(409);
    expect((await post(s['zd.handler']!, county.id, 'answer', { text: '已书面答复信访人，附答复意见书。' })).statusCode).toBe(200);
    const again = await post(s['zd.supervisor']!, county.id, 'return', { reason: '答复意见书未附，请补充上传', dueDate: '2026-03-16' });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json<Sup>()).toMatchObject({ returnCount: 2, dueDate: '2026-03-16' });
    // Escalated or closed: no more send-backs.
    expect((await post(s['zd.handler']!, county.id, 'answer', { text: '答复意见书已上传，请审核。' })).statusCode).toBe(200);
    expect((await post(s['zd.supervisor']!, county.id, 'close', {})).statusCode).toBe(200);
    expect((await post(s['zd.supervisor']!, county.id, 'return', good)).statusCode).toBe(409);
  });

  it('roundsDue: none on the deadline, round 1 after it, round 2 after N working days', () => {
    // 2026-03-04 is a Wednesday; five working days on is Wednesday 2026-03-11.
    expect(roundsDue(t.ctx, '2026-03-04', '2026-03-04', 5)).toEqual([]);
    expect(roundsDue(t.ctx, '2026-03-04', '2026-03-05', 5)).toEqual([1]);
    expect(roundsDue(t.ctx, '2026-03-04', '2026-03-10', 5)).toEqual([1]);
    expect(roundsDue(t.ctx, '2026-03-04', '2026-03-11', 5)).toEqual([1, 2]);
  });

  it('逾期催报: the sweep reminds once per deadline and round, marks the list, and starts again after a send-back', async () => {
    await at('2026-03-16T02:00:00Z');
    const c1 = await handledCase();
    const c2 = await handledCase();
    const sup = await open(s['sjz.supervisor']!, [c1.id, c2.id], '2026-03-18'); // a Wednesday
    const c3 = await handledCase();
    const answered = await open(s['sjz.supervisor']!, [c3.id], '2026-03-18');
    expect((await post(s['zd.handler']!, answered.id, 'answer', { text: '已按期报告，不应催报。' })).statusCode).toBe(200);
    const reminded = async (caseId: string) => (await events(caseId, 'supervision_reminded')).length;
    const sweep = () => runSweep(t.ctx, { urgeDays: 3, supervisionSecondReminderDays: 5 });

    // On the deadline day: nothing.
    await at('2026-03-18T09:00:00Z');
    await sweep();
    expect(await reminded(c1.id)).toBe(0);
    // The day after: one reminder, on every case, to the unit only; repeated and concurrent sweeps add nothing.
    await at('2026-03-19T01:00:00Z');
    const first = await sweep();
    expect(first.supervisionReminded).toBeGreaterThanOrEqual(1);
    await sweep();
    await Promise.all([sweep(), sweep()]);
    expect(await reminded(c1.id)).toBe(1);
    expect(await reminded(c2.id)).toBe(1);
    expect((await events(c1.id, 'supervision_reminded'))[0]).toMatchObject({ visibility: 'internal', actor_kind: 'system' });
    expect(await outboxOf('supervision_reminded', c1.id)).toEqual(['unit:130123-zj']);
    expect(await outboxOf('supervision_overdue_supervisor', c1.id)).toEqual([]);
    expect((await inbox(s['zd.handler']!)).filter((m) => m.title.startsWith('督办件逾期催报')).length).toBe(1);
    // The answered one is not reminded.
    expect(await reminded(c3.id)).toBe(0);
    // The list marks it overdue and reminded, for both sides.
    const listed = (await t.request('GET', '/api/office/supervisions?status=overdue', { cookie: s['zd.handler']! })).json<{ items: Sup[] }>().items.find((x) => x.id === sup.id);
    expect(listed).toMatchObject({ overdue: true, reminders: 1 });
    expect((await detail(s['sjz.supervisor']!, sup.id)).history.at(-1)).toMatchObject({ type: 'supervision_reminded', actorUnitName: '系统自动' });

    // Days later, before N working days: still one. On the Nth working day: the second round, to the supervisor too.
    await at('2026-03-24T01:00:00Z');
    await sweep();
    expect(await reminded(c1.id)).toBe(1);
    await at('2026-03-25T01:00:00Z');
    const second = await sweep();
    expect(second.supervisionSecondReminders).toBeGreaterThanOrEqual(1);
    await sweep();
    expect(await reminded(c1.id)).toBe(2);
    expect(await outboxOf('supervision_overdue_supervisor', c1.id)).toEqual(['unit:130100-xfj']);
    expect((await inbox(s['sjz.supervisor']!)).some((m) => m.title.startsWith('督办件逾期未报告') && m.body.includes('5 个工作日'))).toBe(true);
    expect((await detail(s['zd.handler']!, sup.id)).reminders).toBe(2);
    await at('2026-04-01T01:00:00Z');
    await sweep();
    expect(await reminded(c1.id)).toBe(2);

    // Answered late, sent back with a new deadline: a new deadline gets its own reminder, once.
    expect((await post(s['zd.handler']!, sup.id, 'answer', { text: '逾期报告：已约见信访人核实。' })).statusCode).toBe(200);
    expect((await post(s['sjz.supervisor']!, sup.id, 'return', { reason: '请写明答复结果', dueDate: '2026-04-03' })).statusCode).toBe(200);
    expect((await detail(s['zd.handler']!, sup.id))).toMatchObject({ overdue: false, reminders: 0 });
    await sweep();
    expect(await reminded(c1.id)).toBe(2);
    await at('2026-04-07T01:00:00Z');
    await sweep();
    await sweep();
    expect(await reminded(c1.id)).toBe(3);
    expect((await detail(s['zd.handler']!, sup.id))).toMatchObject({ overdue: true, reminders: 1 });
  });

  it('a sweep that missed days sends both rounds as one reminder', async () => {
    await at('2026-04-07T02:00:00Z');
    const c = await handledCase();
    await open(s['sjz.supervisor']!, [c.id], '2026-04-08');
    await at('2026-04-20T01:00:00Z');
    await runSweep(t.ctx, { urgeDays: 3, supervisionSecondReminderDays: 5 });
    await runSweep(t.ctx, { urgeDays: 3, supervisionSecondReminderDays: 5 });
    const ev = await events(c.id, 'supervision_reminded');
    expect(ev).toHaveLength(1);
    expect(JSON.parse(ev[0]!.payload)).toMatchObject({ round: 2, dueDate: '2026-04-08' });
    expect(await t.ctx.store.db.selectFrom('supervision_reminder').select('round').where('due_date', '=', '2026-04-08').orderBy('round').execute()).toEqual([{ round: 1 }, { round: 2 }]);
    expect(await outboxOf('supervision_reminded', c.id)).toEqual(['unit:130123-zj']);
    expect(await outboxOf('supervision_overdue_supervisor', c.id)).toEqual(['unit:130100-xfj']);
  });

  it('考核: a 督办件 answered late stays late after a send-back gives it a new deadline', async () => {
    await at('2026-04-20T02:00:00Z');
    const c = await handledCase();
    const sup = await open(s['sjz.supervisor']!, [c.id], '2026-04-22');
    await at('2026-04-23T01:00:00Z');
    await runSweep(t.ctx, { urgeDays: 3, supervisionSecondReminderDays: 5 });
    expect((await events(c.id, 'supervision_reminded')).length).toBe(1);
    expect((await post(s['zd.handler']!, sup.id, 'answer', { text: '逾期一天报告：正在核实。' })).statusCode).toBe(200);
    expect((await post(s['sjz.supervisor']!, sup.id, 'return', { reason: '请写明核实结果', dueDate: '2026-04-28' })).statusCode).toBe(200);
    await at('2026-04-27T02:00:00Z');
    expect((await post(s['zd.handler']!, sup.id, 'answer', { text: '核实结果：反映属实，已答复信访人。' })).statusCode).toBe(200);
    expect((await post(s['sjz.supervisor']!, sup.id, 'close', {})).statusCode).toBe(200);
    const page = await t.request('GET', '/api/office/assessment/unit?period=2026-04', { cookie: s['zd.handler']! });
    expect(page.statusCode, page.body).toBe(200);
    const line = page.json<{ lines: { item: string; cases: { caseId: string | null }[] }[] }>().lines.find((l) => l.item === 'supervision')!;
    expect(line.cases.map((x) => x.caseId)).toContain(c.id);
  });
});
