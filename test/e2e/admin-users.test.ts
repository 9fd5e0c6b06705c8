/**
 * Account administration in Chromium (三员分立): the system admin creates a county handler, the
 * security admin grants the role, the new user logs in, must change the initial password and then
 * sees the county workbench; each admin sees only their own pages in the menu; the security log shows it all.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseSelectOption, chooseTreeNode, hasChromium, startBrowserEnv, type BrowserEnv } from '../support/browser.js';
import { demoPassword } from '../../src/services/seed.service.js';
import { totpAt } from '../../src/security/totp.js';

describe.skipIf(!hasChromium)('account administration in Chromium', () => {
  let env: BrowserEnv;
  const contexts: BrowserContext[] = [];
  const violations: string[] = [];
  beforeAll(async () => {
    env = await startBrowserEnv();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await env.close();
  });

  async function open(): Promise<Page> {
    const ctx = await env.newContext(1280);
    contexts.push(ctx);
    const page = await ctx.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text());
    });
    return page;
  }
  /** An admin's first login: password, then TOTP enrolment in the page. */
  async function adminLogin(username: string): Promise<Page> {
    const page = await open();
    await page.goto('/office/login');
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(demoPassword);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '启用动态口令' }).waitFor();
    const secret = (await page.locator('code').first().textContent())!.trim();
    await page.getByLabel('6 位动态口令').fill(totpAt(secret, env.t.ctx.clock.now()));
    await page.getByRole('button', { name: '启用' }).click();
    return page;
  }
  const menu = (page: Page) => page.getByRole('navigation', { name: '工作台队列' });

  it('the system admin creates a county handler, the security admin grants the role, the new user changes the password and works', async () => {
    // System admin: lands on 用户管理; the menu has no grant or log page.
    const admin = await adminLogin('zd.admin');
    await admin.getByRole('heading', { name: '用户管理' }).waitFor();
    expect(await menu(admin).getByRole('link', { name: '用户管理' }).count()).toBe(1);
    expect(await menu(admin).getByRole('link', { name: '角色授权' }).count()).toBe(0);
    expect(await menu(admin).getByRole('link', { name: '安全日志' }).count()).toBe(0);
    await admin.getByRole('button', { name: '新建账号' }).click();
    const dlg = admin.getByRole('dialog');
    // The form checks before anything is sent, and the server's field errors land under the fields.
    await dlg.getByRole('button', { name: '创建账号' }).click();
    await dlg.getByText('请选择单位').waitFor();
    await chooseTreeNode(admin, dlg.getByRole('combobox').first(), '正定县住房和城乡建设局');
    await dlg.getByLabel('姓名').fill('周明远');
    await dlg.getByLabel('用户名').fill('zd.zhoumy');
    await dlg.getByLabel('初始密码').fill('short');
    await dlg.getByRole('button', { name: '创建账号' }).click();
    await dlg.getByText('密码至少 8 位').waitFor();
    await dlg.getByLabel('初始密码').fill('Chushi@2026');
    await env.shot(admin, 'admin-users-create');
    await dlg.getByRole('button', { name: '创建账号' }).click();
    await admin.getByText('已创建账号 zd.zhoumy').waitFor();
    const row = admin.locator('tbody tr', { hasText: 'zd.zhoumy' });
    await row.getByText('未授予').waitFor();
    await row.getByText('待修改初始密码').waitFor();

    // Security admin: lands on 角色授权; grants 承办人.
    const sec = await adminLogin('zd.security_admin');
    await sec.getByRole('heading', { name: '角色授权' }).waitFor();
    expect(await menu(sec).getByRole('link', { name: '用户管理' }).count()).toBe(0);
    expect(await menu(sec).getByRole('link', { name: '安全日志' }).count()).toBe(1);
    // Their own row offers nothing to change.
    await sec.locator('tbody tr', { hasText: 'zd.security_admin' }).getByText('本人').waitFor();
    await sec.getByRole('button', { name: '设置 zd.zhoumy 的角色' }).click();
    await sec.getByRole('dialog').getByRole('checkbox', { name: '承办人' }).check();
    await env.shot(sec, 'admin-grants-dialog');
    await sec.getByRole('dialog').getByRole('button', { name: '保存' }).click();
    await sec.getByText('已设置 zd.zhoumy 的角色').waitFor();
    await sec.locator('tbody tr', { hasText: 'zd.zhoumy' }).getByText('承办人').waitFor();

    // The new user: initial password → must change → the county workbench.
    const user = await open();
    await user.goto('/office/login');
    await user.getByLabel('用户名').fill('zd.zhoumy');
    await user.getByLabel('密码').fill('Chushi@2026');
    await user.getByRole('button', { name: '登录' }).click();
    await user.getByRole('heading', { name: '修改初始密码' }).waitFor();
    await user.getByLabel('当前密码').fill('Chushi@2026');
    await user.getByLabel('新密码', { exact: true }).fill('Zhou@Mima2026');
    await user.getByLabel('确认新密码').fill('Zhou@Mima2027');
    await user.getByRole('button', { name: '修改密码' }).click();
    await user.getByText('两次输入的新密码不一致').waitFor();
    await user.getByLabel('确认新密码').fill('Zhou@Mima2026');
    await user.getByRole('button', { name: '修改密码' }).click();
    await menu(user).getByRole('link', { name: /待签收/ }).waitFor();
    await user.getByText('正定县住房和城乡建设局').first().waitFor();
    expect(await user.getByText('承办人').count()).toBeGreaterThan(0);
    expect(await menu(user).getByRole('link', { name: '用户管理' }).count()).toBe(0);
    expect(await menu(user).getByRole('link', { name: '角色授权' }).count()).toBe(0);
    await env.shot(user, 'admin-new-user-workbench');

    // The security log shows the creation, the grant and the password change; filtered by kind.
    await menu(sec).getByRole('link', { name: '安全日志' }).click();
    await sec.getByRole('heading', { name: '安全日志' }).waitFor();
    for (const kind of ['创建账号', '设置角色', '修改密码']) await sec.getByRole('cell', { name: kind }).first().waitFor();
    await sec.getByRole('cell', { name: '无 → 承办人' }).waitFor();
    await sec.getByLabel('类型').fill('设置角色');
    await chooseSelectOption(sec, sec.getByLabel('类型'), '设置角色');
    await sec.getByRole('button', { name: '查询' }).click();
    await sec.waitForFunction(() => {
      const kinds = [...document.querySelectorAll('tbody tr.ant-table-row td:nth-child(2)')].map((td) => td.textContent);
      return kinds.length > 0 && kinds.every((k) => k === '设置角色');
    });
    await env.shot(sec, 'admin-security-log');
    expect(violations).toEqual([]);
  }, 180_000);
});
