/**
 * The follow-up of a 督办件 in Chromium. 退回重办: the city sends the county's answer back with a
 * reason, the county answers again, the city closes it, and the history shows every step. 逾期催报:
 * an overdue 督办件 reminded by the sweep is marked on the unit's list.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, startBrowserEnv, type BrowserEnv } from '../support/browser.js';
import { caseAtCountyHousingBureau } from '../support/harness.js';
import { runSweep } from '../../src/jobs/sweep.js';

describe.skipIf(!hasChromium)('supervision follow-up in Chromium', () => {
  let env: BrowserEnv;
  const pages: Record<string, Page> = {};
  const cases: { id: string; caseNo: string }[] = [];

  beforeAll(async () => {
    env = await startBrowserEnv('sqlite', { now: '2026-03-02T02:00:00Z' });
    for (const title of ['小区违建长期无人处理', '物业维修基金使用不公开']) {
      cases.push(await caseAtCountyHousingBureau(env.t, { title, categoryCode: 'construction', content: `${title}，多次向住建部门反映无人处理，请督促依法查处。` }));
    }
  }, 120_000);
  afterAll(async () => {
    await env.close();
  });

  /** One browser per account, logged in once (`fresh`: a new browser and session, not kept). */
  async function staff(username: string, fresh = false): Promise<Page> {
    if (pages[username] && !fresh) return pages[username];
    const page = await env.staffPage(username);
    if (!fresh) pages[username] = page;
    return page;
  }
  const dialog = (page: Page) => page.getByRole('dialog');

  it('退回重办: the city sends the answer back, the county answers again, the history keeps both', async () => {
    const r = await env.t.request('POST', '/api/office/supervisions', {
      cookie: await env.t.staff('sjz.supervisor'),
      body: { caseIds: [cases[0]!.id], unitId: '130123-zj', problem: '签收后未依法查处违建，请说明原因并限期查处', dueDate: '2026-03-09' },
    });
    expect(r.statusCode, r.body).toBe(201);
    const supId = r.json<{ id: string }>().id;

    const unit = await staff('zd.handler');
    await unit.goto(`/office/supervisions/${supId}`);
    await unit.getByLabel('报告内容').fill('已现场核查，正在研究处理意见。');
    await unit.getByRole('button', { name: '提交报告' }).click();
    await unit.getByTestId('supervision-status').getByText('已报告').waitFor();

    const sup = await staff('sjz.supervisor');
    await sup.goto(`/office/supervisions/${supId}`);
    await sup.getByTestId('supervision-answer').getByText('正在研究处理意见').waitFor();
    await sup.getByRole('button', { name: '退回重办' }).click();
    await dialog(sup).getByLabel('退回理由').fill('报告未写明核查结论和查处措施，请补充');
    await dialog(sup).getByLabel('新的报告期限').fill('2026-03-11');
    await dialog(sup).getByRole('button', { name: '退回重办' }).click();
    await sup.getByTestId('supervision-status').getByText('退回重办 1 次').waitFor();
    await sup.getByTestId('supervision-history').getByText('报告未写明核查结论和查处措施，请补充').waitFor();

    // The county is told to answer again; its earlier answer stays in the history.
    await unit.reload();
    await unit.getByText('报告已被退回重办，请于 2026-03-11 前重新书面报告办理情况').waitFor();
    await unit.getByTestId('supervision-history').getByText('已现场核查，正在研究处理意见。').waitFor();
    await unit.getByLabel('报告内容').fill('经核查违建属实，已下达限期拆除通知书，3 月 20 日前拆除并答复信访人。');
    await unit.getByRole('button', { name: '提交报告' }).click();
    await unit.getByTestId('supervision-status').getByText('已报告').waitFor();
    await expect(unit.getByRole('button', { name: '退回重办' }).count()).resolves.toBe(0);

    await sup.reload();
    await sup.getByRole('button', { name: '审核通过，办结' }).click();
    await dialog(sup).getByRole('button', { name: '确认办结' }).click();
    await sup.getByTestId('supervision-status').getByText('已办结').waitFor();
    const history = sup.getByTestId('supervision-history');
    for (const step of ['发起督办', '被督办单位书面报告', '退回重办', '督办办结']) await history.getByText(step, { exact: true }).first().waitFor();
    expect(await history.getByText('被督办单位书面报告', { exact: true }).count()).toBe(2);
    await env.shot(sup, 'supervision-returned-history');
  }, 90_000);

  it('逾期催报: after the sweep the list marks the 督办件 overdue and reminded', async () => {
    const r = await env.t.request('POST', '/api/office/supervisions', {
      cookie: await env.t.staff('sjz.supervisor'),
      body: { caseIds: [cases[1]!.id], unitId: '130123-zj', problem: '维修基金使用情况未公开，请限期公开并报告', dueDate: '2026-03-03' },
    });
    expect(r.statusCode, r.body).toBe(201);
    // Two days on (a fresh login: sessions idle out across days), two sweeps, one reminder.
    env.t.setNow('2026-03-04T01:00:00Z');
    try {
      await runSweep(env.t.ctx, { urgeDays: 3 });
      await runSweep(env.t.ctx, { urgeDays: 3 });
      const unit = await staff('zd.handler', true);
      await unit.goto('/office/supervisions?status=overdue');
      const row = unit.locator('tr', { hasText: '维修基金使用情况未公开' });
      await row.getByText('已逾期').waitFor();
      await row.getByText('已催报 1 次').waitFor();
      await env.shot(unit, 'supervision-overdue-reminded');
    } finally {
      env.t.setNow('2026-03-02T02:00:00Z');
    }
  }, 60_000);
});
