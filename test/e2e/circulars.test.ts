/**
 * 通报 in Chromium: the city's leader issues a commendation circular citing a case to 正定县; the
 * county bureau finds it waiting for its receipt, acknowledges it and downloads the PDF; the
 * issuer sees the receipt.
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseMultiOption, hasChromium, startBrowserEnv, type BrowserEnv } from '../support/browser.js';
import { caseAtCountyHousingBureau } from '../support/harness.js';

describe.skipIf(!hasChromium)('通报 in Chromium', () => {
  let env: BrowserEnv;
  const pages: Record<string, Page> = {};
  let c: { id: string; caseNo: string };
  const title = '工地拖欠农民工工资三个月';

  beforeAll(async () => {
    env = await startBrowserEnv('sqlite', { now: '2026-03-02T02:00:00Z' });
    c = await caseAtCountyHousingBureau(
      env.t,
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
  const menu = (page: Page, name: string) => page.locator('nav[aria-label="工作台队列"]').getByRole('link', { name }).click();

  it('通报: the city leader issues a circular citing the case to 正定县; the county acknowledges and opens the PDF', async () => {
    const leader = await staff('sjz.leader');
    await menu(leader, '通报');
    await leader.getByRole('button', { name: '签发通报' }).click();
    const drawer = leader.getByRole('dialog').filter({ hasText: '签发通报' });
    await drawer.getByLabel('标题').fill('关于正定县及时追回农民工工资的表扬通报');
    await drawer.getByText('表扬通报', { exact: true }).click();
    await chooseMultiOption(leader, drawer.getByLabel('主送单位'), /^正定县$/, '正定县');
    await drawer.getByLabel('正文').fill('正定县住房和城乡建设局接到农民工讨薪信访后当日签收，三周内追回全部工资，信访人满意。\n请各县区学习借鉴。');
    await chooseMultiOption(leader, drawer.getByLabel('引用信访件'), c.caseNo, '拖欠农民工');
    await drawer.getByRole('button', { name: '签发', exact: true }).click();
    const issued = leader.getByRole('dialog').filter({ hasText: '石信通〔2026〕1号' });
    await issued.getByText('关于正定县及时追回农民工工资的表扬通报').waitFor();
    await issued.getByRole('link', { name: new RegExp(c.caseNo) }).waitFor();
    await issued.getByText('未签收').waitFor();

    // The county bureau: the circular waits for its receipt; it acknowledges and downloads the PDF.
    const county = await staff('zd.acceptor');
    await menu(county, '通报');
    const row = county.locator('tr', { hasText: '石信通〔2026〕1号' });
    await row.getByText('本单位待签收').waitFor();
    await row.getByText('关于正定县及时追回农民工工资的表扬通报').click();
    const d = county.getByRole('dialog').filter({ hasText: '石信通〔2026〕1号' });
    await d.getByRole('button', { name: '签收' }).click();
    await d.getByText(/^已签收/).waitFor();
    const [download] = await Promise.all([county.waitForEvent('download'), d.getByText(/下载 PDF/).click()]);
    const file = await download.path();
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    await county.keyboard.press('Escape');
    await row.getByText('本单位已签收').waitFor();

    // The issuer sees the receipt.
    await leader.reload();
    await leader.locator('tr', { hasText: '石信通〔2026〕1号' }).getByText('1 / 1 已签收').waitFor();
    await env.shot(county, 'circular-acknowledged');
  }, 60_000);
});
