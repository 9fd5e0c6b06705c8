/**
 * 考核 on a hand-computed fixture, built through the real API with a moved clock.
 *
 * All cases are received Monday 2026-03-02 (10:00 China time): acceptance due Wed 03-04,
 * assignment due Mon 03-09, reply due 60 days after acceptance.
 *   正定县 (130123):
 *     A  accepted 03-02, assigned 03-02, replied 03-20, rated 满意
 *     B  accepted 03-05 (late), assigned 03-10 (late), replied 03-25, rated 不满意
 *     C  rejected 03-02
 *     D  accepted 03-02, assigned 03-02, never replied (reply overdue)
 *     F  merged into A 03-03 (重复信访)
 *     J  denunciation accusing 正定县信访局, never touched: never counted for 正定县
 *   长安区 (130102):
 *     K  accepted 03-02, assigned 03-02, replied 03-20, rated 满意
 * Measured on 2027-01-10 for the year 2026.
 * 正定县: acceptance 3/4 (B late; F merged undecided: not owed), assignment 2/3 (B late; C, F owe none),
 *   completion 2/3 (D overdue), participation 2/2, satisfaction 1/2, repeats 1 (F).
 *   On 2026-04-01 石家庄市 inspects 正定县: D is a problem (−1 finding), its correction due 04-15 is never
 *   reported (−1 overdue correction); a 督办件 on D to 正定县住建局 due 04-10 is never answered (−1).
 *   Default scheme (5 / 0 / 10 / 5 / 10; −1 per repeat, −2 per finding): 3.75 + 0 + 6.67 + 5 + 5 − 1 − 6 = 13.42 of 30.
 *   石家庄市 scheme (10 / 5 / 10 / 5 / 10; −2 per repeat, −2 per finding): 7.5 + 3.33 + 6.67 + 5 + 5 − 2 − 6 = 19.5 of 40.
 * 长安区: everything on time: 30 of 30 (default), 40 of 40 (石家庄市 scheme); so is every county
 *   with no case due (full points when nothing was owed), and 正定县 ranks last.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, cookieOf, databases, newCaseBody, startTestApp, type TestApp } from '../support/harness.js';
import { createStaff, demoPassword } from '../../src/services/seed.service.js';

interface Line {
  item: string;
  weight: number;
  hit: number;
  due: number;
  points: number;
  deduction: number;
  refTotal: number;
  cases: { caseId: string | null; caseNo: string | null; title: string }[];
}
interface UnitPage {
  unitId: string;
  total: number;
  max: number;
  published: boolean;
  rank: number | null;
  rankOf: number | null;
  lines: Line[];
}
interface Ranking {
  published: boolean;
  group: string;
  rows: { unitId: string; unitName: string; total: number; rank: number }[];
}

const at = (date: string) => `${date}T02:00:00Z`;

describe.each(databases)('assessment on a hand-computed fixture (%s)', (kind) => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const cookies: Record<string, string> = {};
  let cookieHour = '';
  const staff = async (u: string) => {
    const hour = t.ctx.clock.now().toISOString().slice(0, 13);
    if (hour !== cookieHour) {
      for (const k of Object.keys(cookies)) delete cookies[k];
      cookieHour = hour;
    }
    return (cookies[u] ??= await t.staff(u));
  };
  const ok = async (u: string, id: string, action: string, body: Record<string, unknown> = {}) => {
    const r = await act(t, await staff(u), id, action, body);
    expect(r.statusCode, `${u} ${action} ${r.body}`).toBe(200);
  };
  const get = async (u: string, url: string, status = 200) => {
    const r = await t.request('GET', url, { cookie: await staff(u) });
    expect(r.statusCode, `${u} GET ${url}: ${r.body}`).toBe(status);
    return r.json();
  };
  const line = (p: UnitPage, item: string) => p.lines.find((l) => l.item === item)!;

  beforeAll(async () => {
    t = await startTestApp(kind, { now: at('2026-03-02') });
    for (const role of ['acceptor', 'dispatcher'] as const) await createStaff(t.ctx, { username: `ca.${role}`, name: `长安区${role}`, unitId: '130102-xfj', roles: [role], password: demoPassword });
    await createStaff(t.ctx, { username: 'ca.handler', name: '长安区承办人', unitId: '130102-zj', roles: ['handler'], password: demoPassword });
    const citizens: Record<string, { cookie: string; phone: string }> = {};
    const submit = async (key: string, over: Record<string, unknown>) => {
      const c = await t.citizen();
      citizens[key] = c;
      const r = await t.request('POST', '/api/cases', { cookie: c.cookie, body: newCaseBody(over) });
      expect(r.statusCode, r.body).toBe(201);
      ids[key] = r.json<{ id: string }>().id;
    };
    await submit('A', { title: '建筑工地拖欠木工工资', content: '在翠园小区工地干木工活三个月，包工头拖欠工资一万二千元，请求处理。' });
    await submit('B', { categoryCode: 'education', title: '三中周末补课乱收费', content: '正定县第三中学初二年级周末补课，每名学生每学期收取补课费八百元。' });
    await submit('C', { categoryCode: 'construction', title: '小区电梯长期故障', content: '城南花园五号楼电梯从去年十月起频繁故障停运，物业拒绝维修，请督促。' });
    await submit('D', { title: '物流公司拖欠搬运工工资', content: '在某物流公司做搬运工两个月，工资六千元至今未发，请求督促支付。' });
    await submit('F', { title: '翠园小区工地欠薪', content: '翠园小区工地包工头拖欠我木工工资一万二千元，至今未付，请求处理。' });
    await submit('J', { categoryCode: 'discipline', title: '检举信访局工作人员', content: '检举县信访局某工作人员收受好处、压件不办，请纪委调查。', denunciation: true, accusedUnitIds: ['130123-xfj'] });
    await submit('K', { categoryCode: 'transport', regionCode: '130102', address: '长安区建设北大街 5 号', title: '公交线路取消出行难', content: '长安区公交公司取消了途经我村的八路公交车，老人看病要步行四公里。' });

    for (const k of ['A', 'D']) {
      await ok('zd.acceptor', ids[k]!, 'accept');
      await ok('zd.dispatcher', ids[k]!, 'assign', { unitId: '130123-zj' });
    }
    await ok('ca.acceptor', ids.K!, 'accept');
    await ok('ca.dispatcher', ids.K!, 'assign', { unitId: '130102-zj' });
    await ok('zd.acceptor', ids.C!, 'reject', { reasonCode: 'not_our_authority', guidanceChannel: 'other_authority' });
    t.setNow(at('2026-03-03'));
    await ok('zd.acceptor', ids.F!, 'merge', { intoCaseId: ids.A });
    for (const k of ['A', 'D']) await ok('zd.handler', ids[k]!, 'sign');
    await ok('ca.handler', ids.K!, 'sign');
    t.setNow(at('2026-03-05'));
    await ok('zd.acceptor', ids.B!, 'accept');
    t.setNow(at('2026-03-10'));
    await ok('zd.dispatcher', ids.B!, 'assign', { unitId: '130123-zj' });
    await ok('zd.handler', ids.B!, 'sign');
    t.setNow(at('2026-03-20'));
    await ok('zd.handler', ids.A!, 'reply', { text: '经核查，已责令建筑公司支付全部欠薪。' });
    await ok('ca.handler', ids.K!, 'reply', { text: '经协调，公交公司已恢复八路公交车途经该村。' });
    const rate = async (k: string, rating: string) => {
      const login = cookieOf(await t.request('POST', '/api/auth/login', { body: { login: citizens[k]!.phone, password: 'Passw0rd!' } }));
      const r = await t.request('POST', `/api/cases/${ids[k]}/evaluation`, { cookie: login, body: { rating } });
      expect(r.statusCode, r.body).toBeLessThan(300);
    };
    await rate('A', 'satisfied');
    await rate('K', 'satisfied');
    t.setNow(at('2026-03-25'));
    await ok('zd.handler', ids.B!, 'reply', { text: '经核查，学校已停止收费并退还补课费用。' });
    await rate('B', 'dissatisfied');
    // 石家庄市 inspects 正定县: D has a problem (B is fine); the correction asked for D is never reported;
    // a 督办件 on D to 正定县住建局 is never answered.
    t.setNow(at('2026-04-01'));
    const post = async (u: string, url: string, body: unknown) => {
      const r = await t.request('POST', url, { cookie: await staff(u), body });
      expect(r.statusCode, `${url}: ${r.body}`).toBeLessThan(300);
      return r.json<{ id: string }>();
    };
    const insp = await post('sjz.supervisor', '/api/office/inspections', { unitId: '130123', inspectedOn: '2026-04-01', inspectors: '市信访局督查科 张某、李某', caseIds: [ids.B, ids.D] });
    ids.inspection = insp.id;
    await post('sjz.supervisor', `/api/office/inspections/${insp.id}/cases/${ids.D}/finding`, { verdict: 'problem', finding: '答复期限已过仍未答复，未申请延期' });
    await post('sjz.supervisor', `/api/office/inspections/${insp.id}/cases/${ids.B}/finding`, { verdict: 'ok' });
    await post('sjz.supervisor', `/api/office/inspections/${insp.id}/corrections`, { caseId: ids.D, requirement: '立即办理并书面答复信访人', dueDate: '2026-04-15' });
    await post('sjz.supervisor', `/api/office/inspections/${insp.id}/conclude`, { summary: '抽查两件，一件超期未答复，限期整改。' });
    await post('sjz.supervisor', '/api/office/supervisions', { caseIds: [ids.D], unitId: '130123-zj', problem: '信访件超期未答复，请说明原因并限期办结', dueDate: '2026-04-10' });
    t.setNow(at('2027-01-10'));
  }, 180_000);

  afterAll(async () => {
    await t?.close();
  });

  it('computes every line and the total of 正定县 by the default scheme, with the cases behind each deduction', async () => {
    const p = (await get('zd.supervisor', '/api/office/assessment/unit?period=2026')) as UnitPage;
    expect(p.unitId).toBe('130123');
    expect(p.published).toBe(false);
    const expectLine = (item: string, hit: number, due: number, points: number) => {
      const l = line(p, item);
      expect([l.item, l.hit, l.due, l.points]).toEqual([item, hit, due, points]);
    };
    expectLine('acceptance', 3, 4, 3.75);
    expectLine('assignment', 2, 3, 0);
    expectLine('completion', 2, 3, 6.67);
    expectLine('participation', 2, 2, 5);
    expectLine('satisfaction', 1, 2, 5);
    expect(line(p, 'repeat')).toMatchObject({ hit: 1, deduction: 1, points: -1 });
    expect(line(p, 'inspectionProblem')).toMatchObject({ hit: 1, deduction: 2 });
    expect(line(p, 'overdueCorrection')).toMatchObject({ hit: 1, deduction: 2 });
    expect(line(p, 'supervision')).toMatchObject({ hit: 1, deduction: 2 });
    expect(p.max).toBe(30);
    expect(p.total).toBe(13.42);
    const caseIds = (item: string) => line(p, item).cases.map((c) => c.caseId).sort();
    expect(caseIds('acceptance')).toEqual([ids.B]);
    expect(caseIds('assignment')).toEqual([ids.B]);
    expect(caseIds('completion')).toEqual([ids.D]);
    expect(caseIds('satisfaction')).toEqual([ids.B]);
    expect(caseIds('repeat')).toEqual([ids.F]);
    expect(caseIds('inspectionProblem')).toEqual([ids.D]);
    expect(caseIds('overdueCorrection')).toEqual([ids.D]);
    expect(caseIds('supervision')).toEqual([ids.D]);
    expect(line(p, 'overdueCorrection').cases[0]!.title).toBe('物流公司拖欠搬运工工资');
    expect(line(p, 'completion').cases[0]!.caseNo).toMatch(/^XF2026-\d{6}$/);
    // The denunciation naming the county's bureau is neither counted nor listed for the county.
    expect(JSON.stringify(p)).not.toContain(ids.J);
    // The same sets as the statistics' drill-down for the unit.
    const drill = (await get('sjz.supervisor', `/api/office/stats/cases?from=2026-01-01&to=2026-12-31&unit=130123&measure=completion&part=miss`)) as { items: { id: string }[] };
    expect(drill.items.map((i) => i.id)).toEqual([ids.D]);
  });

  it('ranks the counties of 石家庄市, 正定县 last, by the city scheme a leader sets', async () => {
    const before = (await get('sjz.supervisor', '/api/office/assessment/ranking?parent=130100&period=2026')) as Ranking;
    expect(before.group).toBe('region');
    expect(before.rows.find((r) => r.unitId === '130102')).toMatchObject({ total: 30, rank: 1 });
    expect(before.rows.find((r) => r.unitId === '130123')).toMatchObject({ total: 13.42, rank: before.rows.length });

    const scheme = (await get('sjz.leader', '/api/office/assessment/scheme?unit=130100')) as { scheme: { revision: number; inherited: boolean }; canEdit: boolean };
    expect(scheme).toMatchObject({ scheme: { revision: 0, inherited: true }, canEdit: true });
    const weights = { acceptance: 10, assignment: 5, completion: 10, participation: 5, satisfaction: 10, repeat: 2, inspectionProblem: 2, overdueCorrection: 2, supervision: 2 };
    const put = (u: string, body: unknown) => staff(u).then((cookie) => t.request('PUT', '/api/office/assessment/scheme', { cookie, body }));
    expect((await put('sjz.supervisor', { unitId: '130100', name: '石家庄市考核方案', revision: 0, weights })).statusCode).toBe(403);
    expect((await put('zd.leader', { unitId: '130100', name: '石家庄市考核方案', revision: 0, weights })).statusCode).toBe(403);
    const bad = await put('sjz.leader', { unitId: '130100', name: '石家庄市考核方案', revision: 0, weights: { ...weights, completion: -3 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/分值/);
    const saved = await put('sjz.leader', { unitId: '130100', name: '石家庄市考核方案', revision: 0, weights });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await put('sjz.leader', { unitId: '130100', name: '石家庄市考核方案', revision: 0, weights })).statusCode).toBe(409);

    const after = (await get('sjz.supervisor', '/api/office/assessment/ranking?parent=130100&period=2026')) as Ranking;
    expect(after.rows.find((r) => r.unitId === '130102')).toMatchObject({ total: 40, rank: 1 });
    expect(after.rows.find((r) => r.unitId === '130123')).toMatchObject({ total: 19.5, rank: after.rows.length });
    // 正定县 inherits the city's scheme for its own page.
    const p = (await get('zd.supervisor', '/api/office/assessment/unit?period=2026')) as UnitPage;
    expect([p.total, p.max]).toEqual([19.5, 40]);
  });

  it('keeps a county to its own scores, a department to its own page, and publishing to leaders', async () => {
    await get('zd.supervisor', '/api/office/assessment/ranking?parent=130100&period=2026', 403);
    await get('zd.supervisor', '/api/office/assessment/unit?unit=130102&period=2026', 403);
    await get('zd.leader', '/api/office/assessment/unit?unit=130100&period=2026', 403);
    const own = (await get('zd.supervisor', '/api/office/assessment/ranking?period=2026')) as Ranking;
    expect(own.group).toBe('department');
    expect(own.rows.every((r) => r.unitId.startsWith('130123-'))).toBe(true);
    const dept = (await get('zd.handler', '/api/office/assessment/unit?period=2026')) as UnitPage;
    expect(dept.unitId).toBe('130123-zj');
    expect(line(dept, 'completion')).toMatchObject({ hit: 2, due: 3 });
    await get('zd.handler', '/api/office/assessment/unit?unit=130123&period=2026', 403);
    await get('zd.handler', '/api/office/assessment/unit?unit=130123-rs&period=2026', 403);
    await get('sjz.supervisor', '/api/office/assessment/unit?period=2026-13', 400);
    await get('sjz.supervisor', '/api/office/assessment/unit?unit=nowhere&period=2026', 400);
    const pub = async (u: string, body: unknown) => t.request('POST', '/api/office/assessment/publish', { cookie: await staff(u), body });
    expect((await pub('sjz.supervisor', { parent: '130100', period: '2026' })).statusCode).toBe(403);
    expect((await pub('zd.leader', { parent: '130100', period: '2026' })).statusCode).toBe(403);
    expect((await pub('sjz.leader', { parent: '130100', period: '2027' })).statusCode).toBe(409);
  });

  it('publishes a snapshot that a later change of weights does not move', async () => {
    const r = await t.request('POST', '/api/office/assessment/publish', { cookie: await staff('sjz.leader'), body: { parent: '130100', period: '2026' } });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json<Ranking>().published).toBe(true);
    expect((await t.request('POST', '/api/office/assessment/publish', { cookie: await staff('sjz.leader'), body: { parent: '130100', period: '2026' } })).statusCode).toBe(409);
    const weights = { acceptance: 50, assignment: 0, completion: 10, participation: 5, satisfaction: 10, repeat: 9, inspectionProblem: 2, overdueCorrection: 2, supervision: 2 };
    const saved = await t.request('PUT', '/api/office/assessment/scheme', { cookie: await staff('sjz.leader'), body: { unitId: '130100', name: '石家庄市考核方案（修订）', revision: 1, weights } });
    expect(saved.statusCode, saved.body).toBe(200);
    const rk = (await get('sjz.supervisor', '/api/office/assessment/ranking?parent=130100&period=2026')) as Ranking;
    expect(rk.published).toBe(true);
    expect(rk.rows.find((x) => x.unitId === '130123')).toMatchObject({ total: 19.5 });
    const p = (await get('zd.supervisor', '/api/office/assessment/unit?period=2026')) as UnitPage;
    expect(p).toMatchObject({ published: true, total: 19.5, max: 40, rank: rk.rows.length, rankOf: rk.rows.length });
    expect(line(p, 'completion').cases.map((c) => c.caseId)).toEqual([ids.D]);
    expect(line(p, 'repeat').cases.map((c) => c.caseId)).toEqual([ids.F]);
    expect(line(p, 'supervision').cases.map((c) => c.caseId)).toEqual([ids.D]);
    // A county sees its own rank, never another county's score.
    expect(JSON.stringify(p)).not.toContain('130102');
  });
});
