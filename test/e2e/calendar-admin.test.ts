/**
 * 工作日历 and 通知投递 in Chromium: an admin (with TOTP) imports next year's holidays from an .ics
 * file — previewing which case's due date moves — edits a single day, sees the change log; then
 * retries a message the outbox gave up on. A staff member without the permission sees neither page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { chooseSelectOption, hasChromium, startBrowserEnv, type BrowserEnv } from '../support/browser.js';
import { act, newCase } from '../support/harness.js';
import { demoPassword } from '../../src/services/seed.service.js';
import { totpAt } from '../../src/security/totp.js';
import { enqueue } from '../../src/store/outbox.repository.js';
import { inTransaction } from '../../src/store/tx.js';

const ics = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Xinfang e2e//CN',
  'BEGIN:VEVENT',
  'DTSTART;VALUE=DATE:20270104',
  'DTEND;VALUE=DATE:20270109',
  'SUMMARY:测试假期',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'DTSTART;VALUE=DATE:20270109',
  'DTEND;VALUE=DATE:20270110',
  'SUMMARY:调休上班',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

describe.skipIf(!hasChromium)('calendar and outbox administration in Chromium', () => {
  let env: BrowserEnv;
  const contexts: BrowserContext[] = [];
  let caseId = '';
  let caseNo = '';
  let secret = '';

  beforeAll(async () => {
    env = await startBrowserEnv('sqlite', { now: '2026-12-28T02:00:00Z' });
    const t = env.t;
    const c = await newCase(t);
    caseId = c.id;
    expect((await act(t, await t.staff('zd.acceptor'), caseId, 'accept')).statusCode).toBe(200);
    const row = await t.ctx.store.db.selectFrom('case_file').select(['seq_no', 'received_date', 'due_assign']).where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(row.due_assign).toBe('2027-01-04');
    caseNo = `XF${row.received_date.slice(0, 4)}-${String(row.seq_no).padStart(6, '0')}`;
    // prov.admin enrols its second factor through the API; the browser logs in with a code.
    const cookie = await t.staff('prov.admin');
    secret = (await t.request('POST', '/api/me/totp/setup', { cookie, body: {} })).json<{ secret: string }>().secret;
    expect((await t.request('POST', '/api/me/totp/enable', { cookie, body: { code: totpAt(secret, t.ctx.clock.now()) } })).statusCode).toBe(200);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await env.close();
  });

  async function login(username: string, totp: boolean): Promise<Page> {
    const ctx = await env.newContext(1280);
    contexts.push(ctx);
    const page = await ctx.newPage();
    await page.goto('/office/login');
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(demoPassword);
    await page.getByRole('button', { name: '登录' }).click();
    if (totp) {
      env.t.setNow(new Date(env.t.ctx.clock.now().getTime() + 31_000).toISOString());
      await page.getByLabel('动态口令').fill(totpAt(secret, env.t.ctx.clock.now()));
      await page.getByRole('button', { name: '登录' }).click();
    }
    await page.locator('h1', { hasText: '信访工作平台' }).waitFor();
    return page;
  }

  it('imports an .ics year with a preview of the moved due dates, edits one day, and lists the changes', async () => {
    const page = await login('prov.admin', true);
    await page.getByRole('link', { name: '工作日历' }).click();
    await page.getByRole('heading', { name: '工作日历' }).waitFor();

    // Import 2027 from an .ics file: preview first.
    await page.getByLabel('导入年份').fill('2027');
    await page.getByLabel('选择 .ics 文件').setInputFiles({ name: '2027节假日.ics', mimeType: 'text/calendar', buffer: Buffer.from(ics) });
    await page.getByRole('button', { name: '预览影响' }).click();
    const preview = page.getByLabel('调整预览');
    await preview.getByText('预览（尚未保存）：6 天的上班 / 放假状态改变，1 件在办信访件的期限将变动').waitFor();
    await preview.getByRole('link', { name: caseNo }).waitFor();
    await preview.getByText('交办转送：2027-01-04 → 2027-01-09').waitFor();
    expect(env.t.ctx.calendar.isCovered(2027)).toBe(false);
    await env.shot(page, 'calendar-admin-preview');
    await page.getByRole('button', { name: '确认导入' }).click();
    await preview.getByText(/^已保存/).waitFor();
    expect(env.t.ctx.calendar.isCovered(2027)).toBe(true);
    const moved = await env.t.ctx.store.db.selectFrom('case_file').select('due_assign').where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(moved.due_assign).toBe('2027-01-09');

    // The year's calendar: pick 2027 and set 8 January back to its default (a Friday: a workday).
    await chooseSelectOption(page, page.getByLabel('年份', { exact: true }), '2027 年');
    const jan8 = page.getByRole('button', { name: /^2027年1月8日 休息（放假） 测试假期/ });
    await jan8.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('调整 2027年1月8日').waitFor();
    await dialog.getByLabel('恢复默认').check();
    await dialog.getByRole('button', { name: '预览影响' }).click();
    await dialog.getByText('预览（尚未保存）：1 天的上班 / 放假状态改变，1 件在办信访件的期限将变动').waitFor();
    await dialog.getByRole('button', { name: '确认保存' }).click();
    await page.getByText('已保存：2027年1月8日，1 件在办信访件期限已重算').waitFor();
    await page.getByRole('button', { name: /^2027年1月8日 上班$/ }).waitFor();
    const again = await env.t.ctx.store.db.selectFrom('case_file').select('due_assign').where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(again.due_assign).toBe('2027-01-08');
    // The change log lists both, newest first.
    const log = page.locator('.ant-card', { hasText: '调整记录' });
    await log.getByRole('cell', { name: '单日调整', exact: true }).waitFor();
    await log.getByRole('cell', { name: '.ics 导入', exact: true }).waitFor();
    await env.shot(page, 'calendar-admin');
  }, 240_000);

  it('shows the messages the outbox gave up on, masked, and sends one again', async () => {
    const t = env.t;
    await inTransaction(t.ctx.store, async (tx) => {
      await enqueue(tx, { channel: 'email', recipientEnc: t.ctx.crypto.encrypt('petitioner@example.com'), template: 'case_accepted', payload: { caseNo, dueReply: '2027-02-26' }, caseId, at: t.ctx.clock.now().toISOString() });
    });
    const { id } = await t.ctx.store.db.selectFrom('outbox').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    await t.ctx.store.db.updateTable('outbox').set({ status: 'failed', attempts: 10, last_error: '550 mailbox petitioner@example.com unavailable' }).where('id', '=', id).execute();

    const page = await login('prov.admin', true);
    await page.getByRole('link', { name: '通知投递' }).click();
    await page.getByRole('heading', { name: '通知投递' }).waitFor();
    const row = page.getByRole('row', { name: new RegExp(`#${id}`) });
    await row.getByText('已放弃').waitFor();
    await row.getByText('受理告知').waitFor();
    await row.getByText('550 mailbox pe***@example.com unavailable').waitFor();
    expect(await page.getByText('petitioner@example.com').count()).toBe(0);
    await row.getByRole('button', { name: `重新发送通知 #${id}` }).click();
    await page.getByText(`通知 #${id} 已重新排队发送`).waitFor();
    const after = await t.ctx.store.db.selectFrom('outbox').select(['status', 'attempts']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(after).toEqual({ status: 'pending', attempts: 0 });
    await page.getByText('待发送 / 重试中').click();
    await page.getByRole('row', { name: new RegExp(`#${id}`) }).getByText('待发送').waitFor();
  }, 180_000);

  it('a staff member without the permission sees neither page', async () => {
    const page = await login('zd.acceptor', false);
    await page.locator('h2').first().waitFor();
    expect(await page.getByRole('link', { name: '工作日历' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: '通知投递' }).count()).toBe(0);
    await page.goto('/office/admin/calendar');
    await page.getByText('您的角色无权进行此操作').first().waitFor();
    expect(await page.getByRole('button', { name: /^2027年1月8日/ }).count()).toBe(0);
  }, 180_000);
});
