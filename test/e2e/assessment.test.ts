/**
 * 考核 in Chromium. In March 2026 正定县 merges a repeat petition (重复信访) and the city's
 * inspection finds a problem in one of its cases (督导检查发现问题). The city's supervisor sees the
 * ranking of its counties with 正定县 last and its deductions; the county bureau opens its own page
 * and expands each deduction to the cases behind it; 长安区 cannot open 正定县's score.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, startBrowserEnv, type BrowserEnv } from '../support/browser.js';
import { act, newCase } from '../support/harness.js';
import { createStaff, demoPassword } from '../../src/services/seed.service.js';

describe.skipIf(!hasChromium)('考核 in Chromium', () => {
  let env: BrowserEnv;
  const contexts: BrowserContext[] = [];
  const no: Record<string, string> = {};
  const period = '2026-03';

  beforeAll(async () => {
    env = await startBrowserEnv('sqlite', { now: '2026-03-02T02:00:00Z' });
    const t = env.t;
    await createStaff(t.ctx, { username: 'ca.acceptor', name: '长安区受理员', unitId: '130102-xfj', roles: ['acceptor'], password: demoPassword });
    const ok = async (u: string, id: string, action: string, body: Record<string, unknown> = {}) => {
      const r = await act(t, await t.staff(u), id, action, body);
      expect(r.statusCode, `${u} ${action} ${r.body}`).toBe(200);
    };
    const ids: Record<string, string> = {};
    for (const [k, title, content] of [
      ['A', '建筑工地拖欠木工工资', '在翠园小区工地干木工活三个月，包工头拖欠工资一万二千元，请求处理。'],
      ['D', '物流公司拖欠搬运工工资', '在某物流公司做搬运工两个月，工资六千元至今未发，请求督促支付。'],
      ['F', '翠园小区工地欠薪', '翠园小区工地包工头拖欠我木工工资一万二千元，至今未付，请求处理。'],
    ] as const) {
      ids[k] = (await newCase(t, { title, content })).id;
    }
    for (const k of ['A', 'D']) {
      await ok('zd.acceptor', ids[k]!, 'accept');
      await ok('zd.dispatcher', ids[k]!, 'assign', { unitId: '130123-zj' });
    }
    t.setNow('2026-03-03T02:00:00Z');
    await ok('zd.acceptor', ids.F!, 'merge', { intoCaseId: ids.A });
    const sup = await t.staff('sjz.supervisor');
    const post = async (url: string, body: unknown) => {
      const r = await t.request('POST', url, { cookie: sup, body });
      expect(r.statusCode, `${url}: ${r.body}`).toBeLessThan(300);
      return r.json<{ id: string }>();
    };
    const insp = await post('/api/office/inspections', { unitId: '130123', inspectedOn: '2026-03-03', inspectors: '市信访局督查科 张某、李某', caseIds: [ids.D] });
    await post(`/api/office/inspections/${insp.id}/cases/${ids.D}/finding`, { verdict: 'problem', finding: '签收前未与信访人联系' });
    await post(`/api/office/inspections/${insp.id}/conclude`, { summary: '抽查一件，未及时联系信访人。' });
    for (const k of ['D', 'F']) no[k] = (await t.request('GET', `/api/office/cases/${ids[k]}`, { cookie: sup })).json<{ caseNo: string }>().caseNo;
    t.setNow('2026-03-10T02:00:00Z');
  }, 120_000);
  afterAll(async () => {
    for (const x of contexts) await x.close().catch(() => undefined);
    await env.close();
  });

  const staff = (username: string): Promise<Page> => env.staffPage(username);

  it('the city ranks its counties; the county sees its deductions and the cases behind them; another county cannot look', async () => {
    const city = await staff('sjz.supervisor');
    await city.goto(`/office/assessment?period=${period}`);
    await city.getByText('2026年3月（2026-03-01 至 2026-03-31）实时计算结果').waitFor();
    const rows = city.locator('.ant-table-tbody tr.ant-table-row');
    const zd = rows.filter({ hasText: '正定县' });
    await zd.waitFor();
    // Every other county owed nothing and has full points: 正定县, with −1 (repeat) and −2 (finding), is last.
    expect(await rows.count()).toBeGreaterThan(2);
    await expect.poll(() => rows.last().textContent()).toContain('正定县');
    await zd.getByText('−1（1）').waitFor();
    await zd.getByText('−2（1）').waitFor();
    await env.shot(city, 'assessment-ranking');

    // The county bureau: its own page, each deduction expanded to its cases.
    const county = await staff('zd.supervisor');
    await county.goto(`/office/assessment?period=${period}`);
    await county.getByRole('link', { name: '本单位考核页' }).click();
    await county.getByRole('heading', { level: 2, name: '正定县 · 考核' }).waitFor();
    await county.locator('.ant-statistic', { hasText: '得分' }).getByText('27', { exact: true }).waitFor();
    const line = (label: string) => county.locator('.ant-table-tbody tr.ant-table-row', { hasText: label });
    await line('重复信访').getByText('1 件（展开）').click();
    await county.getByRole('link', { name: new RegExp(no.F!) }).waitFor();
    await line('督导检查发现问题').getByText('1 件（展开）').click();
    await county.getByRole('link', { name: new RegExp(no.D!) }).waitFor();
    await env.shot(county, 'assessment-unit');

    // 长安区 opens 正定县's page by its address: refused, no score shown.
    const other = await staff('ca.acceptor');
    await other.goto(`/office/assessment/unit/130123?period=${period}`);
    await other.locator('.ant-alert-error').waitFor();
    expect(await other.getByText('督导检查发现问题').count()).toBe(0);
    await other.goto(`/office/assessment?period=${period}`);
    await other.getByText('实时计算结果').first().waitFor();
    expect(await other.locator('.ant-table-tbody tr.ant-table-row', { hasText: '正定县' }).count()).toBe(0);
  }, 80_000);
});
