/**
 * The staff office in Chromium: a case from arrival to answer, each step by the right role in its
 * own browser context (logged in through /office/login); a rejection with guidance; a return and
 * re-assignment; bulk acceptance; unmasking with a reason; and another county that cannot open the case.
 * On SQLite, and on PostgreSQL when XINFANG_TEST_PG is set (as in CI).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseSelectOption, chooseTreeNode, hasChromium, startBrowserEnv, type BrowserEnv } from '../support/browser.js';
import { act, databases, newCase } from '../support/harness.js';
import { createStaff, demoPassword } from '../../src/services/seed.service.js';

/** A minimal valid one-page PDF (header, catalog, pages, page, xref with real offsets, trailer). */
function minimalPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
    '<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 770 Td (Reply) Tj ET\nendstream',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

describe.skipIf(!hasChromium).each(databases)('staff office in Chromium (%s)', (kind) => {
  let env: BrowserEnv;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    env = await startBrowserEnv(kind);
    await createStaff(env.t.ctx, { username: 'ca.acceptor', name: '长安区受理员', unitId: '130102-xfj', roles: ['acceptor', 'dispatcher'], password: demoPassword });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await env.close();
  });

  /** A new browser context logged in through the office login page. */
  async function staff(username: string, width: 360 | 1280 = 1280): Promise<Page> {
    const ctx = await env.newContext(width);
    contexts.push(ctx);
    const page = await ctx.newPage();
    await page.goto('/office/login');
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(demoPassword);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/office\/(queue|all)/);
    await page.locator('h1', { hasText: '信访工作平台' }).waitFor();
    await page.locator('h2').first().waitFor();
    return page;
  }

  async function stateIs(page: Page, label: string) {
    await page.getByTestId('case-state').filter({ hasText: label }).waitFor();
    expect(await page.getByTestId('case-state').textContent()).toBe(label);
  }

  const dialog = (page: Page) => page.getByRole('dialog');

  async function openCaseFromQueue(page: Page, queueLabel: string, title: string) {
    await page.locator('nav[aria-label="工作台队列"]').getByRole('link', { name: new RegExp(`^${queueLabel}`) }).click();
    await page.getByRole('heading', { level: 2, name: new RegExp(queueLabel) }).waitFor();
    await page.getByRole('link', { name: title }).click();
    await page.getByRole('heading', { level: 2, name: title }).waitFor();
  }

  async function pickUnit(page: Page, unitName: string) {
    await chooseTreeNode(page, dialog(page).getByRole('combobox').first(), unitName);
    await dialog(page).getByText('退回异议期限').waitFor();
  }

  const chooseOption = (page: Page, label: string, option: string) => chooseSelectOption(page, page.getByLabel(label), option);

  it('runs an online case from submission to evaluation, each step by its role in the browser', async () => {
    const title = '建筑工地拖欠农民工工资问题';
    const { id, citizen, queryCode } = await newCase(env.t, { title, content: '本人在正定县某建筑工地务工八个月，包工头至今拖欠工资三万二千元，多次讨要未果，请求依法处理。' });

    // 受理: the county bureau's acceptor, from the 待受理 queue.
    const acceptor = await staff('zd.acceptor');
    expect(await acceptor.locator('h1').first().textContent()).toContain('信访');
    await acceptor.getByRole('heading', { level: 2, name: /待受理/ }).waitFor();
    await acceptor.getByRole('link', { name: title }).waitFor();
    const badge = await acceptor.locator('nav[aria-label="工作台队列"]').getByRole('link', { name: /^待受理/ }).getAttribute('aria-label');
    expect(badge).toMatch(/待受理，[1-9]\d* 件/);
    await env.shot(acceptor, 'office-queue-accept');
    // Full-text search with a two-character word.
    await acceptor.getByLabel('全文检索').fill('拖欠');
    await acceptor.getByRole('button', { name: '检索' }).click();
    await acceptor.waitForURL(/q=/);
    await acceptor.getByRole('link', { name: title }).waitFor();
    await acceptor.getByRole('link', { name: title }).click();
    await acceptor.getByRole('heading', { level: 2, name: title }).waitFor();
    await stateIs(acceptor, '待受理');
    // Personal data is masked for an acceptor and there is no unmask button.
    expect(await acceptor.getByText(citizen.phone).count()).toBe(0);
    expect(await acceptor.getByRole('button', { name: '查看完整信息' }).count()).toBe(0);
    await env.shot(acceptor, 'office-case-submitted');
    // Only what the server allows: an acceptor accepts or rejects, but cannot assign or sign.
    const toolbar = acceptor.getByRole('toolbar', { name: '办理操作' });
    expect(await toolbar.getByRole('button', { name: '受理', exact: true }).count()).toBe(1);
    expect(await toolbar.getByRole('button', { name: '交办' }).count()).toBe(0);
    expect(await toolbar.getByRole('button', { name: '签收' }).count()).toBe(0);
    await toolbar.getByRole('button', { name: '受理', exact: true }).click();
    await dialog(acceptor).getByRole('button', { name: '确认受理' }).click();
    await stateIs(acceptor, '已受理');

    // 交办: the dispatcher picks the county housing department in the unit tree; the due dates are shown.
    const dispatcher = await staff('zd.dispatcher');
    await openCaseFromQueue(dispatcher, '待交办', title);
    await dispatcher.getByRole('toolbar', { name: '办理操作' }).getByRole('button', { name: '交办' }).click();
    // The form validates before anything is sent.
    await dialog(dispatcher).getByRole('button', { name: '确认交办' }).click();
    await dialog(dispatcher).getByText('请选择承办单位').waitFor();
    await pickUnit(dispatcher, '正定县住房和城乡建设局');
    expect(await dialog(dispatcher).getByText('办理答复期限').count()).toBeGreaterThan(0);
    await dialog(dispatcher).getByLabel('交办意见').fill('请依法核查，督促用工单位支付工资，按期答复。');
    await env.shot(dispatcher, 'office-assign-form');
    await dialog(dispatcher).getByRole('button', { name: '确认交办' }).click();
    await stateIs(dispatcher, '已交办/转送');
    await dispatcher.getByRole('cell', { name: '正定县住房和城乡建设局', exact: true }).waitFor();

    // 签收 and 答复 with a PDF: the county department's handler; its first queue is 待签收.
    const handler = await staff('zd.handler');
    await handler.getByRole('heading', { level: 2, name: /待签收/ }).waitFor();
    await handler.getByRole('link', { name: title }).click();
    await handler.getByRole('heading', { level: 2, name: title }).waitFor();
    const htools = handler.getByRole('toolbar', { name: '办理操作' });
    expect(await htools.getByRole('button', { name: '受理', exact: true }).count()).toBe(0);
    expect(await htools.getByRole('button', { name: '退回' }).count()).toBe(1);
    await htools.getByRole('button', { name: '签收' }).click();
    await dialog(handler).getByRole('button', { name: '确认签收' }).click();
    await stateIs(handler, '办理中');
    expect(await htools.getByRole('button', { name: '申请延期' }).count()).toBe(1);
    await htools.getByRole('button', { name: '答复' }).click();
    // Blank or too short answers are refused in the browser, naming what is wrong.
    await dialog(handler).getByLabel('答复意见').fill('   ');
    await dialog(handler).getByRole('button', { name: '确认答复' }).click();
    await dialog(handler).getByText('请填写答复意见').waitFor();
    await dialog(handler).getByLabel('答复意见').fill('已处理');
    await dialog(handler).getByText('答复意见至少 10 个字').waitFor();
    await dialog(handler).getByLabel('答复意见').fill('经核查，已责令用工单位于本月底前足额支付拖欠的工资三万二千元，并将跟踪落实。');
    await dialog(handler).locator('input[type=file]').setInputFiles({ name: '答复意见书.pdf', mimeType: 'application/pdf', buffer: minimalPdf() });
    await dialog(handler).locator('.ant-upload-list-item').filter({ hasText: '答复意见书.pdf' }).waitFor();
    await handler.waitForFunction(() => document.querySelectorAll('.ant-upload-list-item-uploading').length === 0);
    await env.shot(handler, 'office-reply-form');
    await dialog(handler).getByRole('button', { name: '确认答复' }).click();
    await stateIs(handler, '已答复');
    await handler.getByRole('link', { name: /答复意见书\.pdf/ }).first().waitFor();

    // 评价: only the petitioner, through the API; the office shows the closed case.
    const ev = await env.t.request('POST', `/api/cases/${id}/evaluation`, { cookie: citizen.cookie, body: { rating: 'satisfied', comment: '处理及时' } });
    expect(ev.statusCode).toBe(201);
    await handler.reload();
    await stateIs(handler, '已办结');
    const timeline = await handler.locator('.ant-timeline').textContent();
    for (const word of ['登记', '受理', '交办', '签收', '答复', '评价', '办结']) expect(timeline).toContain(word);
    expect(timeline).toContain('交办意见'); // the internal note of the dispatcher is there for staff
    await env.shot(handler, 'office-case-closed');

    const track = (await env.t.request('GET', `/api/track/${queryCode}`)).json<{ state: string; replies: { attachments: { filename: string; mime: string }[] }[]; timeline: { type: string }[] }>();
    expect(track.state).toBe('closed');
    expect(track.replies[0]!.attachments[0]).toMatchObject({ filename: '答复意见书.pdf', mime: 'application/pdf' });
    expect(track.timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['submitted', 'accepted', 'assigned', 'signed', 'replied', 'evaluated', 'closed']));

    // 查看完整个人信息: a leader, with a typed reason; recorded in the timeline as internal.
    const leader = await staff('zd.leader');
    await leader.goto(`/office/cases/${id}`);
    await leader.getByRole('heading', { level: 2, name: title }).waitFor();
    expect(await leader.getByText(citizen.phone).count()).toBe(0);
    await leader.getByRole('button', { name: '查看完整信息' }).click();
    await dialog(leader).getByRole('button', { name: '确认查看' }).click();
    await dialog(leader).getByText('请填写查看理由').waitFor();
    await dialog(leader).getByLabel('查看理由').fill('电话回访核实处理结果');
    await dialog(leader).getByRole('button', { name: '确认查看' }).click();
    await leader.getByText(citizen.phone).waitFor();
    await leader.locator('.ant-timeline').getByText('电话回访核实处理结果').waitFor();
    await env.shot(leader, 'office-case-unmasked');
  }, 240_000);

  it('rejects a case with the reason and the guidance channel from the lists', async () => {
    const title = '劳动合同纠纷要求赔偿';
    const { queryCode } = await newCase(env.t, { title, content: '公司违法解除劳动合同，拒不支付经济补偿金，请求责令公司赔偿。' });
    const acceptor = await staff('zd.acceptor');
    await acceptor.getByRole('link', { name: title }).click();
    await acceptor.getByRole('heading', { level: 2, name: title }).waitFor();
    await acceptor.getByRole('toolbar', { name: '办理操作' }).getByRole('button', { name: '不予受理' }).click();
    await dialog(acceptor).getByRole('button', { name: '确认不予受理' }).click();
    await dialog(acceptor).getByText('请选择不予受理理由').waitFor();
    await chooseOption(acceptor, '不予受理理由', '属于诉讼、仲裁、行政复议等法定途径解决的事项');
    await chooseOption(acceptor, '引导信访人向以下渠道反映', '仲裁机构');
    await dialog(acceptor).getByText('劳动人事争议仲裁委员会').waitFor();
    await env.shot(acceptor, 'office-reject-form');
    await dialog(acceptor).getByRole('button', { name: '确认不予受理' }).click();
    await stateIs(acceptor, '不予受理');
    expect(await acceptor.locator('.ant-timeline').textContent()).toContain('仲裁机构');
    // Nothing but an internal note is left to do on a rejected case.
    expect(await acceptor.getByRole('toolbar', { name: '办理操作' }).getByRole('button').allTextContents()).toEqual(['内部批注']);

    const track = (await env.t.request('GET', `/api/track/${queryCode}`)).json<{ state: string; timeline: { type: string; summary: string }[] }>();
    expect(track.state).toBe('rejected');
    expect(track.timeline.find((e) => e.type === 'rejected')!.summary).toContain('仲裁');
  });

  it('says clearly when someone else acted first, and shows the case as it now is', async () => {
    const title = '物业费收费标准不透明';
    const { id } = await newCase(env.t, { categoryCode: 'construction', title, content: '物业公司擅自上调物业费，收费标准不公示，请求核查。' });
    const page = await staff('zd.acceptor');
    await page.goto(`/office/cases/${id}`);
    await page.getByRole('heading', { level: 2, name: title }).waitFor();
    // A colleague accepts the same case a moment earlier.
    expect((await act(env.t, await env.t.staff('zd.acceptor'), id, 'accept')).statusCode).toBe(200);
    await page.getByRole('toolbar', { name: '办理操作' }).getByRole('button', { name: '受理', exact: true }).click();
    await dialog(page).getByRole('button', { name: '确认受理' }).click();
    await page.getByText('该件可能已由他人处理，页面已刷新').waitFor();
    expect(await page.getByText('当前状态：已受理').count()).toBeGreaterThan(0);
    await stateIs(page, '已受理');
    expect(await page.getByRole('dialog').count()).toBe(0);
  });

  it('lets the department return a misrouted case and the dispatcher re-assign it', async () => {
    const title = '社保缴费记录缺失';
    const { id } = await newCase(env.t, { title, content: '单位为我缴纳社会保险的记录缺失两年，影响退休待遇核定，请求核查补缴。' });
    const acc = await env.t.staff('zd.acceptor');
    const dis = await env.t.staff('zd.dispatcher');
    expect((await act(env.t, acc, id, 'accept')).statusCode).toBe(200);
    expect((await act(env.t, dis, id, 'assign', { unitId: '130123-zj' })).statusCode).toBe(200);

    const handler = await staff('zd.handler');
    await handler.getByRole('link', { name: title }).click();
    await handler.getByRole('heading', { level: 2, name: title }).waitFor();
    await handler.getByRole('toolbar', { name: '办理操作' }).getByRole('button', { name: '退回' }).click();
    await dialog(handler).getByRole('button', { name: '不属于本单位职责范围' }).click();
    await dialog(handler).getByRole('button', { name: '确认退回' }).click();
    await stateIs(handler, '已退回');

    const dispatcher = await staff('zd.dispatcher');
    await openCaseFromQueue(dispatcher, '待交办', title);
    await dispatcher.getByText('不属于本单位职责范围').first().waitFor();
    await dispatcher.getByRole('toolbar', { name: '办理操作' }).getByRole('button', { name: '转送' }).click();
    await pickUnit(dispatcher, '正定县人力资源和社会保障局');
    await dialog(dispatcher).getByRole('button', { name: '确认转送' }).click();
    await stateIs(dispatcher, '已交办/转送');
    const rows = await dispatcher.locator('.ant-card', { hasText: '交办转送记录' }).locator('tbody tr').allTextContents();
    expect(rows.join('\n')).toContain('已退回');
    expect(rows.join('\n')).toContain('正定县人力资源和社会保障局');
    await env.shot(dispatcher, 'office-reassigned');

    // The housing department no longer has it to sign; another click on an old form gets a clear refusal.
    await handler.reload();
    await handler.getByRole('heading', { level: 2, name: title }).waitFor();
    expect(await handler.getByRole('toolbar', { name: '办理操作' }).getByRole('button', { name: '签收' }).count()).toBe(0);
  });

  it('accepts several similar cases at once and reports each', async () => {
    const titles = ['占道经营噪音扰民一', '占道经营噪音扰民二'];
    for (const title of titles) await newCase(env.t, { categoryCode: 'construction', title, content: '小区门口夜市占道经营，噪音扰民到深夜，请求整治。' });
    const acceptor = await staff('zd.acceptor');
    await acceptor.getByLabel('全文检索').fill('占道');
    await acceptor.getByRole('button', { name: '检索' }).click();
    await acceptor.getByRole('link', { name: titles[1]! }).waitFor();
    for (const title of titles) await acceptor.getByRole('row', { name: new RegExp(title) }).getByRole('checkbox').check();
    await acceptor.getByRole('button', { name: /批量受理（2 件）/ }).click();
    await dialog(acceptor).getByRole('button', { name: '确认批量受理' }).click();
    await dialog(acceptor).getByText('成功 2 件，未成功 0 件').waitFor();
    await env.shot(acceptor, 'office-bulk-result');
    await dialog(acceptor).getByRole('button', { name: '完成' }).click();
    await acceptor.getByText('没有找到包含这些词语的信访件').waitFor();
  });

  it('undoes a merge made in error: 撤销合并 with a reason puts the case back in its queue', async () => {
    const t = env.t;
    const earlier = await newCase(t, { title: '小区电梯长期停运无人维修' });
    const later = await newCase(t, { title: '农村低保资格被取消不公', content: '本人家庭困难符合低保条件，今年低保资格被无故取消，请求核查恢复。' });
    const acc = await t.staff('zd.acceptor');
    expect((await act(t, acc, later.id, 'merge', { intoCaseId: earlier.id })).statusCode).toBe(200);

    const page = await staff('zd.acceptor');
    await page.goto(`/office/cases/${later.id}`);
    await page.getByRole('heading', { level: 2, name: '农村低保资格被取消不公' }).waitFor();
    await stateIs(page, '已合并');
    await page.getByText('合并办理').first().waitFor();
    await page.getByRole('toolbar', { name: '办理操作' }).getByRole('button', { name: '撤销合并' }).click();
    await dialog(page).getByRole('button', { name: '确认撤销合并' }).click();
    await dialog(page).getByText('请写明撤销合并的理由').waitFor();
    await dialog(page).getByLabel('撤销合并的理由（仅工作人员可见）').fill('经核实，低保与电梯不是同一事项');
    await env.shot(page, 'office-unmerge-form');
    await dialog(page).getByRole('button', { name: '确认撤销合并' }).click();
    await stateIs(page, '待受理');
    await page.getByText('经核实，低保与电梯不是同一事项').waitFor();
    expect(await page.getByRole('toolbar', { name: '办理操作' }).getByRole('button', { name: '受理', exact: true }).count()).toBe(1);
  });

  it('keeps another county’s staff out of the case', async () => {
    const title = '村道破损影响出行';
    const { id } = await newCase(env.t, { categoryCode: 'transport', title, content: '村主干道路面坑洼多处，雨天积水，学生上学困难。' });
    const other = await staff('ca.acceptor');
    await other.goto(`/office/cases/${id}`);
    await other.getByText('未找到该信访件，或您无权查看').waitFor();
    expect(await other.getByRole('heading', { level: 2, name: title }).count()).toBe(0);
    await env.shot(other, 'office-other-county');
    await other.goto('/office/all?q=' + encodeURIComponent('村道'));
    await other.getByText('没有找到包含这些词语的信访件').waitFor();
  });

  it('works at phone width too', async () => {
    const title = '老旧小区加装电梯';
    await newCase(env.t, { categoryCode: 'construction', title, content: '老旧小区六层无电梯，老人上下楼困难，申请加装电梯。' });
    const page = await staff('zd.acceptor', 360);
    await page.getByRole('link', { name: title }).waitFor();
    await env.shot(page, 'office-queue-accept');
    await page.getByRole('button', { name: '打开工作台菜单' }).click();
    await page.locator('nav[aria-label="工作台队列"]').getByRole('link', { name: /^已超期/ }).waitFor();
    await env.shot(page, 'office-menu');
    await page.locator('nav[aria-label="工作台队列"]').getByRole('link', { name: /^待受理/ }).click();
    await page.locator('nav[aria-label="工作台队列"]').waitFor({ state: 'hidden' });
    await page.getByRole('link', { name: title }).click();
    await page.getByRole('heading', { level: 2, name: title }).waitFor();
    await env.shot(page, 'office-case-submitted');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
  });
});
