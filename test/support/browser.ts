/**
 * Browser tests: the real server listening on 127.0.0.1 (fresh SQLite database, demo staff) and
 * Debian's Chromium driven by playwright-core. Without /usr/bin/chromium the suites are skipped
 * with a message saying so.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { beforeEach } from 'vitest';
import { startTestApp, type DbKind, type TestApp } from './harness.js';
import { demoPassword } from '../../src/services/seed.service.js';

export const chromiumPath = process.env.XINFANG_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = fs.existsSync(chromiumPath);
if (!hasChromium) console.warn(`浏览器测试已跳过：未找到 Chromium（${chromiumPath}）。请安装 Debian 的 chromium 软件包。`);

/** Screenshots and traces of browser tests land here. */
export const outputDir = path.resolve('test-output/screenshots');

export interface BrowserEnv {
  t: TestApp;
  baseUrl: string;
  browser: Browser;
  /** A fresh browser context (its own cookies) at a phone or desktop width. */
  newContext(width?: 360 | 1280): Promise<BrowserContext>;
  /** Saves a full-page screenshot under test-output/screenshots/<name>-<width>.png. */
  shot(page: Page, name: string): Promise<void>;
  /** A staff member logged in through /office/login in a context of their own, on their first office page. */
  staffPage(username: string, width?: 360 | 1280): Promise<Page>;
  close(): Promise<void>;
}

/** Browsers of this test file, so a failing test leaves screenshots of every open page behind. */
const liveBrowsers = new Set<Browser>();
beforeEach((ctx) => {
  ctx.onTestFailed(async () => {
    const slug = ctx.task.name.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 60);
    let n = 0;
    for (const b of liveBrowsers)
      for (const c of b.contexts())
        for (const p of c.pages()) {
          n += 1;
          await p.screenshot({ path: path.join(outputDir, `FAILED-${slug}-${n}.png`), fullPage: true }).catch(() => undefined);
        }
  });
});

/**
 * Picks an option of an antd Select. A click that lands while the list is still animating open can
 * be lost and the list then stays open over the next field, so click again until the list has
 * closed on the choice.
 */
export async function chooseSelectOption(page: Page, trigger: Locator, option: string): Promise<void> {
  await trigger.click();
  const item = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: option }).first();
  for (let attempt = 0; ; attempt++) {
    await item.click();
    try {
      await item.waitFor({ state: 'hidden', timeout: 3000 });
      return;
    } catch (err) {
      if (attempt >= 2) throw err;
    }
  }
}

/**
 * Picks a node of an antd TreeSelect (the unit picker) and waits until the field shows it: a click
 * during the opening animation can be lost, so open and click again until the choice has taken.
 */
export async function chooseTreeNode(page: Page, trigger: Locator, title: string): Promise<void> {
  const field = trigger.locator('xpath=ancestor::*[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]');
  for (let attempt = 0; ; attempt++) {
    await trigger.click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-tree-title', { hasText: title }).first().click();
    try {
      await field.getByText(title, { exact: true }).waitFor({ timeout: 3000 });
      return;
    } catch (err) {
      if (attempt >= 2) throw err;
    }
  }
}

/**
 * Adds an option to an antd multiple Select. Its list stays open after a choice, so the choice is
 * confirmed by its tag in the field (a click lost during the opening animation is made again), and
 * the list is closed with Escape. `search` is typed first when the options come from a search.
 */
export async function chooseMultiOption(page: Page, trigger: Locator, option: string | RegExp, search?: string): Promise<void> {
  const field = trigger.locator('xpath=ancestor::*[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]');
  const tag = field.locator('.ant-select-selection-item', { hasText: option });
  for (let attempt = 0; ; attempt++) {
    await trigger.click();
    if (search !== undefined) await trigger.fill(search);
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: option }).first().click();
    try {
      await tag.first().waitFor({ timeout: 3000 });
      break;
    } catch (err) {
      if (attempt >= 2) throw err;
    }
  }
  await page.keyboard.press('Escape');
}

export async function startBrowserEnv(kind: DbKind = 'sqlite', opts: { now?: string; env?: Record<string, string> } = {}): Promise<BrowserEnv> {
  const t = await startTestApp(kind, opts);
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  fs.mkdirSync(outputDir, { recursive: true });
  liveBrowsers.add(browser);
  const env: BrowserEnv = {
    t,
    baseUrl: address,
    browser,
    async newContext(width = 360) {
      return browser.newContext({
        baseURL: address,
        viewport: width === 360 ? { width: 360, height: 780 } : { width: 1280, height: 900 },
        locale: 'zh-CN',
        permissions: ['clipboard-read', 'clipboard-write'],
        ...(width === 360 ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
      });
    },
    async shot(page, name) {
      const w = page.viewportSize()?.width ?? 0;
      await page.screenshot({ path: path.join(outputDir, `${name}-${w}.png`), fullPage: true });
    },
    async staffPage(username, width = 1280) {
      const ctx = await env.newContext(width);
      const page = await ctx.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto('/office/login');
      await page.getByLabel('用户名').fill(username);
      await page.getByLabel('密码').fill(demoPassword);
      await page.getByRole('button', { name: '登录' }).click();
      await page.waitForURL(/\/office\/(queue|all)/);
      await page.locator('h2').first().waitFor();
      return page;
    },
    async close() {
      liveBrowsers.delete(browser);
      await browser.close();
      await t.close();
    },
  };
  return env;
}
