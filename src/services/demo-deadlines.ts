/**
 * Demo cases that show the legal clocks at work: filed and handled on earlier dates (the real use
 * cases, run with a clock set back), so that the first deadline sweep after `npm start` gives them
 * their automatic 催办 (due within the urge window) and 督办 (past due) — in the office queues and
 * in the petitioner's tracking.
 */
import type { AppContext } from './context.js';
import type { Submitter } from './case.service.js';
import { createCase } from './case.service.js';
import { performAction } from './office.service.js';
import { today } from './deadlines.js';
import { addDays } from '../domain/calendar.js';
import type { StaffPrincipal } from './auth.service.js';

export interface DemoDeadlineCase {
  id: string;
  queryCode: string;
  title: string;
  /** What the first sweep gives the case, e.g. 'acceptance:supervised'. */
  expect: string[];
}

/** The working day `n` working days before `date`. */
function workingDaysBefore(ctx: AppContext, date: string, n: number): string {
  let d = date;
  for (let counted = 0; counted < n; ) {
    d = addDays(d, -1);
    if (ctx.calendar.isWorkday(d)) counted += 1;
  }
  return d;
}

/** The context with its clock at 10:00 (China) of `date`: the use cases record that date. */
function on(ctx: AppContext, date: string): AppContext {
  const at = new Date(`${date}T02:00:00Z`);
  return { ...ctx, clock: { now: () => at } };
}

/**
 * Five back-dated cases of the demo citizen at 正定县 and 石家庄市, relative to today:
 *  - 正定县, received 3 working days ago, not accepted: 受理告知 missed (督办 by 石家庄市信访局), 交办转送 due soon (催办);
 *  - 正定县, received yesterday (a working day): 受理告知 due tomorrow (催办);
 *  - 正定县, assigned to 正定县住房和城乡建设局 59 days ago: 办理答复 due within days (催办);
 *  - 正定县, assigned 75 days ago: 办理答复 missed (督办 by 正定县信访局);
 *  - 石家庄市, forwarded to 石家庄市住房和城乡建设局 75 days ago: 办理答复 missed (督办 by 石家庄市信访局).
 */
export async function seedDemoDeadlineCases(ctx: AppContext, by: Submitter, staff: (username: string) => Promise<StaffPrincipal>): Promise<DemoDeadlineCase[]> {
  const now = today(ctx);
  const out: DemoDeadlineCase[] = [];
  const file = async (date: string, regionCode: string, title: string, content: string, address: string) => {
    const c = await createCase(on(ctx, date), { target: 'bureau', categoryCode: 'construction', regionCode, address, title, content }, by);
    return { id: c.row.id, queryCode: c.queryCode, title };
  };

  const late = workingDaysBefore(ctx, now, 3);
  out.push({
    ...(await file(late, '130123', '小区供暖温度长期不达标', '入冬以来我家室内温度一直在 14 度左右，多次向供热公司反映仍未改善，家中有老人和婴儿，请求督促供热公司整改。', '正定县恒州南街 6 号')),
    expect: ['acceptance:supervised', 'assignment:urged'],
  });
  const recent = workingDaysBefore(ctx, now, 1);
  out.push({
    ...(await file(recent, '130123', '老旧小区加装电梯意见分歧无人协调', '我们单元有住户同意加装电梯，也有住户反对，社区和街道都说不归自己管，希望有关部门出面协调并公开政策。', '正定县常山西路 21 号')),
    expect: ['acceptance:urged'],
  });

  const zdAcceptor = await staff('zd.acceptor');
  const zdDispatcher = await staff('zd.dispatcher');
  const handledSince = async (days: number, title: string, content: string) => {
    const date = addDays(now, -days);
    const c = await file(date, '130123', title, content, '正定县诸福屯镇');
    await performAction(on(ctx, date), zdAcceptor, c.id, 'accept', {});
    await performAction(on(ctx, date), zdDispatcher, c.id, 'assign', { unitId: '130123-zj', instructions: '请核实情况，依法处理并按期答复。' });
    return c;
  };
  out.push({
    ...(await handledSince(59, '安置房交房延期两年未给说法', '我村拆迁安置房原定两年前交房，至今仍未交付，过渡费也停发了半年，请求有关部门给出明确交房时间。')),
    expect: ['handling:urged'],
  });
  out.push({
    ...(await handledSince(75, '农村危房改造补助未发放', '我家 2025 年列入农村危房改造名单，房屋已按要求翻建完成并验收，但补助资金至今没有发放，请求核查。')),
    expect: ['handling:supervised'],
  });

  const sjzAcceptor = await staff('sjz.acceptor');
  const sjzDispatcher = await staff('sjz.dispatcher');
  const d = addDays(now, -75);
  const s = await file(d, '130100', '商品房延期办理不动产权证', '我在石家庄市购买的商品房已入住三年，开发商以各种理由拖延办理不动产权证，影响孩子入学，请求督促办理。', '石家庄市长安区中山东路 88 号');
  await performAction(on(ctx, d), sjzAcceptor, s.id, 'accept', {});
  await performAction(on(ctx, d), sjzDispatcher, s.id, 'forward', { unitId: '130100-zj' });
  out.push({ ...s, expect: ['handling:supervised'] });
  return out;
}
