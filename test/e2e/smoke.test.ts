import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, startBrowserEnv, type BrowserEnv } from '../support/browser.js';

describe.skipIf(!hasChromium)('web shell in Chromium', () => {
  let env: BrowserEnv;
  beforeAll(async () => {
    env = await startBrowserEnv();
  });
  afterAll(async () => {
    await env.close();
  });

  it('serves the portal at / and the office at /office as one SPA', async () => {
    const ctx = await env.newContext(360);
    const page = await ctx.newPage();
    await page.goto('/');
    await page.locator('h1').first().waitFor();
    expect(await page.locator('h1').first().textContent()).toContain('信访');
    await page.goto('/office');
    await page.locator('h1').first().waitFor();
    expect(await page.locator('h1').first().textContent()).toContain('信访');
    await ctx.close();
  });
});
