/** An admin enrols TOTP in the browser at first login, then logs in with the code (CSP and CSRF header in force). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, startBrowserEnv, type BrowserEnv } from '../support/browser.js';
import { demoPassword } from '../../src/services/seed.service.js';
import { totpAt } from '../../src/security/totp.js';

describe.skipIf(!hasChromium)('admin second factor in Chromium', () => {
  let env: BrowserEnv;
  beforeAll(async () => {
    env = await startBrowserEnv();
  });
  afterAll(async () => {
    await env.close();
  });

  it('enrols at first login, then needs the code; no CSP violation on the way', async () => {
    const ctx = await env.newContext(1280);
    const page = await ctx.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text());
    });
    await page.goto('/office/login');
    await page.getByLabel('用户名').fill('zd.admin');
    await page.getByLabel('密码').fill(demoPassword);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '启用动态口令' }).waitFor();
    const secret = (await page.locator('code').first().textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await page.getByLabel('6 位动态口令').fill(totpAt(secret, env.t.ctx.clock.now()));
    await page.getByRole('button', { name: '启用' }).click();
    await page.waitForURL(/\/office\/?$/);
    await ctx.close();

    // Next login: the password alone is answered with a request for the code.
    env.t.setNow(new Date(env.t.ctx.clock.now().getTime() + 30_000).toISOString());
    const ctx2 = await env.newContext(1280);
    const p2 = await ctx2.newPage();
    await p2.goto('/office/login');
    await p2.getByLabel('用户名').fill('zd.admin');
    await p2.getByLabel('密码').fill(demoPassword);
    await p2.getByRole('button', { name: '登录' }).click();
    await p2.getByLabel('动态口令').waitFor();
    await p2.getByLabel('动态口令').fill(totpAt(secret, env.t.ctx.clock.now()));
    await p2.getByRole('button', { name: '登录' }).click();
    await p2.waitForURL(/\/office\/?$/);
    const me = await p2.evaluate(async () => (await fetch('/api/me/security')).json() as Promise<{ totpEnabled: boolean }>);
    expect(me.totpEnabled).toBe(true);
    expect(violations).toEqual([]);
    await ctx2.close();
  });
});
