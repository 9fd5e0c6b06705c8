/**
 * The staff office in Chromium, issue #4's remaining pieces: a registrar enters a 来信 with a
 * scanned letter and hands over the query code on a printable receipt, and the citizen tracks it;
 * an acceptor publishes a consented, replied case on 阳光信访 and withdraws it; staff split a
 * repeat message into a case of its own.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseSelectOption, hasChromium, startBrowserEnv, type BrowserEnv } from '../support/browser.js';
import { act, newCase, newCaseBody } from '../support/harness.js';

const scannedLetter = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n', 'latin1');

describe.skipIf(!hasChromium)('office: entry of letters, 阳光信访 publication and split in Chromium', () => {
  let env: BrowserEnv;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    env = await startBrowserEnv('sqlite', { env: { XINFANG_REPEAT_THRESHOLD: '0.4' } });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await env?.close();
  });

  async function staff(username: string): Promise<Page> {
    const page = await env.staffPage(username);
    page.setDefaultTimeout(30_000);
    return page;
  }

  it('a registrar enters a 来信 with its scan, gets the query code and a printable receipt; the citizen tracks it', async () => {
    const page = await staff('zd.registrar');
    await page.locator('nav[aria-label="工作台队列"]').getByRole('link', { name: '登记来信/来访/来电' }).click();
    await page.getByRole('heading', { level: 2, name: '登记来信/来访/来电' }).waitFor();

    // Validation in Chinese before anything is sent: a letter without phone needs an address; a bad ID number is flagged.
    await page.getByRole('button', { name: '登记并生成查询码' }).click();
    await page.getByText('请填写信访人姓名').waitFor();
    await page.getByText('来信未留手机号码的，须登记通信地址，以便邮寄告知书').waitFor();
    await page.getByLabel('身份证号码（选填）').fill('130123198001011235');
    await page.getByText('身份证号码校验位不正确（按 GB 11643 校验，请核对证件）').waitFor();
    await page.getByLabel('身份证号码（选填）').fill('');
    // Visits and calls need a phone.
    await page.getByText('来访', { exact: true }).click();
    await page.getByRole('button', { name: '登记并生成查询码' }).click();
    await page.getByText('来访、来电须登记手机号码，用于短信告知查询码').waitFor();
    await page.getByText('来信', { exact: true }).click();

    const title = '村道被施工车辆压坏无人修复';
    await page.getByLabel('姓名', { exact: true }).fill('赵桂兰');
    await page.getByLabel('手机号码（选填）').fill('13812340001');
    await page.getByLabel('通信地址（选填）').fill('正定县新城铺镇东村 12 号');
    await chooseSelectOption(page, page.getByLabel('问题类别'), '城乡建设');
    await page.getByLabel('标题').fill(title);
    await page.getByLabel('诉求内容').fill('来信反映：去年冬天修路的施工车辆把东村村道压出多处大坑，至今无人修复，雨天积水，村民出行困难，请求督促修复。');
    await page.locator('input[type="file"]').setInputFiles({ name: '来信扫描件.pdf', mimeType: 'application/pdf', buffer: scannedLetter });
    await page.getByText('来信扫描件.pdf').waitFor();
    await page.getByLabel('信访人同意在“阳光信访”公开本件（去除个人信息后）').check();
    // The letter also denounces two units: both are named, neither will see the case.
    await page.getByLabel('检举揭发（不会交给或让被检举单位看到）').check();
    const accused = page.getByRole('combobox', { name: '被检举单位' });
    for (const unit of ['正定县住房和城乡建设局', '正定县交通运输局']) {
      const field = accused.locator('xpath=ancestor::*[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]');
      for (let attempt = 0; ; attempt++) {
        await accused.click();
        await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-tree-title', { hasText: unit }).first().click();
        try {
          await field.getByText(unit, { exact: true }).waitFor({ timeout: 3000 });
          break;
        } catch (err) {
          if (attempt >= 2) throw err;
        }
      }
      await page.keyboard.press('Escape');
    }
    await env.shot(page, 'office-entry-form');
    await page.getByRole('button', { name: '登记并生成查询码' }).click();

    await page.getByRole('heading', { level: 2, name: '已登记来信' }).waitFor();
    const code = (await page.getByTestId('entry-query-code').textContent())!.trim();
    const caseNo = (await page.getByTestId('entry-case-no').textContent())!.trim();
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    expect(caseNo).toMatch(/^XF2026-\d{6}$/);
    await page.getByText(/查询码已通过短信发送至信访人手机 138\*\*\*\*0001/).waitFor();
    const receipt = page.getByRole('region', { name: '登记回执' });
    expect(await receipt.textContent()).toContain('正定县信访局');
    expect(await receipt.textContent()).toContain('如何查询');
    expect(await page.getByTestId('entry-track-url').textContent()).toBe(`${env.t.ctx.config.publicBaseUrl}/track`);
    const row = await env.t.ctx.store.db.selectFrom('case_file').select(['is_denunciation', 'accused_unit_ids']).where('title', '=', title).executeTakeFirstOrThrow();
    expect(row.is_denunciation).toBe(1);
    expect((JSON.parse(row.accused_unit_ids) as string[]).map((p) => p.split('/').filter(Boolean).pop()).sort()).toEqual(['130123-jt', '130123-zj']);
    await env.shot(page, 'office-entry-done');

    // 打印回执 prints the receipt alone.
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => {
        (window as unknown as { printed: number }).printed++;
      };
    });
    await page.getByRole('button', { name: '打印回执' }).click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.xf-receipt').evaluate((e) => getComputedStyle(e).visibility)).toBe('visible');
    expect(await page.locator('header').first().evaluate((e) => getComputedStyle(e).visibility)).toBe('hidden');
    await env.shot(page, 'office-entry-receipt-print');
    await page.emulateMedia({ media: 'screen' });

    // The staff case page shows the channel and the scanned letter.
    await page.getByRole('button', { name: '查看信访件' }).click();
    await page.getByRole('heading', { level: 2, name: title }).waitFor();
    await page.getByText('来信扫描件.pdf').waitFor();

    // The citizen tracks it on the portal with the code from the receipt.
    const citizenCtx = await env.newContext(360);
    contexts.push(citizenCtx);
    const citizen = await citizenCtx.newPage();
    await citizen.goto('/track');
    await citizen.getByLabel('查询码', { exact: true }).fill(code);
    await citizen.getByRole('button', { name: '查询办理进度' }).click();
    await citizen.waitForURL(new RegExp(`/track/${code}$`));
    await citizen.getByRole('heading', { name: title }).waitFor();
    expect(await citizen.locator('.xf-state-tag').textContent()).toBe('待受理');
    expect(await citizen.locator('main').textContent()).not.toContain('东村 12 号');
  }, 180_000);

  it('an acceptor publishes a consented, replied case on 阳光信访 from the case page, and withdraws it with a reason', async () => {
    const t = env.t;
    const title = '小区门口下水道堵塞反复外溢';
    const { id } = await newCase(t, { categoryCode: 'construction', title, content: '城关镇阳光小区门口下水道堵塞，污水反复外溢，气味难闻，请求有关部门尽快疏通。', publicConsent: true });
    const [acceptor, dispatcher, handler] = await Promise.all([t.staff('zd.acceptor'), t.staff('zd.dispatcher'), t.staff('zd.handler')]);
    expect((await act(t, acceptor, id, 'accept')).statusCode).toBe(200);
    expect((await act(t, dispatcher, id, 'assign', { unitId: '130123-zj' })).statusCode).toBe(200);
    expect((await act(t, handler, id, 'sign')).statusCode).toBe(200);
    expect((await act(t, handler, id, 'reply', { text: '经现场核查，已安排市政养护单位疏通下水道并更换破损管道，今后将定期巡查。' })).statusCode).toBe(200);

    const page = await staff('zd.acceptor');
    await page.goto(`/office/cases/${id}`);
    await page.getByRole('heading', { level: 2, name: title }).waitFor();
    const panel = page.getByTestId('sunshine-panel');
    await panel.getByText('同意', { exact: true }).waitFor();
    await panel.getByText('未公开').waitFor();
    await panel.getByRole('button', { name: '预览并公开' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByLabel('公开标题').inputValue()).toBe(title);
    expect(await dialog.getByLabel('答复内容（去除个人信息）').inputValue()).toContain('疏通下水道');
    // A phone number typed into the text is caught by the server and shown under the field.
    await dialog.getByLabel('诉求内容（去除个人信息）').fill('城关镇阳光小区门口下水道堵塞，联系电话 13912345678，请求疏通。');
    await dialog.getByRole('button', { name: '确认公开' }).click();
    await dialog.getByText('仍含有电话号码，请删除后再公开').waitFor();
    await dialog.getByText('公开的内容仍含有个人信息，请删除后再公开').waitFor();
    await dialog.getByLabel('诉求内容（去除个人信息）').fill('城关镇阳光小区门口下水道堵塞，污水反复外溢，请求有关部门尽快疏通。');
    await env.shot(page, 'office-publish');
    await dialog.getByRole('button', { name: '确认公开' }).click();
    await panel.getByText('已公开（第 1 版）').waitFor();

    const anon = await (async () => {
      const c = await env.newContext(1280);
      contexts.push(c);
      return c.newPage();
    })();
    await anon.goto('/sunshine');
    await anon.getByRole('heading', { name: title }).waitFor();

    // Withdrawal needs a reason; then the case leaves the public page.
    await panel.getByRole('button', { name: '撤回公开' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确认撤回' }).click();
    await page.getByText('请填写撤回理由').waitFor();
    await page.getByRole('dialog').getByLabel('撤回理由').fill('信访人来电撤回公开同意');
    await page.getByRole('dialog').getByRole('button', { name: '确认撤回' }).click();
    await panel.getByText('已撤回').waitFor();
    // The public list is cacheable for a minute: ask the server, and look with a fresh browser.
    expect((await t.request('GET', '/api/public/sunshine')).body).not.toContain(title);
    const fresh = await env.newContext(1280);
    contexts.push(fresh);
    const anon2 = await fresh.newPage();
    await anon2.goto('/sunshine');
    await anon2.locator('.xf-figures').waitFor();
    await anon2.locator('h2', { hasText: '公开案例' }).first().waitFor();
    expect(await anon2.getByRole('heading', { name: title }).count()).toBe(0);

    // No consent: the panel says so and offers no publishing; a registrar has no panel at all.
    const other = await newCase(t, { title: '未同意公开的信访件', publicConsent: false });
    await page.goto(`/office/cases/${other.id}`);
    await page.getByRole('heading', { level: 2, name: '未同意公开的信访件' }).waitFor();
    await panel.getByText('未同意', { exact: true }).waitFor();
    expect(await panel.getByRole('button', { name: '预览并公开' }).count()).toBe(0);
    const registrar = await staff('zd.registrar');
    await registrar.goto(`/office/cases/${id}`);
    await registrar.getByRole('heading', { level: 2, name: title }).waitFor();
    expect(await registrar.getByTestId('sunshine-panel').count()).toBe(0);
  }, 180_000);

  it('staff split a repeat message into a case of its own; a registrar sees no split button', async () => {
    const t = env.t;
    const c = await t.citizen();
    const first = { categoryCode: 'construction', title: '小区电梯长期故障无人维修', content: '城南花园五号楼电梯从去年十月起频繁故障停运，物业公司以维修资金不足为由拒绝维修，楼里住着多位八十岁以上老人，请住建局督促物业尽快修复电梯。' };
    const again = { categoryCode: 'construction', title: '城南花园五号楼电梯坏了不修', content: '城南花园五号楼的电梯自去年十月老是坏，物业说没有维修资金不给修，楼里好几位八十多岁的老人下不了楼，请督促物业把电梯修好。' };
    const r1 = await t.request('POST', '/api/cases', { cookie: c.cookie, body: newCaseBody(first) });
    expect(r1.statusCode, r1.body).toBe(201);
    const id = r1.json<{ id: string }>().id;
    const r2 = await t.request('POST', '/api/cases', { cookie: c.cookie, body: newCaseBody({ ...again, repeatDecision: 'same' }) });
    expect(r2.statusCode, r2.body).toBe(200);

    const registrar = await staff('zd.registrar');
    await registrar.goto(`/office/cases/${id}`);
    await registrar.getByText('重复反映（信访人称同一事项）').waitFor();
    expect(await registrar.getByRole('button', { name: '拆分为新信访件' }).count()).toBe(0);

    const page = await staff('zd.acceptor');
    await page.goto(`/office/cases/${id}`);
    await page.getByRole('heading', { level: 2, name: first.title }).waitFor();
    await page.getByRole('button', { name: '拆分为新信访件' }).click();
    await page.locator('.ant-modal-confirm-title', { hasText: '将这条重复反映拆分为新的信访件？' }).waitFor();
    await env.shot(page, 'office-split-confirm');
    await page.getByRole('button', { name: '拆分为新件' }).click();
    await page.getByText(/已另立新件 XF2026-\d{6}，查询码已短信告知信访人/).waitFor();
    await page.getByText(/已另立为信访件 XF2026-\d{6} 办理/).first().waitFor();
    expect(await page.getByRole('button', { name: '拆分为新信访件' }).count()).toBe(0);
    await page.getByText('打开新件').click();
    await page.getByRole('heading', { level: 2, name: again.title }).waitFor();
    await page.getByText(/由信访件 XF2026-\d{6} 中信访人补充反映的内容拆分/).first().waitFor();
    await env.shot(page, 'office-split-new-case');
  }, 180_000);
});
