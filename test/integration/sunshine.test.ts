import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, databases, newCase, startTestApp, type TestApp } from '../support/harness.js';

interface SunshinePage {
  figures: {
    year: number;
    received: number;
    replied: number;
    repliedOnTime: number;
    repliesDue: number;
    onTimeRate: number | null;
    evaluated: number;
    satisfied: number;
    satisfactionRate: number | null;
    published: number;
  };
  items: { id: string; title: string; content: string; answer: string; answerUnitName: string | null; category: string; regionName: string; evaluation: string | null }[];
  total: number;
}

interface Draft {
  eligible: boolean;
  problem: string | null;
  draft: { title: string; content: string; answer: string };
  publication: { status: string; revision: number } | null;
}

/** Submits a case in 正定县 and takes it to 'replied' through the zd.* staff. */
async function repliedCase(t: TestApp, over: Record<string, unknown> = {}, replyText = '经核查，用工单位已于本月补发全部工资，请查收。') {
  const c = await newCase(t, over);
  const acceptor = await t.staff('zd.acceptor');
  const dispatcher = await t.staff('zd.dispatcher');
  const handler = await t.staff('zd.handler');
  expect((await act(t, acceptor, c.id, 'accept')).statusCode).toBe(200);
  expect((await act(t, dispatcher, c.id, 'assign', { unitId: '130123-zj' })).statusCode).toBe(200);
  expect((await act(t, handler, c.id, 'sign')).statusCode).toBe(200);
  expect((await act(t, handler, c.id, 'reply', { text: replyText })).statusCode).toBe(200);
  return c;
}

describe.each(databases)('阳光信访 publication and public page (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => {
    await t.close();
  });

  it('publishes a consented, replied case as redacted text, lists it publicly, re-publishes and withdraws it', async () => {
    const c = await repliedCase(
      t,
      {
        publicConsent: true,
        title: '王小明反映工地拖欠工资',
        content: '本人王小明，身份证130123198001010013，电话13912345678，在正定县城关镇常山路 1 号工地务工三个月未获工资。',
        coPetitioners: [{ name: '李秀英', phone: '13812345678', representative: true }],
      },
      '经核查，王小明反映的欠薪属实，已责令用工单位补发，联系人电话13800001111。',
    );
    const acceptor = await t.staff('zd.acceptor');

    const draftRes = await t.request('GET', `/api/office/cases/${c.id}/publication`, { cookie: acceptor });
    expect(draftRes.statusCode).toBe(200);
    const d = draftRes.json<Draft>();
    expect(d.eligible).toBe(true);
    expect(d.publication).toBeNull();
    const allDraft = `${d.draft.title} ${d.draft.content} ${d.draft.answer}`;
    expect(allDraft).not.toContain('王小明');
    expect(allDraft).not.toMatch(/1[3-9]\d{9}/);
    expect(allDraft).not.toContain('130123198001010013');
    expect(allDraft).not.toContain('常山路');
    expect(d.draft.title).toContain('王某');

    // Staff must not publish text that still carries personal data.
    const leaky = await t.request('POST', `/api/office/cases/${c.id}/publish`, {
      cookie: acceptor,
      body: { ...d.draft, content: `${d.draft.content}（联系电话 13912345678）`, answer: `${d.draft.answer}李秀英` },
    });
    expect(leaky.statusCode).toBe(400);
    const fields = leaky.json<{ error: { fields: Record<string, string> } }>().error.fields;
    expect(fields.content).toContain('电话号码');
    expect(fields.answer).toContain('信访人姓名');
    expect(fields.title).toBeUndefined();

    const pub = await t.request('POST', `/api/office/cases/${c.id}/publish`, { cookie: acceptor, body: d.draft });
    expect(pub.statusCode).toBe(201);
    expect(pub.json()).toMatchObject({ status: 'published', revision: 1 });

    const page = (await t.request('GET', '/api/public/sunshine')).json<SunshinePage>();
    expect(page.total).toBe(1);
    const item = page.items[0]!;
    expect(item.id).toBe(c.id);
    expect(item.category).toBe('劳动和社会保障');
    expect(item.regionName).toContain('正定县');
    expect(item.answerUnitName).toContain('正定县');
    expect(JSON.stringify(page)).not.toMatch(/王小明|李秀英|1[3-9]\d{9}|常山路/);
    expect(page.figures.published).toBe(1);

    // The petitioner sees on the case that it was published.
    const track = (await t.request('GET', `/api/track/${c.queryCode}`)).json<{ timeline: { type: string; label: string }[] }>();
    expect(track.timeline.at(-1)).toMatchObject({ type: 'published', label: '阳光信访公开' });

    // Re-publishing with edited text keeps one entry and bumps the revision.
    const again = await t.request('POST', `/api/office/cases/${c.id}/publish`, { cookie: acceptor, body: { ...d.draft, title: '反映工地拖欠农民工工资问题' } });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ revision: 2, title: '反映工地拖欠农民工工资问题' });
    const page2 = (await t.request('GET', '/api/public/sunshine')).json<SunshinePage>();
    expect(page2.total).toBe(1);
    expect(page2.items[0]!.title).toBe('反映工地拖欠农民工工资问题');

    // Evaluation shows on the public item.
    expect((await t.request('POST', `/api/cases/${c.id}/evaluation`, { cookie: c.citizen.cookie, body: { rating: 'basically_satisfied' } })).statusCode).toBe(201);
    expect((await t.request('GET', '/api/public/sunshine')).json<SunshinePage>().items[0]!.evaluation).toBe('基本满意');

    const off = await t.request('POST', `/api/office/cases/${c.id}/unpublish`, { cookie: acceptor, body: { reason: '信访人撤回同意' } });
    expect(off.statusCode).toBe(200);
    const after = await t.request('GET', '/api/public/sunshine');
    expect(after.json<SunshinePage>().total).toBe(0);
    // Nobody's cache may keep showing it: every visit revalidates.
    expect(after.headers['cache-control']).toBe('public, no-cache');
    expect((await t.request('POST', `/api/office/cases/${c.id}/unpublish`, { cookie: acceptor, body: {} })).statusCode).toBe(409);
    const draft2 = (await t.request('GET', `/api/office/cases/${c.id}/publication`, { cookie: acceptor })).json<Draft>();
    expect(draft2.publication).toMatchObject({ status: 'withdrawn', revision: 2 });
    const events = (await t.request('GET', `/api/track/${c.queryCode}`)).json<{ timeline: { type: string }[] }>().timeline.map((e) => e.type);
    expect(events.filter((e) => e === 'published')).toHaveLength(2);
    expect(events).toContain('unpublished');
    expect(events).not.toContain('note');
  });

  it('refuses what is not allowed: citizen, staff without the permission, no consent, no reply, denunciation, another county', async () => {
    const c = await repliedCase(t, { publicConsent: true });
    const body = { title: '反映拖欠工资问题', content: '反映建筑工地拖欠务工人员工资三个月。', answer: '经核查，已责令用工单位补发全部工资。' };
    const url = `/api/office/cases/${c.id}/publish`;

    expect((await t.request('POST', url, { body })).statusCode).toBe(401);
    expect((await t.request('POST', url, { cookie: c.citizen.cookie, body })).statusCode).toBe(403);
    expect((await t.request('GET', `/api/office/cases/${c.id}/publication`, { cookie: c.citizen.cookie })).statusCode).toBe(403);
    for (const who of ['zd.handler', 'zd.dispatcher', 'zd.registrar']) {
      const r = await t.request('POST', url, { cookie: await t.staff(who), body });
      expect(r.statusCode, who).toBe(403);
    }
    // Another county's bureau never sees the case at all.
    const other = await newCase(t, { regionCode: '130121', publicConsent: true });
    const zdAcceptor = await t.staff('zd.acceptor');
    expect((await t.request('POST', `/api/office/cases/${other.id}/publish`, { cookie: zdAcceptor, body })).statusCode).toBe(404);
    expect((await t.request('GET', `/api/office/cases/${other.id}/publication`, { cookie: zdAcceptor })).statusCode).toBe(404);
    expect((await t.request('POST', `/api/office/cases/${other.id}/unpublish`, { cookie: zdAcceptor, body: {} })).statusCode).toBe(404);

    const noConsent = await repliedCase(t, { publicConsent: false });
    const r1 = await t.request('POST', `/api/office/cases/${noConsent.id}/publish`, { cookie: zdAcceptor, body });
    expect(r1.statusCode).toBe(409);
    expect(r1.json()).toMatchObject({ error: { code: 'no_consent' } });
    const dNo = (await t.request('GET', `/api/office/cases/${noConsent.id}/publication`, { cookie: zdAcceptor })).json<Draft>();
    expect(dNo).toMatchObject({ eligible: false, problem: expect.stringContaining('未同意') });

    const pending = await newCase(t, { publicConsent: true });
    const r2 = await t.request('POST', `/api/office/cases/${pending.id}/publish`, { cookie: zdAcceptor, body });
    expect(r2.statusCode).toBe(409);
    expect(r2.json()).toMatchObject({ error: { code: 'not_replied' } });

    const denunciation = await newCase(t, { publicConsent: true, denunciation: true, categoryCode: 'discipline' });
    const r3 = await t.request('POST', `/api/office/cases/${denunciation.id}/publish`, { cookie: zdAcceptor, body });
    expect(r3.statusCode).toBe(409);

    // A leader of the county bureau holds the permission too; bad bodies are 400, not 500.
    const leader = await t.staff('zd.leader');
    expect((await t.request('POST', url, { cookie: leader, body: { ...body, title: '' } })).statusCode).toBe(400);
    expect((await t.request('POST', url, { cookie: leader, body: { ...body, extra: 1 } })).statusCode).toBe(400);
    expect((await t.request('POST', url, { cookie: leader, body: 'not json', headers: { 'content-type': 'application/json' } })).statusCode).toBe(400);
    expect((await t.request('POST', '/api/office/cases/not-a-uuid/publish', { cookie: leader, body })).statusCode).toBe(400);
    expect((await t.request('POST', url, { cookie: leader, body })).statusCode).toBe(201);
    expect((await t.request('GET', '/api/public/sunshine')).json<SunshinePage>().items.map((i) => i.id)).toContain(c.id);
  });

  it('rejects malformed queries of the public page with 400', async () => {
    for (const q of ['page=0', 'page=abc', 'pageSize=500', 'category=nope', 'foo=1']) {
      const r = await t.request('GET', `/api/public/sunshine?${q}`);
      expect(r.statusCode, q).toBe(400);
      expect(r.json<{ error: { message: string } }>().error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect((await t.request('GET', '/api/public/sunshine?category=labour&page=1&pageSize=5')).statusCode).toBe(200);
  });
});

describe.each(databases)('阳光信访 public figures are counted from the database (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { now: '2026-03-02T02:00:00Z' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('counts cases received this year, replies on time against replies due, and satisfaction', async () => {
    const empty = (await t.request('GET', '/api/public/sunshine')).json<SunshinePage>().figures;
    expect(empty).toMatchObject({ year: 2026, received: 0, replied: 0, onTimeRate: null, satisfactionRate: null, published: 0 });

    const a = await repliedCase(t);
    const b = await repliedCase(t);
    const acceptor = await t.staff('zd.acceptor');
    const late = await newCase(t);
    expect((await act(t, acceptor, late.id, 'accept')).statusCode).toBe(200);
    await newCase(t); // still waiting for acceptance: counted as received only

    expect((await t.request('POST', `/api/cases/${a.id}/evaluation`, { cookie: a.citizen.cookie, body: { rating: 'satisfied' } })).statusCode).toBe(201);
    expect((await t.request('POST', `/api/cases/${b.id}/evaluation`, { cookie: b.citizen.cookie, body: { rating: 'dissatisfied' } })).statusCode).toBe(201);

    let f = (await t.request('GET', '/api/public/sunshine')).json<SunshinePage>().figures;
    expect(f).toMatchObject({ received: 4, replied: 2, repliedOnTime: 2, repliesDue: 2, onTimeRate: 1, evaluated: 2, satisfied: 1, satisfactionRate: 0.5 });

    // 70 days on, the accepted case has passed its 60-day handling clock without a reply.
    t.setNow('2026-05-11T02:00:00Z');
    f = (await t.request('GET', '/api/public/sunshine')).json<SunshinePage>().figures;
    expect(f).toMatchObject({ replied: 2, repliedOnTime: 2, repliesDue: 3 });
    expect(f.onTimeRate).toBeCloseTo(2 / 3, 5);

    // Next year starts from zero.
    t.setNow('2027-01-05T02:00:00Z');
    f = (await t.request('GET', '/api/public/sunshine')).json<SunshinePage>().figures;
    expect(f).toMatchObject({ year: 2027, received: 0, replied: 0 });
  });
});
