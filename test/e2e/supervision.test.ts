/**
 * 督办件 in Chromium: the city's supervisor opens supervision on a case from the case page, the
 * county housing bureau answers it in its own browser, the supervisor closes it, and the
 * petitioner's tracking page shows that the case was under the city's supervision. (退回重办 and
 * 逾期催报: supervision-followup.test.ts; 督导检查: inspection.test.ts.)
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, startBrowserEnv, type BrowserEnv } from '../support/browser.js';
import { act, newCase } from '../support/harness.js';

describe.skipIf(!hasChromium)('supervision in Chromium', () => {
  let env: BrowserEnv;
  const contexts: BrowserContext[] = [];
  let c: { id: string; queryCode: string };
  const title = '小区违建长期无人处理';

  beforeAll(async () => {
    env = await startBrowserEnv('sqlite', { now: '2026-03-02T02:00:00Z' });
    const t = env.t;
    c = await newCase(t, { title, categoryCode: 'construction', content: '小区内有人违规加盖两层楼，多次向住建部门反映无人处理，请督促依法查处。' });
    const cookie = async (u: string) => t.staff(u);
    expect((await act(t, await cookie('zd.acceptor'), c.id, 'accept')).statusCode).toBe(200);
    expect((await act(t, await cookie('zd.dispatcher'), c.id, 'assign', { unitId: '130123-zj' })).statusCode).toBe(200);
    expect((await act(t, await cookie('zd.handler'), c.id, 'sign')).statusCode).toBe(200);
  });
  afterAll(async () => {
    for (const x of contexts) await x.close().catch(() => undefined);
    await env.close();
  });

  async function staff(username: string): Promise<Page> {
    const page = await env.staffPage(username);
    page.setDefaultTimeout(45_000);
    return page;
  }
  const dialog = (page: Page) => page.getByRole('dialog');

  it('the city opens a 督办件 on the case page, the county answers in its own browser, the city closes it; the petitioner sees it', async () => {
    const sup = await staff('sjz.supervisor');
    await sup.goto(`/office/cases/${c.id}`);
    await sup.getByRole('heading', { level: 2, name: title }).waitFor();
    await sup.getByRole('button', { name: '发起督办' }).click();
    await dialog(sup).getByLabel('督办事项').fill('签收后未与信访人联系，未依法查处违建，请说明原因并限期查处');
    await dialog(sup).getByLabel('书面报告期限').fill('2026-03-09');
    await dialog(sup).getByRole('button', { name: '发起督办' }).click();
    await sup.getByText('已发起督办').waitFor();
    await sup.locator('.ant-card', { hasText: '督办件' }).getByText('待报告').waitFor();
    await env.shot(sup, 'supervision-case-page');

    // The county housing bureau, in its own browser: the menu entry, its list, the answer form.
    const unit = await staff('zd.handler');
    await unit.locator('nav[aria-label="工作台队列"]').getByRole('link', { name: '督办件' }).click();
    await unit.getByRole('heading', { level: 2, name: '督办件' }).waitFor();
    await unit.getByRole('link', { name: /签收后未与信访人联系/ }).click();
    await unit.getByText('请于 2026-03-09 前书面报告办理情况').waitFor();
    await unit.getByLabel('报告内容').fill('已于 3 月 3 日现场核查，违建属实，已下达限期拆除通知书，3 月 20 日前拆除并答复信访人。');
    await unit.getByRole('button', { name: '提交报告' }).click();
    await unit.getByTestId('supervision-status').getByText('已报告').waitFor();
    await env.shot(unit, 'supervision-answered');

    // The city reviews the answer and closes the 督办件.
    await sup.locator('nav[aria-label="工作台队列"]').getByRole('link', { name: '督办件' }).click();
    await sup.locator('.ant-segmented-item', { hasText: '已报告待审核' }).click();
    await sup.getByRole('link', { name: /签收后未与信访人联系/ }).click();
    await sup.getByTestId('supervision-answer').getByText(/限期拆除通知书/).waitFor();
    await sup.getByRole('button', { name: '审核通过，办结' }).click();
    await dialog(sup).getByLabel('办结意见').fill('报告属实，同意办结，请按期拆除');
    await dialog(sup).getByRole('button', { name: '确认办结' }).click();
    await sup.getByTestId('supervision-status').getByText('已办结').waitFor();

    // The petitioner's tracking page (no login) shows the supervision.
    const pctx = await env.newContext(360);
    contexts.push(pctx);
    const p = await pctx.newPage();
    await p.goto(`/track/${c.queryCode}`);
    await p.getByText(/本件已列入石家庄市信访局督办/).first().waitFor();
    await p.getByText(/督办事项已办结/).first().waitFor();
    expect(await p.content()).not.toContain('签收后未与信访人联系');
    await env.shot(p, 'supervision-track');
  }, 300_000);

  it('a county supervisor without the case sees no 督办 of another unit', async () => {
    const other = await staff('zd.supervisor');
    await other.locator('nav[aria-label="工作台队列"]').getByRole('link', { name: '督办件' }).click();
    await other.getByRole('heading', { level: 2, name: '督办件' }).waitFor();
    await other.locator('.ant-segmented-item', { hasText: '全部' }).first().click();
    await other.getByText('没有符合条件的督办件').waitFor();
  }, 120_000);
});
