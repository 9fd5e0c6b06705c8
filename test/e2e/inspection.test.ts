/**
 * 督导检查 in Chromium: the city's supervisor inspects 正定县住房和城乡建设局, takes the proposed
 * sample, records a finding on each case and a correction with a due date, and concludes; the
 * housing bureau sees the inspection of its unit and reports the correction done; the city accepts it.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseSelectOption, chooseTreeNode, hasChromium, startBrowserEnv, type BrowserEnv } from '../support/browser.js';
import { caseAtCountyHousingBureau } from '../support/harness.js';

describe.skipIf(!hasChromium)('督导检查 in Chromium', () => {
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

  /** One browser per account, logged in once. */
  async function staff(username: string): Promise<Page> {
    return (pages[username] ??= await env.staffPage(username));
  }
  const dialog = (page: Page) => page.getByRole('dialog');
  const menu = (page: Page, name: string) => page.locator('nav[aria-label="工作台队列"]').getByRole('link', { name }).click();

  it('督导检查: sample, finding, correction with a due date, the county reports, the city accepts', async () => {
    const sup = await staff('sjz.supervisor');
    await menu(sup, '督导检查');
    await sup.getByRole('button', { name: '新建督导检查' }).click();
    // The county's housing bureau, one level down the city's unit tree: expand 正定县, then choose.
    const picker = sup.getByLabel('被检查单位');
    await picker.click();
    const popup = sup.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
    await popup.locator('.ant-select-tree-treenode').filter({ has: sup.locator('.ant-select-tree-title', { hasText: /^正定县$/ }) }).locator('.ant-select-tree-switcher').click();
    await popup.locator('.ant-select-tree-title', { hasText: '正定县住房和城乡建设局' }).waitFor();
    await sup.keyboard.press('Escape');
    await chooseTreeNode(sup, picker, '正定县住房和城乡建设局');
    await sup.getByRole('button', { name: '生成抽查样本' }).click();
    const sample = sup.locator('.ant-card', { hasText: '推荐样本' });
    for (const c of cases) await sample.getByRole('link', { name: c.caseNo }).waitFor();
    await sup.getByLabel('检查日期').fill('2026-03-02');
    await sup.getByLabel('检查人员').fill('李明、王芳');
    await sup.getByRole('button', { name: /创建检查记录（2 件）/ }).click();
    await sup.getByRole('heading', { level: 2, name: '对正定县住房和城乡建设局的督导检查' }).waitFor();

    // Findings: one case handled properly, one with a problem.
    const caseRow = (no: string) => sup.locator('.ant-card', { hasText: '抽查案件' }).locator('tr', { hasText: no });
    await caseRow(cases[0]!.caseNo).getByRole('button', { name: '规范' }).click();
    await dialog(sup).getByRole('button', { name: '记录' }).click();
    await caseRow(cases[0]!.caseNo).getByText('规范', { exact: true }).first().waitFor();
    await caseRow(cases[1]!.caseNo).getByRole('button', { name: '存在问题' }).click();
    await dialog(sup).getByLabel('发现的问题').fill('签收后二十天未与信访人联系，未做任何调查');
    await dialog(sup).getByRole('button', { name: '记录' }).click();
    await caseRow(cases[1]!.caseNo).getByText('签收后二十天未与信访人联系').waitFor();

    // A correction on the problem case, due in two weeks.
    await chooseSelectOption(sup, sup.getByLabel('针对的信访件'), cases[1]!.caseNo);
    await sup.getByLabel('整改要求').fill('三日内约见信访人，依法调查并书面答复');
    await sup.getByLabel('整改期限').fill('2026-03-16');
    await sup.getByRole('button', { name: '提出整改要求' }).click();
    const corrections = sup.locator('.ant-card', { hasText: '整改要求' }).first();
    await corrections.getByText('三日内约见信访人').waitFor();
    await corrections.getByText('2026-03-16').waitFor();
    await sup.getByRole('button', { name: '形成检查意见并通知被检查单位' }).click();
    await dialog(sup).getByLabel('检查意见').fill('抽查 2 件，1 件签收后未及时调查，责令限期整改。');
    await dialog(sup).getByRole('button', { name: '确认并通知' }).click();
    await sup.getByTestId('inspection-status').getByText('整改中').waitFor();

    // The county housing bureau sees the inspection of its county and reports the correction.
    const unit = await staff('zd.handler');
    await menu(unit, '督导检查');
    const listRow = unit.locator('tr', { hasText: '石家庄市信访局' });
    await listRow.getByText('对本单位').waitFor();
    await listRow.getByRole('link', { name: '2026-03-02' }).click();
    await unit.getByText('抽查 2 件，1 件签收后未及时调查，责令限期整改。').waitFor();
    await unit.getByRole('button', { name: '报告整改情况' }).click();
    await dialog(unit).getByLabel('整改情况').fill('3 月 5 日已约见信访人，调查后书面答复，信访人表示满意。');
    await dialog(unit).getByRole('button', { name: '提交报告' }).click();
    await unit.getByText('待验收').waitFor();
    await expect(unit.getByRole('button', { name: '验收通过' }).count()).resolves.toBe(0);

    // The city accepts it.
    await sup.reload();
    await sup.getByRole('button', { name: '验收通过' }).click();
    await dialog(sup).getByLabel('验收意见').fill('整改到位');
    await dialog(sup).getByRole('button', { name: '验收通过' }).click();
    await sup.locator('.ant-card', { hasText: '整改要求' }).first().getByText('已验收').waitFor();
    await env.shot(sup, 'inspection-accepted');
  }, 90_000);
});
