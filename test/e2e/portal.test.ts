/**
 * The citizen portal in Chromium at phone (360 px) and desktop (1280 px) widths: register, submit
 * with a photo, copy the query code, track it from another browser; a joint case; evaluation and
 * review after a staff reply made through the API; 长辈模式; a network loss mid-submit; page weight.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { hasChromium, outputDir, startBrowserEnv, type BrowserEnv } from '../support/browser.js';
import { act, newCaseBody } from '../support/harness.js';
import { makeIdNumber } from '../../src/domain/id-number.js';

// A valid 1×1 PNG, as a phone camera would hand over a JPEG: the server checks the magic bytes.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

let seq = 0;
function person() {
  seq++;
  const n = (process.pid % 10000) * 100 + seq;
  return {
    name: '李秀英',
    idNumber: makeIdNumber('130102', '19560308', String(seq).padStart(3, '0')),
    phone: `136${String(n).padStart(8, '0')}`,
    password: 'Xiuying@2026',
  };
}

interface MyCase {
  id: string;
  queryCode: string;
  state: string;
  evaluation: string | null;
  coPetitioners: { name: string; representative?: boolean }[];
  attachments: { filename: string; purpose: string }[];
}

describe.skipIf(!hasChromium)('citizen portal in Chromium', () => {
  let env: BrowserEnv;
  let pngPath: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    env = await startBrowserEnv();
    pngPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xf-e2e-')), '现场照片.png');
    fs.writeFileSync(pngPath, png);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await env?.close();
  });

  async function context(width: 360 | 1280 = 360): Promise<BrowserContext> {
    const c = await env.newContext(width);
    contexts.push(c);
    return c;
  }

  /** A context logged in as a fresh citizen registered through the API. */
  async function citizenContext(width: 360 | 1280 = 360) {
    const c = await context(width);
    const citizen = await env.t.citizen();
    await c.addCookies([{ name: 'xf_session', value: citizen.cookie.replace(/^xf_session=/, ''), url: env.baseUrl }]);
    return { c, citizen };
  }

  async function myCases(page: Page): Promise<{ id: string; queryCode: string }[]> {
    const r = await page.request.get('/api/my/cases');
    expect(r.status()).toBe(200);
    return ((await r.json()) as { items: { id: string; queryCode: string }[] }).items;
  }

  async function myCase(page: Page, id: string): Promise<MyCase> {
    const r = await page.request.get(`/api/my/cases/${id}`);
    expect(r.status()).toBe(200);
    return (await r.json()) as MyCase;
  }

  /** No horizontal scrolling at phone width. */
  async function expectFits(page: Page) {
    const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
    expect(scroll, `page ${page.url()} is wider than the screen`).toBeLessThanOrEqual(width + 1);
  }

  /** Every visible form control has an accessible name (label, aria-label or aria-labelledby). */
  async function expectLabelled(page: Page) {
    const unnamed = await page.evaluate(() => {
      const out: string[] = [];
      for (const el of Array.from(document.querySelectorAll<HTMLElement>('input, textarea, select, button, [role="combobox"], [role="switch"]'))) {
        const style = getComputedStyle(el);
        const hiddenInput = el instanceof HTMLInputElement && el.type === 'hidden';
        if (hiddenInput || style.display === 'none' || style.visibility === 'hidden' || el.closest('[aria-hidden="true"]')) continue;
        const labels = (el as HTMLInputElement).labels;
        const labelledBy = el.getAttribute('aria-labelledby');
        const named =
          (labels && Array.from(labels).some((l) => l.textContent?.trim())) ||
          el.getAttribute('aria-label')?.trim() ||
          (labelledBy && labelledBy.split(' ').some((id) => document.getElementById(id)?.textContent?.trim())) ||
          el.getAttribute('title')?.trim() ||
          (el.tagName === 'BUTTON' && el.textContent?.trim());
        if (!named) out.push(el.outerHTML.slice(0, 160));
      }
      return out;
    });
    expect(unnamed, `unlabelled controls on ${page.url()}`).toEqual([]);
  }

  async function selectOption(page: Page, label: string | RegExp, option: string) {
    await page.getByLabel(label, { exact: true }).selectOption({ label: option });
  }

  async function pickRegion(page: Page, city = '石家庄市', county = '正定县') {
    await selectOption(page, /^问题发生地：市/, city);
    await selectOption(page, '问题发生地：县（市、区）', county);
  }

  async function fillCase(page: Page, o: { title: string; content?: string; attach?: boolean }) {
    await page.getByRole('heading', { name: '向谁反映' }).waitFor();
    await selectOption(page, '问题类别', '劳动和社会保障');
    await pickRegion(page);
    await page.getByLabel('详细地址（选填）').fill('正定县城关镇常山路 1 号');
    await page.getByLabel('标题').fill(o.title);
    await page.getByLabel('具体内容').fill(o.content ?? '本人在正定县某建筑工地务工三个月，工资一万二千元至今未付，多次讨要无果，请求处理。');
    if (o.attach) {
      await page.getByTestId('attach-files').setInputFiles(pngPath);
      await page.locator('.xf-file', { hasText: '现场照片.png' }).waitFor();
    }
  }

  async function submitAndWaitForReceipt(page: Page): Promise<string> {
    await page.getByRole('button', { name: '提交信访件' }).click();
    await page.waitForURL(/\/submitted\//);
    const code = page.getByTestId('query-code');
    await code.waitFor();
    return ((await code.textContent()) ?? '').trim();
  }

  it('a citizen registers (with field errors from client and server), submits with a photo, copies the code; another browser tracks it', async () => {
    const c = await context(360);
    const page = await c.newPage();
    await page.goto('/');
    await page.getByRole('heading', { name: '网上投诉' }).waitFor();
    await page.getByRole('heading', { name: '这些事项请走法定途径（诉访分离）' }).waitFor();
    expect(await page.getByText('纪检监察机关').count()).toBeGreaterThan(0);
    expect(await page.getByText('仲裁机构').count()).toBeGreaterThan(0);
    await expectFits(page);
    await expectLabelled(page);

    // The door asks for a login first and comes back to the form afterwards.
    await page.locator('main').getByRole('link', { name: '我要投诉' }).click();
    await page.waitForURL(/\/login\?next=/);
    await page.getByRole('link', { name: '实名注册' }).click();
    await page.waitForURL(/\/register\?next=/);

    const me = person();
    const taken = person();
    const r = await env.t.request('POST', '/api/auth/register', { body: { ...taken, phone: taken.phone } });
    expect(r.statusCode).toBe(201);

    await page.getByLabel('真实姓名').fill(me.name);
    // A wrong check digit is caught on the phone, before anything is sent.
    const badId = me.idNumber.slice(0, 17) + (me.idNumber.endsWith('0') ? '1' : '0');
    await page.getByLabel('居民身份证号码').fill(badId);
    await page.getByLabel('手机号码').click();
    await page.getByText('身份证号码校验位不正确').waitFor();
    await page.getByLabel('居民身份证号码').fill(me.idNumber);
    // A phone number someone else registered is refused by the server; the message sits under the field.
    await page.getByLabel('手机号码').fill(taken.phone);
    await page.getByLabel('设置密码').fill(me.password);
    await page.getByLabel('再次输入密码').fill(me.password);
    await expectLabelled(page);
    await page.getByRole('button', { name: '注册并登录' }).click();
    await page.locator('#register_phone_help', { hasText: '该手机号码已注册' }).waitFor();
    await env.shot(page, 'register-errors');
    await page.getByLabel('手机号码').fill(me.phone);
    await page.getByRole('button', { name: '注册并登录' }).click();

    await page.waitForURL(/\/submit\?target=bureau/);
    await fillCase(page, { title: '建筑工地拖欠农民工工资', attach: true });
    await page.getByText(/\d+ \/ 5000/).waitFor(); // the character count
    await page.getByLabel(/同意在办结后去除姓名/).check();
    await expectLabelled(page);
    await expectFits(page);
    await env.shot(page, 'submit-filled');

    const code = await submitAndWaitForReceipt(page);
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await expectFits(page);
    await env.shot(page, 'submitted');

    await page.getByRole('button', { name: '复制查询码' }).click();
    await page.locator('.ant-message', { hasText: '查询码已复制' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(code);

    // The print stylesheet keeps the receipt and drops the navigation.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.xf-header').isVisible()).toBe(false);
    expect(await page.getByTestId('query-code').isVisible()).toBe(true);
    await env.shot(page, 'submitted-print');
    await page.emulateMedia({ media: 'screen' });

    const cases = await myCases(page);
    expect(cases).toHaveLength(1);
    const mine = await myCase(page, cases[0]!.id);
    expect(mine.queryCode).toBe(code);
    expect(mine.attachments.map((a) => a.filename)).toEqual(['现场照片.png']);
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('xf.draft.')))).toEqual([]);

    // Someone else, on a desktop browser and not logged in, follows the case with the code.
    const other = await context(1280);
    const p2 = await other.newPage();
    await p2.goto('/track');
    await p2.getByLabel('查询码', { exact: true }).fill(copied.toLowerCase().replace(/-/g, ' '));
    await p2.getByRole('button', { name: '查询办理进度' }).click();
    await p2.waitForURL(new RegExp(`/track/${code}$`));
    await p2.getByRole('heading', { name: '建筑工地拖欠农民工工资' }).waitFor();
    expect(await p2.locator('.xf-state-tag').textContent()).toBe('待受理');
    expect(await p2.locator('.xf-timeline').textContent()).toContain('登记');
    expect(await p2.locator('.xf-deadlines').textContent()).toMatch(/受理告知期限\s*\d{4}-\d{2}-\d{2}/);
    // Nothing personal on the public view.
    expect(await p2.locator('main').textContent()).not.toContain('常山路');
    await env.shot(p2, 'track');

    // A wrong code is answered next to the field.
    await p2.goto('/track/ABCD-EFGH-JKMN-PQRS');
    await p2.locator('#track_code_help', { hasText: '未找到' }).waitFor();
  });

  it('a joint case: at most 5 representatives, more than 5 signers need one', async () => {
    const { c } = await citizenContext(360);
    const page = await c.newPage();
    await page.goto('/submit');
    await fillCase(page, { title: '村民联名反映土地补偿款未发放', content: '我村二十余户村民的土地被征收后，补偿款至今未发放到户，请求调查处理。' });
    await page.getByRole('switch', { name: '多人联名信访' }).click();
    const names = ['张建国', '王秀兰', '刘长海', '赵桂芝', '陈玉山', '杨凤英'];
    for (let i = 0; i < names.length; i++) {
      await page.getByRole('button', { name: '添加联名人' }).click();
      await page.getByLabel(`联名人 ${i + 1} 姓名`).fill(names[i]!);
    }
    await page.getByRole('button', { name: '提交信访件' }).click();
    await page.getByText('联名人超过 5 人，须推选代表').waitFor();

    const reps = page.getByRole('checkbox', { name: '推选为代表' });
    for (let i = 0; i < 6; i++) await reps.nth(i).check();
    await page.getByRole('button', { name: '提交信访件' }).click();
    await page.getByText('联名信访最多推选 5 名代表').waitFor();
    for (let i = 2; i < 6; i++) await reps.nth(i).uncheck();
    // A bad phone of a co-petitioner is caught next to it.
    await page.getByLabel('手机号码（选填）').first().fill('12345');
    await page.getByRole('button', { name: '提交信访件' }).click();
    await page.getByText('手机号码应为11位数字').waitFor();
    await page.getByLabel('手机号码（选填）').first().fill('13833334444');
    await expectFits(page);
    await env.shot(page, 'submit-joint');

    await submitAndWaitForReceipt(page);
    const [only] = await myCases(page);
    const view = await myCase(page, only!.id);
    expect(view.coPetitioners.map((x) => x.name)).toEqual(names);
    expect(view.coPetitioners.filter((x) => x.representative)).toHaveLength(2);

    // Before it is assigned the petitioner may withdraw it.
    await page.goto(`/my/${only!.id}`);
    await page.getByRole('button', { name: '撤回' }).click();
    await page.getByRole('button', { name: '确定撤回' }).click();
    await page.locator('.xf-state-tag', { hasText: '已撤回' }).waitFor();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await page.getByRole('button', { name: '撤回', exact: true }).count()).toBe(0);
  });

  it('after a staff reply the petitioner reads it, confirms receipt, evaluates; a dissatisfied one asks for review within the window', async () => {
    const { c, citizen } = await citizenContext(360);
    const page = await c.newPage();
    await page.goto('/submit');
    await fillCase(page, { title: '小区供暖温度不达标' , content: '本小区今冬室内温度长期低于十六度，多次向供热公司反映无果，请求督促整改。' });
    await page.getByLabel(/同意在办结后去除姓名/).check();
    await submitAndWaitForReceipt(page);
    const [first] = await myCases(page);
    const id = first!.id;

    const acceptor = await env.t.staff('zd.acceptor');
    const dispatcher = await env.t.staff('zd.dispatcher');
    const handler = await env.t.staff('zd.handler');
    expect((await act(env.t, acceptor, id, 'accept')).statusCode).toBe(200);
    expect((await act(env.t, dispatcher, id, 'assign', { unitId: '130123-zj' })).statusCode).toBe(200);
    expect((await act(env.t, handler, id, 'sign')).statusCode).toBe(200);
    expect((await act(env.t, handler, id, 'reply', { text: '经现场核查，已责令供热公司于三日内完成管网检修，室内温度已恢复至十八度以上。' })).statusCode).toBe(200);

    await page.goto('/my');
    await page.getByRole('link', { name: /小区供暖温度不达标/ }).click();
    await page.getByRole('heading', { name: '答复意见', exact: true }).waitFor();
    expect(await page.locator('.xf-reply').textContent()).toContain('管网检修');
    expect(await page.locator('.xf-awaiting').textContent()).toContain('请确认已收到答复意见');
    const steps = (await page.locator('.xf-timeline').textContent()) ?? '';
    for (const step of ['登记', '受理', '交办', '签收', '答复']) expect(steps).toContain(step);
    await page.getByText(/请于 \d{4}-\d{2}-\d{2} 前提出/).first().waitFor();
    await expectLabelled(page);
    await expectFits(page);
    await env.shot(page, 'my-case-replied');

    // The 双向责任书 the unit issued when it signed for the case waits for the petitioner's own signature.
    await page.getByRole('heading', { name: '文书', exact: true }).waitFor();
    await page.getByRole('button', { name: /^签署《/ }).click();
    await page.getByRole('button', { name: '我已阅读，确认签署' }).click();
    await page.locator('.xf-doc', { hasText: /已于 .* 签署/ }).waitFor();
    expect(await page.getByRole('button', { name: /^签署《/ }).count()).toBe(0);

    await page.getByRole('button', { name: '确认收到答复' }).click();
    await page.locator('.ant-message', { hasText: '已确认收到答复' }).waitFor();
    await page.locator('.xf-case-actions label', { hasText: /^基本满意$/ }).click();
    await page.getByLabel('评价意见（选填）').fill('处理及时，希望加强日常巡查。');
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.locator('.xf-state-tag', { hasText: '已办结' }).waitFor();
    // Only what the server allows is offered afterwards.
    expect(await page.getByRole('button', { name: '提交评价' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /申请复查/ }).count()).toBe(0);
    await page.getByLabel('留言内容').fill('谢谢，问题已解决。');
    await page.getByRole('button', { name: '发送留言' }).click();
    await page.locator('.xf-timeline', { hasText: '信访人留言' }).waitFor();
    const view = await myCase(page, id);
    expect(view.evaluation).toBe('basically_satisfied');
    expect(view.state).toBe('closed');
    await env.shot(page, 'my-case-closed');

    // Published on 阳光信访 by the county bureau, with the personal data gone.
    const draft = (await env.t.request('GET', `/api/office/cases/${id}/publication`, { cookie: acceptor })).json<{ draft: Record<string, string> }>().draft;
    expect((await env.t.request('POST', `/api/office/cases/${id}/publish`, { cookie: acceptor, body: draft })).statusCode).toBe(201);
    await page.goto('/sunshine');
    await page.getByRole('heading', { name: '小区供暖温度不达标' }).waitFor();
    expect(await page.locator('.xf-figures').textContent()).toContain('群众满意率');
    expect(await page.locator('main').textContent()).not.toContain('常山路');
    await expectFits(page);
    await env.shot(page, 'sunshine');

    // A second case, answered and rated 不满意: the page offers 复查 until the legal date.
    const sub = await env.t.request('POST', '/api/cases', { cookie: citizen.cookie, body: newCaseBody({ title: '道路破损长期无人维修' }) });
    const id2 = sub.json<{ id: string }>().id;
    expect((await act(env.t, acceptor, id2, 'accept')).statusCode).toBe(200);
    expect((await act(env.t, dispatcher, id2, 'assign', { unitId: '130123-zj' })).statusCode).toBe(200);
    expect((await act(env.t, handler, id2, 'sign')).statusCode).toBe(200);
    expect((await act(env.t, handler, id2, 'reply', { text: '该路段已列入明年维修计划，届时统一施工。' })).statusCode).toBe(200);
    await page.goto(`/my/${id2}`);
    await page.locator('.xf-case-actions label', { hasText: /^不满意$/ }).click();
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.locator('.ant-message', { hasText: '感谢您的评价' }).waitFor();
    const review = page.getByRole('heading', { name: '申请复查' });
    await review.waitFor();
    const until = (await page.locator('.xf-case-actions').textContent()) ?? '';
    expect(until).toMatch(/请于 \d{4}-\d{2}-\d{2} 前提出（还剩 \d+ 个工作日）/);
    await page.getByLabel('复查理由').fill('道路破损影响出行安全，请求尽快维修。');
    await page.getByRole('button', { name: '申请复查' }).click();
    await page.locator('.xf-state-tag', { hasText: '复查/复核中' }).waitFor();
    expect(await page.locator('.xf-deadlines').textContent()).toContain('复查决定期限');
  });

  it('长辈模式: a switch in the header, remembered, with larger type; a skip link; keyboard reaches the switch', async () => {
    const c = await context(360);
    const page = await c.newPage();
    await page.goto('/');
    await page.getByRole('heading', { name: '网上投诉' }).waitFor();
    const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.xf-lead')!).fontSize));
    const before = await size();

    // The first Tab lands on the skip link.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('跳到主要内容');

    const toggle = page.getByRole('switch', { name: /长辈模式/ });
    await toggle.focus();
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.documentElement.dataset.elder === '1');
    expect(await toggle.getAttribute('aria-checked')).toBe('true');
    const after = await size();
    expect(after).toBeGreaterThanOrEqual(before * 1.25);

    await page.reload();
    await page.getByRole('heading', { name: '网上投诉' }).waitFor();
    expect(await page.getByRole('switch', { name: /长辈模式/ }).getAttribute('aria-checked')).toBe('true');
    expect(await size()).toBe(after);
    // antd controls follow too (the theme's base font size).
    const buttonFont = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.xf-track-box button')!).fontSize));
    expect(buttonFont).toBeGreaterThanOrEqual(20);
    await expectFits(page);
    await env.shot(page, 'home-elder');
    await page.goto('/track');
    await page.getByLabel('查询码', { exact: true }).waitFor();
    await env.shot(page, 'track-elder');

    await page.getByRole('switch', { name: /长辈模式/ }).click();
    await page.waitForFunction(() => document.documentElement.dataset.elder === '0');
  });

  it('a network loss mid-submit loses neither the draft nor creates two cases; a double tap submits once', async () => {
    const { c } = await citizenContext(360);
    const page = await c.newPage();
    await page.goto('/submit');
    await fillCase(page, { title: '网络中断测试：供水管道漏水', attach: true });

    // 1. Offline: nothing reaches the server, the form says so and keeps everything.
    await c.setOffline(true);
    await page.getByRole('button', { name: '提交信访件' }).click();
    await page.getByText('网络连接中断，信访件可能尚未提交').waitFor();
    await c.setOffline(false);
    expect(await myCases(page)).toHaveLength(0);

    // 2. The request reaches the server, but the answer is lost on the way back.
    let lost = 0;
    await page.route('**/api/cases', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      await route.fetch();
      lost++;
      await route.abort('internetdisconnected');
    });
    await page.getByRole('button', { name: '提交信访件' }).click();
    await page.getByText('网络连接中断，信访件可能尚未提交').waitFor();
    expect(lost).toBe(1);
    const afterLoss = await myCases(page);
    expect(afterLoss).toHaveLength(1);
    await page.unroute('**/api/cases');

    // The phone is reloaded: the draft, with its photo and its key, is still there.
    await page.reload();
    await page.getByText('已恢复您上次未提交的内容').waitFor();
    expect(await page.getByLabel('标题').inputValue()).toBe('网络中断测试：供水管道漏水');
    await page.locator('.xf-file', { hasText: '现场照片.png' }).waitFor();
    await env.shot(page, 'submit-restored');

    // A double tap on the retry sends one request, and the server answers with the same case.
    const posts: string[] = [];
    page.on('request', (req) => {
      if (req.method() === 'POST' && new URL(req.url()).pathname === '/api/cases') posts.push(req.headers()['idempotency-key'] ?? '');
    });
    await page.getByRole('button', { name: '提交信访件' }).dblclick();
    await page.waitForURL(/\/submitted\//);
    const code = ((await page.getByTestId('query-code').textContent()) ?? '').trim();
    expect(posts).toHaveLength(1);
    const all = await myCases(page);
    expect(all).toHaveLength(1);
    expect(all[0]!.id).toBe(afterLoss[0]!.id);
    expect(all[0]!.queryCode).toBe(code);
    expect((await myCase(page, all[0]!.id)).attachments).toHaveLength(1);
  });

  it('a lost answer followed by an edit recovers the case already registered; a lost upload is retried without a second case', async () => {
    const { c } = await citizenContext(360);
    const page = await c.newPage();
    await page.goto('/submit');
    await fillCase(page, { title: '第一次提交的标题内容', attach: true });
    await page.route('**/api/cases', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      await route.fetch();
      await route.abort('internetdisconnected');
    });
    await page.getByRole('button', { name: '提交信访件' }).click();
    await page.getByText('网络连接中断，信访件可能尚未提交').waitFor();
    await page.unroute('**/api/cases');

    // The citizen edits before retrying: the key already names the first text, which the server registered.
    await page.getByLabel('标题').fill('修改后的标题内容');
    // The first upload is lost too.
    let uploads = 0;
    await page.route('**/api/cases/*/attachments', async (route) => {
      uploads++;
      if (uploads === 1) return route.abort('internetdisconnected');
      return route.continue();
    });
    await page.getByRole('button', { name: '提交信访件' }).click();
    await page.getByText(/信访件已登记（查询码 .*），但有 1 个附件未能上传/).waitFor();
    await env.shot(page, 'submit-upload-retry');
    await expectFits(page);
    await page.getByRole('button', { name: '继续上传附件' }).click();
    await page.waitForURL(/\/submitted\//);
    await page.getByText('网络中断前您提交的内容已经登记').waitFor();
    const all = await myCases(page);
    expect(all).toHaveLength(1);
    const view = await myCase(page, all[0]!.id);
    expect(view).toMatchObject({ queryCode: all[0]!.queryCode });
    expect((view as unknown as { title: string }).title).toBe('第一次提交的标题内容');
    expect(view.attachments).toHaveLength(1);
  });

  it('screenshots of every page at 360 and 1280 px, and the first-load JavaScript of home, submit and track', async () => {
    const citizen = await env.t.citizen();
    const sub = await env.t.request('POST', '/api/cases', { cookie: citizen.cookie, body: newCaseBody({ title: '截图用：路灯损坏', publicConsent: true }) });
    const { id, queryCode } = sub.json<{ id: string; queryCode: string }>();

    const weights: Record<string, number> = {};
    for (const width of [360, 1280] as const) {
      const anon = await context(width);
      const logged = await context(width);
      await logged.addCookies([{ name: 'xf_session', value: citizen.cookie.replace(/^xf_session=/, ''), url: env.baseUrl }]);
      const pages: [BrowserContext, string, string, string][] = [
        [anon, '/', 'home', '网上投诉'],
        [anon, '/login', 'login', '登录'],
        [anon, '/register', 'register', '实名注册'],
        [anon, '/track', 'track-empty', '查询办理进度'],
        [anon, `/track/${queryCode}`, 'track-case', '截图用：路灯损坏'],
        [anon, '/sunshine', 'sunshine-public', '公开案例'],
        [anon, '/no-such-page', 'not-found', '没有找到这个页面（网上信访）'],
        [logged, '/submit', 'submit', '向谁反映'],
        [logged, '/my', 'my-cases', '我的信访'],
        [logged, `/my/${id}`, 'my-case', '截图用：路灯损坏'],
        [logged, `/submitted/${id}`, 'receipt', '信访回执'],
      ];
      for (const [ctx, url, name, heading] of pages) {
        const page = await ctx.newPage();
        let js = 0;
        page.on('response', (res) => {
          if (res.request().resourceType() !== 'script') return;
          expect(res.url(), 'staff-only code on a portal page').not.toMatch(/OfficeApp/);
          void res
            .body()
            .then((b) => (js += zlib.gzipSync(b).length))
            .catch(() => undefined);
        });
        await page.goto(url);
        await page.getByRole('heading', { name: heading, exact: true }).first().waitFor();
        await page.waitForLoadState('networkidle');
        if (width === 360) await expectFits(page);
        await env.shot(page, `page-${name}`);
        if (width === 360) weights[name] = js;
        await page.close();
      }
    }
    fs.writeFileSync(path.join(outputDir, '..', 'portal-first-load-js.json'), JSON.stringify(weights, null, 2));
    console.log('首屏 JavaScript（gzip 字节）：', weights);
    for (const page of ['home', 'submit', 'track-case']) expect(weights[page], page).toBeLessThanOrEqual(250_000);
  }, 240_000);
});
