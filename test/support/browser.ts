/**
 * Browser tests: the real server listening on 127.0.0.1 (fresh SQLite database, demo staff) and
 * Debian's Chromium driven by playwright-core. Without /usr/bin/chromium the suites are skipped
 * with a message saying so.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { startTestApp, type DbKind, type TestApp } from './harness.js';

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
  close(): Promise<void>;
}

export async function startBrowserEnv(kind: DbKind = 'sqlite', opts: { now?: string; env?: Record<string, string> } = {}): Promise<BrowserEnv> {
  const t = await startTestApp(kind, opts);
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  fs.mkdirSync(outputDir, { recursive: true });
  return {
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
    async close() {
      await browser.close();
      await t.close();
    },
  };
}
