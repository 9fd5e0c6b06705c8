/**
 * 统计分析 on a fixture with known answers, built through the real API with a moved clock.
 *
 * All cases are received Monday 2026-03-02 (10:00 China time): acceptance due Wed 03-04,
 * assignment due Mon 03-09, reply due 60 days after acceptance (early May).
 *   A labour 正定 web    accepted 03-02, assigned 03-02, replied 03-20, rated 满意
 *   B labour 正定 web    accepted 03-05 (late), assigned 03-10 (late), replied 03-25, rated 不满意
 *   C constr 正定 web    rejected 03-02
 *   D labour 正定 letter (staff entry) accepted, assigned 03-02, never replied (reply overdue)
 *   E constr 正定 web    never touched (acceptance and assignment overdue)
 *   F labour 正定 web    same petitioner as A, alike: 409, then 'new'; merged into A 03-03
 *   G        — B's petitioner again, alike, 'same': a message on B, no case
 *   H envir  正定 web    accepted, assigned 03-02, extension +30 approved 04-20, replied 05-20 (after
 *                        the original due date, before the extended one), not rated
 *   J discip 正定 web    denunciation accusing 正定县信访局, never touched
 *   K transp 长安区 web  never touched (outside 正定县)
 * Measured on 2026-06-10 for 2026-03-01 … 2026-06-30.
 * 正定县 supervisor (J hidden by the denunciation rule, K outside the county): A B C D E F H
 *   volume 7; online 6/7 (D is a letter); repeat 2/8 (F merged + G joined; 7 cases + 1 joined)
 *   acceptance 4/6 (A C D H on time; B late; E overdue; F merged undecided: not owed)
 *   assignment 3/5 (A D H; B late; E overdue; C rejected and F merged owe none)
 *   completion 3/4 (A B H — H within its extension; D overdue)
 *   participation 2/3 (A B rated of A B H replied); satisfaction 1/2 (A 满意, B 不满意)
 *   overdue now 2 (E acceptance, D reply)
 * Province supervisor: plus J and K, both untouched:
 *   volume 9; online 8/9; repeat 2/10; acceptance 4/8; assignment 3/7; completion 3/4;
 *   participation 2/3; satisfaction 1/2; overdue now 4.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { act, cookieOf, databases, newCaseBody, startTestApp, type TestApp } from '../support/harness.js';

interface R {
  hit: number;
  due: number;
  rate: number | null;
}
interface Row {
  key: string;
  label: string;
  volume: number;
  overdue: number;
  online: R;
  acceptance: R;
  assignment: R;
  completion: R;
  participation: R;
  satisfaction: R;
  repeat: R;
}
interface StatsBody {
  total: Row;
  rows: Row[];
}

const at = (date: string) => `${date}T02:00:00Z`; // 10:00 in China

describe.each(databases)('statistics on a hand-computed fixture (%s)', (kind) => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const staffCookies: Record<string, string> = {};
  // Sessions time out while the clock moves: log in again at each step.
  let cookieDay = '';
  const staff = async (u: string) => {
    const day = t.ctx.clock.now().toISOString().slice(0, 13);
    if (day !== cookieDay) {
      for (const k of Object.keys(staffCookies)) delete staffCookies[k];
      cookieDay = day;
    }
    return (staffCookies[u] ??= await t.staff(u));
  };
  const citizenLogin = async (phone: string) => cookieOf(await t.request('POST', '/api/auth/login', { body: { login: phone, password: 'Passw0rd!' } }));
  const ok = async (u: string, id: string, action: string, body: Record<string, unknown> = {}) => {
    const r = await act(t, await staff(u), id, action, body);
    expect(r.statusCode, `${u} ${action} ${r.body}`).toBe(200);
  };
  const submit = async (cookie: string, over: Record<string, unknown>) => t.request('POST', '/api/cases', { cookie, body: newCaseBody(over) });
  const stats = async (u: string, qs: string) => {
    const r = await t.request('GET', `/api/office/stats?from=2026-03-01&to=2026-06-30&${qs}`, { cookie: await staff(u) });
    expect(r.statusCode, r.body).toBe(200);
    return r.json<StatsBody>();
  };

  const textA = { title: '建筑工地拖欠农民工工资', content: '我在正定县恒通建筑公司承建的翠园小区工地干木工活三个月。包工头王某至今拖欠我工资一万二千元。请求责令恒通建筑公司支付欠薪。' };
  const textF = { title: '恒通建筑公司欠我木工工资', content: '本人在翠园小区工地给恒通建筑公司做木工，干了三个月，工钱一万二千元一直没结，包工头王某推脱。希望督促恒通建筑公司把欠薪发给我。' };
  const textB = { title: '三中周末补课乱收费', content: '正定县第三中学初二年级在周末组织全体学生补课，每名学生每学期收取补课费八百元，家长不交孩子就被调座位。' };
  const textG = { title: '第三中学补课费八百元', content: '县三中初二年级周末统一补课，每学期每个学生要交八百元补课费，不交钱的孩子被调座位，请查处。' };

  beforeAll(async () => {
    t = await startTestApp(kind, { now: at('2026-03-02'), env: { XINFANG_REPEAT_THRESHOLD: '0.4' } });
    const c1 = await t.citizen();
    const c2 = await t.citizen();
    const new1 = async (key: string, over: Record<string, unknown>, cookie?: string) => {
      const r = await submit(cookie ?? (await t.citizen()).cookie, over);
      expect(r.statusCode, r.body).toBe(201);
      ids[key] = r.json<{ id: string }>().id;
    };
    await new1('A', { categoryCode: 'labour', ...textA }, c1.cookie);
    await new1('B', { categoryCode: 'labour', ...textB }, c2.cookie);
    await new1('C', { categoryCode: 'construction', title: '小区电梯长期故障', content: '城南花园五号楼电梯从去年十月起频繁故障停运，物业拒绝维修，请督促。' });
    await new1('E', { categoryCode: 'construction', title: '违章建筑占用消防通道', content: '幸福家园小区一楼住户私搭违建占用消防通道，多次反映无人处理。' });
    await new1('H', { categoryCode: 'environment', title: '烧烤店油烟扰民', content: '常山路烧烤店每天营业到凌晨两点，油烟直接排进住户窗户，请环保部门处理。' });
    await new1('J', { categoryCode: 'discipline', title: '检举信访局工作人员', content: '检举县信访局某工作人员收受好处、压件不办，请纪委调查。', denunciation: true, accusedUnitIds: ['130123-xfj'] });
    await new1('K', { categoryCode: 'transport', regionCode: '130102', title: '公交线路取消出行难', content: '长安区公交公司取消了途经我村的八路公交车，老人看病要步行四公里。' });
    const d = await t.request('POST', '/api/office/entries', {
      cookie: await staff('zd.registrar'),
      body: { channel: 'letter', petitioner: { name: '赵大山', address: '正定县城关镇北街 3 号' }, categoryCode: 'labour', regionCode: '130123', title: '物流公司拖欠搬运工工资', content: '来信人称在某物流公司做搬运工两个月，工资六千元至今未发，请求督促支付。' },
    });
    expect(d.statusCode, d.body).toBe(201);
    ids.D = d.json<{ id: string }>().id;

    // F: the same petitioner as A, alike → asked first, then insists it is new.
    const asked = await submit(c1.cookie, { categoryCode: 'labour', ...textF });
    expect(asked.statusCode, asked.body).toBe(409);
    const err = asked.json<{ error: { code: string; fields: Record<string, string> } }>().error;
    expect(err.code).toBe('possible_repeat');
    expect(err.fields.repeatOfCaseId).toBe(ids.A);
    expect(err.fields.repeatOfCaseNo).toMatch(/^XF2026-\d{6}$/);
    expect(err.fields.repeatOfQueryCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    await new1('F', { categoryCode: 'labour', ...textF, repeatDecision: 'new' }, c1.cookie);
    // G: B's petitioner again, says it is the same matter → a message on B, no new case.
    const g = await submit(c2.cookie, { categoryCode: 'labour', ...textG, repeatDecision: 'same' });
    expect(g.statusCode, g.body).toBe(200);
    expect(g.json<{ id: string; joinedExisting: boolean }>()).toMatchObject({ id: ids.B, joinedExisting: true });

    for (const k of ['A', 'D', 'H']) {
      await ok('zd.acceptor', ids[k]!, 'accept');
      await ok('zd.dispatcher', ids[k]!, 'assign', { unitId: '130123-zj' });
    }
    await ok('zd.acceptor', ids.C!, 'reject', { reasonCode: 'not_our_authority', guidanceChannel: 'other_authority' });
    t.setNow(at('2026-03-03'));
    await ok('zd.acceptor', ids.F!, 'merge', { intoCaseId: ids.A });
    for (const k of ['A', 'D', 'H']) await ok('zd.handler', ids[k]!, 'sign');
    t.setNow(at('2026-03-05'));
    await ok('zd.acceptor', ids.B!, 'accept');
    t.setNow(at('2026-03-10'));
    await ok('zd.dispatcher', ids.B!, 'assign', { unitId: '130123-zj' });
    await ok('zd.handler', ids.B!, 'sign');
    t.setNow(at('2026-03-20'));
    await ok('zd.handler', ids.A!, 'reply', { text: '经核查，已责令恒通建筑公司支付全部欠薪。' });
    expect((await t.request('POST', `/api/cases/${ids.A}/evaluation`, { cookie: await citizenLogin(c1.phone), body: { rating: 'satisfied' } })).statusCode).toBeLessThan(300);
    t.setNow(at('2026-03-25'));
    await ok('zd.handler', ids.B!, 'reply', { text: '经核查，学校已停止收费并退还补课费用。' });
    expect((await t.request('POST', `/api/cases/${ids.B}/evaluation`, { cookie: await citizenLogin(c2.phone), body: { rating: 'dissatisfied' } })).statusCode).toBeLessThan(300);
    t.setNow(at('2026-04-20'));
    await ok('zd.handler', ids.H!, 'request-extension', { days: 30, reason: '需要协调环保、城管多个部门会商' });
    await ok('zd.leader', ids.H!, 'approve-extension');
    t.setNow(at('2026-05-20'));
    await ok('zd.handler', ids.H!, 'reply', { text: '已责令烧烤店安装油烟净化设备并限时营业。' });
    t.setNow(at('2026-06-10'));
  }, 120_000);
  afterAll(() => t?.close());

  it('every measure for the county, as hand-computed', async () => {
    const s = await stats('zd.supervisor', 'groupBy=category');
    expect(s.total).toMatchObject({
      volume: 7,
      overdue: 2,
      online: { hit: 6, due: 7 },
      repeat: { hit: 2, due: 8, rate: 0.25 },
      acceptance: { hit: 4, due: 6 },
      assignment: { hit: 3, due: 5, rate: 0.6 },
      completion: { hit: 3, due: 4, rate: 0.75 },
      participation: { hit: 2, due: 3 },
      satisfaction: { hit: 1, due: 2, rate: 0.5 },
    });
    const labour = s.rows.find((r) => r.key === 'labour')!;
    // labour: A B D F (+ G joined B): online 3/4 (D letter), repeat 2/5, acceptance A D on time, B late.
    expect(labour).toMatchObject({ label: '劳动和社会保障', volume: 4, online: { hit: 3, due: 4 }, repeat: { hit: 2, due: 5 }, acceptance: { hit: 2, due: 3 } });
    expect(s.rows.find((r) => r.key === 'construction')).toMatchObject({ volume: 2, acceptance: { hit: 1, due: 2 }, overdue: 1 });
    expect(s.rows.find((r) => r.key === 'discipline')).toBeUndefined(); // the denunciation rule
  });

  it('the province sees the denunciation and the other county', async () => {
    const s = await stats('prov.supervisor', 'groupBy=region&level=county');
    expect(s.total).toMatchObject({
      volume: 9,
      overdue: 4,
      online: { hit: 8, due: 9 },
      repeat: { hit: 2, due: 10 },
      acceptance: { hit: 4, due: 8, rate: 0.5 },
      assignment: { hit: 3, due: 7 },
      completion: { hit: 3, due: 4 },
      participation: { hit: 2, due: 3 },
      satisfaction: { hit: 1, due: 2 },
    });
    expect(s.rows.map((r) => [r.key, r.label, r.volume])).toEqual([
      ['130123', '正定县', 8],
      ['130102', '长安区', 1],
    ]);
    const city = await stats('prov.supervisor', 'groupBy=region');
    expect(city.rows.map((r) => [r.key, r.volume])).toEqual([['130100', 9]]);
    const months = await stats('prov.supervisor', 'groupBy=month');
    expect(months.rows.find((r) => r.key === '2026-03')).toMatchObject({ volume: 9, acceptance: { hit: 4, due: 8 } });
  });

  it('each number drills down to its cases, within the viewer’s jurisdiction', async () => {
    const drill = async (u: string, qs: string) => {
      const r = await t.request('GET', `/api/office/stats/cases?from=2026-03-01&to=2026-06-30&${qs}`, { cookie: await staff(u) });
      expect(r.statusCode, r.body).toBe(200);
      return r.json<{ total: number; items: { id: string; caseNo: string }[] }>();
    };
    const late = await drill('zd.supervisor', 'measure=acceptance&part=miss');
    expect(late.items.map((i) => i.id).sort()).toEqual([ids.B, ids.E].sort());
    const provLate = await drill('prov.supervisor', 'measure=acceptance&part=miss');
    expect(provLate.total).toBe(4);
    expect((await drill('zd.supervisor', 'measure=completion&part=miss')).items.map((i) => i.id)).toEqual([ids.D]);
    expect((await drill('zd.supervisor', 'measure=completion&part=hit')).total).toBe(3);
    expect((await drill('zd.supervisor', 'measure=online&part=due&groupBy=category&key=labour')).total).toBe(4);
    expect((await drill('zd.supervisor', 'measure=repeat&part=hit')).items.map((i) => i.id).sort()).toEqual([ids.B, ids.F].sort());
    expect((await drill('zd.supervisor', 'measure=overdue')).items.map((i) => i.id).sort()).toEqual([ids.D, ids.E].sort());
    expect((await drill('prov.supervisor', 'measure=volume&groupBy=region&level=county&key=130102')).items.map((i) => i.id)).toEqual([ids.K]);
    const page = await drill('prov.supervisor', 'measure=volume&pageSize=2&page=2');
    expect(page.total).toBe(9);
    expect(page.items).toHaveLength(2);
  });

  it('exports any table as CSV and XLSX with the filters applied', async () => {
    const csv = await t.request('GET', '/api/office/stats?from=2026-03-01&to=2026-06-30&groupBy=category&format=csv', { cookie: await staff('zd.supervisor') });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.startsWith('\uFEFF分组,信访总量')).toBe(true);
    expect(csv.body).toContain('劳动和社会保障,4,');
    const xlsx = await t.request('GET', '/api/office/stats/cases?from=2026-03-01&to=2026-06-30&measure=acceptance&part=miss&format=xlsx', { cookie: await staff('zd.supervisor') });
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('统计')!;
    expect(sheet.rowCount).toBe(3); // header + B + E
    // No personal data in any export: names and phones never appear.
    expect(JSON.stringify(sheet.getSheetValues())).not.toMatch(/王小明|赵大山|139\d{8}/);
  });

  it('needs stats.read; bad periods are refused', async () => {
    expect((await t.request('GET', '/api/office/stats?from=2026-03-01&to=2026-06-30', { cookie: await staff('zd.handler') })).statusCode).toBe(403);
    expect((await t.request('GET', '/api/office/stats?from=2026-03-01&to=2026-06-30', { cookie: await staff('zd.acceptor') })).statusCode).toBe(403);
    expect((await t.request('GET', '/api/office/stats?from=2026-03-01&to=2026-06-30')).statusCode).toBe(401);
    expect((await t.request('GET', '/api/office/stats?from=2026-07-01&to=2026-06-30', { cookie: await staff('zd.supervisor') })).statusCode).toBe(400);
    expect((await t.request('GET', '/api/office/stats?from=x&to=2026-06-30', { cookie: await staff('zd.supervisor') })).statusCode).toBe(400);
  });

  it('public statistics suppress small cells', async () => {
    const r = await t.request('GET', '/api/public/stats?year=2026');
    expect(r.statusCode).toBe(200);
    const p = r.json<{ minCount: number; total: { total: number | null; onlineShare: number | null; satisfactionRate: number | null }; byCategory: { key: string; total: number | null }[]; byMonth: { key: string; total: number | null }[] }>();
    expect(p.minCount).toBe(5);
    // 9 cases in the year: shown; 8 of 9 online; satisfaction over 2 ratings: withheld.
    expect(p.total).toMatchObject({ total: 9, onlineShare: 0.8889, satisfactionRate: null });
    expect(p.byCategory.find((c) => c.key === 'labour')?.total).toBeNull(); // 4 < 5
    expect(p.byMonth.find((m) => m.key === '2026-03')?.total).toBe(9);
  });
  // Last: it changes the fixture. Staff split G (the repeat that joined B) off into a case of its own:
  // it no longer counts as a repeat on B but as a case (received 03-02, labour, 正定, never touched).
  it('a repeat split off by staff counts as its own case, not as a repeat any more', async () => {
    const acceptor = await staff('zd.acceptor');
    const links = await t.request('GET', `/api/office/cases/${ids.B}/repeats`, { cookie: acceptor });
    const link = links.json<{ items: { id: string; decision: string }[] }>().items.find((i) => i.decision === 'same')!;
    const split = await t.request('POST', `/api/office/cases/${ids.B}/repeats/${link.id}/split`, { cookie: acceptor, body: {} });
    expect(split.statusCode, split.body).toBe(200);
    const g = split.json<{ newCaseId: string }>().newCaseId;
    const county = await stats('zd.supervisor', 'groupBy=category');
    // volume 8; repeat 1/8 (F merged; no joined repeat left); G owes acceptance and assignment, both overdue.
    expect(county.total).toMatchObject({ volume: 8, overdue: 3, repeat: { hit: 1, due: 8 }, acceptance: { hit: 4, due: 7 }, assignment: { hit: 3, due: 6 } });
    expect(county.rows.find((r) => r.key === 'labour')).toMatchObject({ volume: 5, repeat: { hit: 1, due: 5 } });
    const r = await t.request('GET', '/api/office/stats/cases?from=2026-03-01&to=2026-06-30&measure=repeat&part=hit', { cookie: await staff('zd.supervisor') });
    expect(r.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toEqual([ids.F]);
    const due = await t.request('GET', '/api/office/stats/cases?from=2026-03-01&to=2026-06-30&measure=volume&part=due&pageSize=50', { cookie: await staff('zd.supervisor') });
    expect(due.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toContain(g);
  });
});
