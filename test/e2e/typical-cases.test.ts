/**
 * 典型案例 in Chromium: the county's supervisor proposes a replied case as a good example with
 * commentary, from a draft with the petitioner's personal data removed; the county's leader
 * approves it; staff of another county read it, without the name or phone.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, startBrowserEnv, type BrowserEnv } from '../support/browser.js';
import { caseAtCountyHousingBureau } from '../support/harness.js';
import { createStaff, demoPassword } from '../../src/services/seed.service.js';

describe.skipIf(!hasChromium)('典型案例 in Chromium', () => {
  let env: BrowserEnv;
  const pages: Record<string, Page> = {};
  let c: { id: string; caseNo: string };
  const title = '工地拖欠农民工工资三个月';

  beforeAll(async () => {
    env = await startBrowserEnv('sqlite', { now: '2026-03-02T02:00:00Z' });
    const t = env.t;
    await createStaff(t.ctx, { username: 'ca.acceptor', name: '长安区受理员', unitId: '130102-xfj', roles: ['acceptor'], password: demoPassword });
    c = await caseAtCountyHousingBureau(
      t,
      { title, content: '我叫王小明，电话 13912345678，在正定县城关镇常山路 1 号工地务工三个月，工资一万元至今未付。' },
      { reply: '经核查，已责令施工单位于三日内支付全部工资。' },
    );
  }, 120_000);
  afterAll(async () => {
    await env.close();
  });

  async function staff(username: string): Promise<Page> {
    return (pages[username] ??= await env.staffPage(username));
  }
  const dialog = (page: Page) => page.getByRole('dialog');
  const menu = (page: Page, name: string) => page.locator('nav[aria-label="工作台队列"]').getByRole('link', { name }).click();

  it('典型案例: proposed with commentary from a redacted draft, approved by the leader, read by another county', async () => {
    const proposer = await staff('zd.supervisor');
    await proposer.goto(`/office/cases/${c.id}`);
    await proposer.getByRole('button', { name: '推荐为典型案例' }).click();
    const summary = dialog(proposer).getByLabel('案情（已去除个人信息）');
    await expect.poll(() => summary.inputValue()).toContain('王某');
    expect(await summary.inputValue()).not.toContain('13912345678');
    expect(await summary.inputValue()).not.toContain('王小明');
    await dialog(proposer).getByLabel('点评').fill('承办单位当日签收、及时约谈施工单位，三周内追回工资，做到了件件有着落。');
    await dialog(proposer).getByRole('button', { name: '提交推荐' }).click();
    await proposer.getByText('已推荐，等待领导审定').waitFor();

    const leader = await staff('zd.leader');
    await menu(leader, '典型案例');
    await leader.getByRole('tab', { name: '待审定' }).click();
    const card = leader.locator('.ant-card', { hasText: '件件有着落' });
    await card.getByRole('button', { name: '审定发布' }).click();
    await dialog(leader).getByLabel('审定意见').fill('同意作为正面典型发布');
    await dialog(leader).getByRole('button', { name: '确定' }).click();
    await leader.getByText('已发布', { exact: true }).first().waitFor();

    // Another county's staff read the published example — without the petitioner's name or phone.
    const other = await staff('ca.acceptor');
    await menu(other, '典型案例');
    const published = other.locator('.ant-card', { hasText: '件件有着落' });
    await published.getByText('正面典型', { exact: true }).waitFor();
    await published.getByText('王某').first().waitFor();
    const text = await published.textContent();
    expect(text).not.toContain('王小明');
    expect(text).not.toContain('13912345678');
    await env.shot(other, 'typical-published');
  }, 60_000);
});
