/**
 * 统计分析 in Chromium: a province supervisor answers "which county answered worst on time last
 * quarter, about what, and which cases" in three clicks — 上季度, the county on top of the ranking,
 * the misses of its worst category, whose cases open in a drawer; a county supervisor's numbers and
 * cases stay within its county; and a handler (no stats.read) gets no statistics.
 *
 * Fixture (Q1 2026, seen on 2026-04-10): 正定县 A labour, B labour, C construction accepted and
 * assigned 01-05 (reply due 03-06); A and C answered 02-10, B never → 正定 on time 2/3, labour 1/2.
 * 长安区 D labour never handled (no reply due yet counted: not accepted, no reply clock).
 */
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, startBrowserEnv, type BrowserEnv } from '../support/browser.js';
import { act, newCase } from '../support/harness.js';
import { demoPassword } from '../../src/services/seed.service.js';

describe.skipIf(!hasChromium)('statistics in Chromium', () => {
  let env: BrowserEnv;
  const contexts: BrowserContext[] = [];
  const titles = { A: '工地拖欠木工工资三个月', B: '物流公司拖欠搬运工工资', C: '小区电梯长期故障无人修', D: '公交线路取消出行困难' };

  beforeAll(async () => {
    env = await startBrowserEnv('sqlite', { now: '2026-01-05T02:00:00Z' });
    const t = env.t;
    const ids: Record<string, string> = {};
    ids.A = (await newCase(t, { categoryCode: 'labour', title: titles.A })).id;
    ids.B = (await newCase(t, { categoryCode: 'labour', title: titles.B })).id;
    ids.C = (await newCase(t, { categoryCode: 'construction', title: titles.C })).id;
    ids.D = (await newCase(t, { categoryCode: 'labour', regionCode: '130102', title: titles.D })).id;
    const ok = async (user: string, id: string, action: string, body: Record<string, unknown> = {}) => {
      const r = await act(t, await t.staff(user), id, action, body);
      expect(r.statusCode, `${user} ${action} ${r.body}`).toBe(200);
    };
    for (const k of ['A', 'B', 'C']) {
      await ok('zd.acceptor', ids[k]!, 'accept');
      await ok('zd.dispatcher', ids[k]!, 'assign', { unitId: '130123-zj' });
      await ok('zd.handler', ids[k]!, 'sign');
    }
    t.setNow('2026-02-10T02:00:00Z');
    for (const k of ['A', 'C']) await ok('zd.handler', ids[k]!, 'reply', { text: '经核查，已责令有关单位限期整改，特此答复。' });
    t.setNow('2026-04-10T02:00:00Z');
  }, 180_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await env?.close();
  });

  /**
   * Clicks a number and returns the drawer of its cases; a click lost while the table re-renders
   * (a request of the page answering) is made again.
   */
  async function openDrawer(page: Page, number: Locator, title: string): Promise<Locator> {
    const drawer = page.locator('.ant-drawer-section').filter({ has: page.locator('.ant-drawer-title', { hasText: title }) });
    for (let attempt = 0; ; attempt++) {
      await number.click();
      try {
        await drawer.waitFor({ timeout: 5000 });
        return drawer;
      } catch (err) {
        if (attempt >= 2) throw err;
      }
    }
  }

  /** The titles of the cases the drawer lists once loaded, sorted. */
  async function drawerTitles(drawer: Locator): Promise<string[]> {
    if ((await drawer.locator('.ant-spin-spinning').count()) > 0) return [];
    const titleCells = drawer.locator('tbody tr.ant-table-row td:nth-child(2)');
    return (await titleCells.allTextContents()).map((x) => x.trim()).sort();
  }

  async function staff(username: string): Promise<Page> {
    const ctx = await env.newContext(1280);
    contexts.push(ctx);
    // The browser's "last quarter" follows its own clock: the same day as the server's.
    await ctx.clock.setFixedTime(new Date('2026-04-10T10:00:00+08:00'));
    const page = await ctx.newPage();
    await page.goto('/office/login');
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(demoPassword);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/office\/(queue|all)/);
    return page;
  }

  it('which county answered worst on time last quarter, about what, and which cases: three clicks', async () => {
    const page = await staff('prov.supervisor');
    await page.getByRole('link', { name: '统计分析' }).click();
    await page.getByRole('heading', { name: '统计分析' }).waitFor();
    const ranking = page.locator('.ant-card').filter({ hasText: '地区排名（按期办结率由低到高' });
    await ranking.locator('tbody tr.ant-table-row').first().waitFor();

    // 1: last quarter.
    await page.locator('.ant-radio-button-wrapper', { hasText: '上季度' }).click();
    await expect.poll(() => page.locator('.ant-picker-range input').first().inputValue()).toBe('2026-01-01');
    expect(await page.locator('.ant-picker-range input').nth(1).inputValue()).toBe('2026-03-31');
    // Counties ranked by on-time rate, worst first: 正定县 2/3.
    const first = ranking.locator('tbody tr.ant-table-row').first();
    await expect.poll(() => first.textContent()).toContain('(2/3)');
    expect(await first.textContent()).toContain('正定县');
    expect(await first.textContent()).toContain('66.7%');

    // 2: the county → its categories, worst first.
    await first.getByText('正定县', { exact: true }).click();
    const focus = page.locator('.ant-card').filter({ hasText: '正定县 · 问题类别' });
    await focus.locator('tbody tr.ant-table-row').first().waitFor();
    const worst = focus.locator('tbody tr.ant-table-row').first();
    expect(await worst.textContent()).toContain('劳动和社会保障');
    expect(await worst.textContent()).toContain('(1/2)');

    // 3: the misses of that category → the cases behind the number: B only (A was answered on time).
    const drawer = await openDrawer(page, worst.getByLabel('劳动和社会保障 按期办结率未达标的信访件'), '劳动和社会保障 · 按期办结率');
    await expect.poll(() => drawerTitles(drawer)).toEqual([titles.B]);
    await drawer.getByText('共 1 件').waitFor();
    // Its denominator: both labour cases of 正定县 whose reply fell due last quarter, not 长安区's.
    await drawer.locator('.ant-segmented-item', { hasText: '应计（分母）' }).click();
    await expect.poll(() => drawerTitles(drawer)).toEqual([titles.A, titles.B].sort());
    await env.shot(page, 'stats-worst-county');

    // The hotspot panel is on the dashboard too.
    await page.locator('.ant-card').filter({ hasText: '热点 / 群体性苗头' }).first().waitFor();
  });

  it('a county supervisor drills down only to the cases of its county', async () => {
    const page = await staff('zd.supervisor');
    await page.getByRole('link', { name: '统计分析' }).click();
    await page.getByRole('heading', { name: '统计分析' }).waitFor();
    await page.locator('.ant-radio-button-wrapper', { hasText: '上季度' }).click();
    await expect.poll(() => page.locator('.ant-picker-range input').first().inputValue()).toBe('2026-01-01');
    const volume = page.locator('.ant-card-hoverable').filter({ has: page.locator('.ant-statistic-title', { hasText: /^信访总量$/ }) });
    await expect.poll(() => volume.locator('.ant-statistic-content').textContent()).toBe('3');
    // The ranking holds its own county only.
    const ranking = page.locator('.ant-card').filter({ hasText: '地区排名（按期办结率由低到高' });
    await expect.poll(() => ranking.locator('tbody tr.ant-table-row').allTextContents()).toHaveLength(1);
    expect(await ranking.locator('tbody tr.ant-table-row').first().textContent()).toContain('正定县');
    // The total → its cases: A, B and C; not 长安区's D.
    const drawer = await openDrawer(page, volume, '合计 · 信访总量');
    await expect.poll(() => drawerTitles(drawer)).toEqual([titles.A, titles.B, titles.C].sort());
    await drawer.getByText('共 3 件').waitFor();
  });

  it('the province supervisor drills down to the cases of every county', async () => {
    const page = await staff('prov.supervisor');
    await page.getByRole('link', { name: '统计分析' }).click();
    await page.locator('.ant-radio-button-wrapper', { hasText: '上季度' }).click();
    await expect.poll(() => page.locator('.ant-picker-range input').first().inputValue()).toBe('2026-01-01');
    const volume = page.locator('.ant-card-hoverable').filter({ has: page.locator('.ant-statistic-title', { hasText: /^信访总量$/ }) });
    await expect.poll(() => volume.locator('.ant-statistic-content').textContent()).toBe('4');
    const drawer = await openDrawer(page, volume, '合计 · 信访总量');
    await expect.poll(() => drawerTitles(drawer)).toEqual([titles.A, titles.B, titles.C, titles.D].sort());
  });

  it('a handler has no statistics', async () => {
    const page = await staff('zd.handler');
    expect(await page.getByRole('link', { name: '统计分析' }).count()).toBe(0);
    await page.goto('/office/stats');
    await page.getByText('您的角色不能查看统计').first().waitFor();
  });
});
