/**
 * The public tracking projection (case_tracking, services/tracking.service.ts) must always equal the
 * tracking view computed from the case's records (services/case-view.ts trackingView): checked after
 * every kind of change — submission (web, mailbox, staff entry), each staff action, each act of the
 * petitioner, attachments, documents signed and disputed, publication, 重复信访 joined as a message,
 * automatic 催办 / 督办 — and as the days pass (countdowns, the review window).
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, bodyFor, databases, newCase, newCaseBody, startTestApp, type TestApp } from '../support/harness.js';
import { findCase } from '../../src/store/case.repository.js';
import { trackingView } from '../../src/services/case-view.js';
import { rebuildTracking, trackingFormat } from '../../src/services/tracking.service.js';
import { findTrackingOfCase } from '../../src/store/tracking.repository.js';
import { runSweep } from '../../src/jobs/sweep.js';

const CST = (d: string) => `${d}T02:00:00Z`;
const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

function multipart(filename: string, data: Buffer): { payload: Buffer; contentType: string } {
  const boundary = `----xf${crypto.randomBytes(8).toString('hex')}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: image/png\r\n\r\n`;
  return { payload: Buffer.concat([Buffer.from(head), data, Buffer.from(`\r\n--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe.each(databases)('public tracking projection (%s)', (kind) => {
  let t: TestApp;
  let staff: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp(kind, { now: CST('2026-03-02') });
    staff = {};
    for (const u of ['zd.acceptor', 'zd.dispatcher', 'zd.handler', 'zd.registrar', 'zd.leader', 'zd.supervisor', 'sjz.supervisor']) staff[u] = await t.staff(u);
  });
  afterAll(async () => {
    await t.close();
  });

  /** The projection is current, and what tracking answers equals the view computed from the records. */
  async function same(id: string, queryCode: string, step: string): Promise<Record<string, unknown>> {
    const row = await findCase(t.ctx.store.db, id);
    expect(row, step).toBeDefined();
    const stored = await findTrackingOfCase(t.ctx.store.db, id);
    expect(stored?.format, `${step}: projection written`).toBe(trackingFormat);
    const computed = JSON.parse(JSON.stringify(await trackingView(t.ctx, row!))) as Record<string, unknown>;
    const r = await t.request('GET', `/api/track/${queryCode}`);
    expect(r.statusCode, step).toBe(200);
    expect(r.headers['content-type']).toContain('application/json');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.json(), step).toEqual(computed);
    return computed;
  }

  const upload = (cookie: string, path: string, filename: string) => {
    const { payload, contentType } = multipart(filename, png);
    return t.app.inject({ method: 'POST', url: path, payload, headers: { cookie, 'content-type': contentType, 'x-requested-with': 'xinfang' } });
  };

  it('equals the computed view through the whole lifecycle, attachments, documents, review and evaluation', async () => {
    t.setNow(CST('2026-03-02'));
    const { id, queryCode, citizen } = await newCase(t, { publicConsent: true });
    await same(id, queryCode, 'submitted');
    expect((await t.request('POST', `/api/cases/${id}/messages`, { cookie: citizen.cookie, body: { text: '补充：工地在城关镇。' } })).statusCode).toBe(201);
    await same(id, queryCode, 'message');
    expect((await upload(citizen.cookie, `/api/cases/${id}/attachments`, '工资条.png')).statusCode).toBe(201);
    await same(id, queryCode, 'citizen attachment');

    const steps: [string, string, Record<string, unknown>][] = [
      ['zd.acceptor', 'note', bodyFor('note', id)],
      ['zd.acceptor', 'accept', {}],
      ['zd.dispatcher', 'assign', { unitId: '130123-zj' }],
      ['zd.handler', 'return', bodyFor('return', id)],
      ['zd.dispatcher', 'assign', { unitId: '130123-zj' }],
      ['zd.handler', 'sign', {}],
      ['zd.dispatcher', 'urge', bodyFor('urge', id)],
      ['sjz.supervisor', 'supervise', bodyFor('supervise', id)],
      ['zd.handler', 'request-extension', bodyFor('request-extension', id)],
      ['zd.leader', 'approve-extension', { approve: false, note: '理由不足' }],
      ['zd.handler', 'request-extension', bodyFor('request-extension', id)],
      ['zd.leader', 'approve-extension', {}],
    ];
    for (const [who, action, body] of steps) {
      const r = await act(t, staff[who]!, id, action, body);
      expect(r.statusCode, `${who} ${action}: ${r.body}`).toBe(200);
      await same(id, queryCode, action);
    }

    // The 双向责任书 issued at signing: signed by the petitioner; a reply with its own attachment.
    const docs = (await t.request('GET', `/api/cases/${id}/documents`, { cookie: citizen.cookie })).json<{ items: { id: string; kind: string; sha256: string }[] }>().items;
    const letter = docs.find((d) => d.kind === 'responsibility_letter')!;
    expect((await t.request('POST', `/api/cases/${id}/documents/${letter.id}/sign`, { cookie: citizen.cookie, body: { sha256: letter.sha256 } })).statusCode).toBe(201);
    await same(id, queryCode, 'document signed');
    const att = await upload(staff['zd.handler']!, `/api/office/cases/${id}/attachments`, '整改通知.png');
    const replyBody: Record<string, unknown> = { text: '经核查，已责令用工单位于本月底前足额支付工资。' };
    if (att.statusCode === 201) replyBody.attachmentIds = [att.json<{ id: string }>().id];
    const reply = await act(t, staff['zd.handler']!, id, 'reply', replyBody);
    expect(reply.statusCode, reply.body).toBe(200);
    const replied = await same(id, queryCode, 'reply');
    expect(replied.allowedActions).toContain('review-request');

    expect((await t.request('POST', `/api/cases/${id}/confirm-receipt`, { cookie: citizen.cookie, body: {} })).statusCode).toBeLessThan(300);
    await same(id, queryCode, 'confirm-receipt');
    const rr = await t.request('POST', `/api/cases/${id}/review-request`, { cookie: citizen.cookie, body: { reason: '答复未解决拖欠工资问题，申请复查。' } });
    expect(rr.statusCode, rr.body).toBeLessThan(300);
    await same(id, queryCode, 'review-request');
    const decision = await act(t, staff['zd.supervisor']!, id, 'review-decision', bodyFor('review-decision', id));
    expect(decision.statusCode, decision.body).toBe(200);
    const reviewed = await same(id, queryCode, 'review-decision');
    expect(reviewed.allowedActions).toContain('review-request');

    // The day moves on: countdowns change, and after the window the 复核 is no longer offered.
    t.setNow(CST('2026-03-20'));
    await same(id, queryCode, 'days later');
    t.setNow(CST('2026-06-30'));
    const late = await same(id, queryCode, 'after the review window');
    expect(late.allowedActions).not.toContain('review-request');
    t.setNow(CST('2026-03-02'));

    const ev = await t.request('POST', `/api/cases/${id}/evaluation`, { cookie: citizen.cookie, body: { rating: 'basically_satisfied', comment: '基本解决' } });
    expect(ev.statusCode, ev.body).toBe(201);
    await same(id, queryCode, 'evaluation');
  });

  it('equals the computed view for rejection, forwarding, merging, withdrawal, disputes, publication and closing', async () => {
    t.setNow(CST('2026-03-02'));
    const rejected = await newCase(t);
    expect((await act(t, staff['zd.acceptor']!, rejected.id, 'reject', bodyFor('reject', rejected.id))).statusCode).toBe(200);
    await same(rejected.id, rejected.queryCode, 'reject');

    const forwarded = await newCase(t);
    await act(t, staff['zd.acceptor']!, forwarded.id, 'accept');
    expect((await act(t, staff['zd.dispatcher']!, forwarded.id, 'forward', bodyFor('forward', forwarded.id))).statusCode).toBe(200);
    await same(forwarded.id, forwarded.queryCode, 'forward');

    const first = await newCase(t);
    const second = await newCase(t);
    expect((await act(t, staff['zd.acceptor']!, second.id, 'merge', bodyFor('merge', first.id))).statusCode).toBe(200);
    await same(second.id, second.queryCode, 'merged');
    await same(first.id, first.queryCode, 'merged into');

    const withdrawn = await newCase(t);
    expect((await t.request('POST', `/api/cases/${withdrawn.id}/withdraw`, { cookie: withdrawn.citizen.cookie, body: { reason: '已自行协商解决' } })).statusCode).toBeLessThan(300);
    await same(withdrawn.id, withdrawn.queryCode, 'withdraw');

    // A disputed 双向责任书.
    const disputed = await newCase(t);
    await act(t, staff['zd.acceptor']!, disputed.id, 'accept');
    await act(t, staff['zd.dispatcher']!, disputed.id, 'assign', { unitId: '130123-zj' });
    await act(t, staff['zd.handler']!, disputed.id, 'sign');
    const docs = (await t.request('GET', `/api/cases/${disputed.id}/documents`, { cookie: disputed.citizen.cookie })).json<{ items: { id: string; kind: string }[] }>().items;
    const letter = docs.find((d) => d.kind === 'responsibility_letter')!;
    const dispute = await t.request('POST', `/api/cases/${disputed.id}/documents/${letter.id}/dispute`, { cookie: disputed.citizen.cookie, body: { reason: '我从未签过这份责任书' } });
    expect(dispute.statusCode, dispute.body).toBeLessThan(300);
    await same(disputed.id, disputed.queryCode, 'dispute');

    // Publication (阳光信访) of a consented, replied case, and its withdrawal.
    const pub = await newCase(t, { publicConsent: true });
    await act(t, staff['zd.acceptor']!, pub.id, 'accept');
    await act(t, staff['zd.dispatcher']!, pub.id, 'assign', { unitId: '130123-zj' });
    await act(t, staff['zd.handler']!, pub.id, 'sign');
    await act(t, staff['zd.handler']!, pub.id, 'reply', bodyFor('reply', pub.id));
    const draft = (await t.request('GET', `/api/office/cases/${pub.id}/publication`, { cookie: staff['zd.acceptor']! })).json<{ draft: Record<string, unknown> }>().draft;
    expect((await t.request('POST', `/api/office/cases/${pub.id}/publish`, { cookie: staff['zd.acceptor']!, body: draft })).statusCode).toBe(201);
    await same(pub.id, pub.queryCode, 'published');
    expect((await t.request('POST', `/api/office/cases/${pub.id}/unpublish`, { cookie: staff['zd.acceptor']!, body: { reason: '信访人撤回同意' } })).statusCode).toBeLessThan(300);
    await same(pub.id, pub.queryCode, 'unpublished');
    // 办结 once the review window has passed unused.
    t.setNow(CST('2026-06-30'));
    const acceptor = await t.staff('zd.acceptor');
    const close = await act(t, acceptor, pub.id, 'close', {});
    expect(close.statusCode, close.body).toBe(200);
    await same(pub.id, pub.queryCode, 'close');
    t.setNow(CST('2026-03-02'));
  });

  it('equals the computed view for the leaders’ mailbox, staff entry, a repeat joined as a message and split out, and automatic 催办/督办', async () => {
    t.setNow(CST('2026-03-02'));
    const mailbox = await newCase(t, { target: 'mailbox:130100', regionCode: '130102' });
    await same(mailbox.id, mailbox.queryCode, 'mailbox');

    const entry = await t.request('POST', '/api/office/entries', {
      cookie: staff['zd.registrar']!,
      body: {
        channel: 'letter',
        petitioner: { name: '李秀英', phone: '13812345678', address: '正定县城关镇常山路 8 号' },
        categoryCode: 'labour',
        regionCode: '130123',
        title: '物流公司拖欠搬运工工资',
        content: '来信人称在某物流公司做搬运工两个月，工资六千元至今未发，请求督促支付。',
      },
    });
    expect(entry.statusCode, entry.body).toBe(201);
    const e = entry.json<{ id: string; queryCode: string }>();
    await same(e.id, e.queryCode, 'staff entry');

    // 重复信访 'same': the text joins the open case as a message (detection on for this app only).
    const r = await startTestApp(kind, { now: CST('2026-03-02'), env: { XINFANG_REPEAT_THRESHOLD: '0.4' } });
    try {
      const c = await r.citizen();
      const first = await r.request('POST', '/api/cases', { cookie: c.cookie, body: newCaseBody() });
      expect(first.statusCode).toBe(201);
      const open = first.json<{ id: string; queryCode: string }>();
      const again = await r.request('POST', '/api/cases', { cookie: c.cookie, body: newCaseBody({ repeatDecision: 'same' }) });
      expect(again.statusCode, again.body).toBe(200);
      const row = await findCase(r.ctx.store.db, open.id);
      const tracked = await r.request('GET', `/api/track/${open.queryCode}`);
      expect(tracked.json()).toEqual(JSON.parse(JSON.stringify(await trackingView(r.ctx, row!))));
      expect(tracked.json<{ timeline: { type: string }[] }>().timeline.map((x) => x.type)).toEqual(['submitted', 'message']);
      // … and staff split it into a case of its own (split_out on the open case, split_from on the new one).
      const acceptor = await r.staff('zd.acceptor');
      const links = (await r.request('GET', `/api/office/cases/${open.id}/repeats`, { cookie: acceptor })).json<{ items: { id: string; decision: string }[] }>().items;
      const split = await r.request('POST', `/api/office/cases/${open.id}/repeats/${links.find((l) => l.decision === 'same')!.id}/split`, { cookie: acceptor, body: {} });
      expect(split.statusCode, split.body).toBe(200);
      const newId = split.json<{ newCaseId: string }>().newCaseId;
      for (const caseId of [open.id, newId]) {
        const cur = await findCase(r.ctx.store.db, caseId);
        const code = r.ctx.crypto.decrypt(cur!.query_code_enc);
        const got = await r.request('GET', `/api/track/${code}`);
        expect(got.json()).toEqual(JSON.parse(JSON.stringify(await trackingView(r.ctx, cur!))));
        expect((await findTrackingOfCase(r.ctx.store.db, caseId))?.format).toBe(trackingFormat);
      }
    } finally {
      await r.close();
    }

    // The deadline sweep's 催办 and 督办 are public events.
    const late = await newCase(t);
    t.setNow(CST('2026-03-05'));
    const swept = await runSweep(t.ctx, { urgeDays: 3 });
    expect(swept.urged + swept.supervised).toBeGreaterThan(0);
    const view = await same(late.id, late.queryCode, 'sweep');
    expect((view.timeline as { type: string }[]).map((x) => x.type)).toEqual(expect.arrayContaining(['urged', 'supervised']));
    t.setNow(CST('2026-03-02'));
  });

  it('is rebuilt for cases without a current projection, and tracking answers meanwhile from the records', async () => {
    t.setNow(CST('2026-03-02'));
    const c = await newCase(t);
    await act(t, staff['zd.acceptor']!, c.id, 'accept');
    const expected = await same(c.id, c.queryCode, 'before');
    // An older format (as after a change to the view) and a missing row are both served from the records …
    await t.ctx.store.db.updateTable('case_tracking').set({ format: trackingFormat - 1, view: '{"stale":true}' }).where('case_id', '=', c.id).execute();
    expect((await t.request('GET', `/api/track/${c.queryCode}`)).json()).toEqual(expected);
    const other = await newCase(t);
    const otherView = await same(other.id, other.queryCode, 'other');
    await t.ctx.store.db.deleteFrom('case_tracking').where('case_id', '=', other.id).execute();
    expect((await t.request('GET', `/api/track/${other.queryCode}`)).json()).toEqual(otherView);
    // … and rebuilt (the migration and every start-up do this).
    expect(await rebuildTracking(t.ctx, t.ctx.store.db)).toBe(2);
    await same(c.id, c.queryCode, 'rebuilt');
    await same(other.id, other.queryCode, 'rebuilt');
    expect(await rebuildTracking(t.ctx, t.ctx.store.db)).toBe(0);
    // Unknown codes stay 404, malformed ones 400.
    expect((await t.request('GET', '/api/track/AAAA-BBBB-CCCC-DDDD')).statusCode).toBe(404);
    expect((await t.request('GET', '/api/track/nope')).statusCode).toBe(400);
  });

  it('answers from the last committed state while a write transaction is open, neither waiting for it nor seeing it', async () => {
    t.setNow(CST('2026-03-02'));
    const c = await newCase(t);
    const committed = await same(c.id, c.queryCode, 'committed');
    const uncommitted = new Error('rolled back on purpose');
    let during: { status: number; body: unknown } | 'waited' | undefined;
    await expect(
      t.ctx.store.db.transaction().execute(async (tx) => {
        // A change in flight (as in a group commit of submissions, or an action on this very case) …
        await tx.updateTable('case_tracking').set({ view: '{"inFlight":true}' }).where('case_id', '=', c.id).execute();
        // … does not hold tracking up (on SQLite the serving connection is busy with this transaction;
        // on PostgreSQL the row is locked), and is not shown before it commits.
        const r = await Promise.race([
          t.request('GET', `/api/track/${c.queryCode}`).then((x) => ({ status: x.statusCode, body: x.json() as unknown })),
          new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), 3000)),
        ]);
        during = r;
        throw uncommitted;
      }),
    ).rejects.toBe(uncommitted);
    expect(during).toEqual({ status: 200, body: committed });
    if (kind === 'sqlite') expect(t.ctx.store.reader, 'SQLite on a file reads tracking on its read-only connection').toBeDefined();
    // Once committed, the next lookup shows the change.
    await act(t, staff['zd.acceptor']!, c.id, 'accept');
    const after = await same(c.id, c.queryCode, 'accepted');
    expect(after).not.toEqual(committed);
  });

  it('holds nothing the tracking view does not show: no personal data, no internal notes', async () => {
    t.setNow(CST('2026-03-02'));
    const c = await newCase(t, { address: '正定县城关镇常山路 99 号', coPetitioners: [{ name: '赵丽华', phone: '13712345678' }] });
    await act(t, staff['zd.acceptor']!, c.id, 'note', { text: '内部批注：信访人情绪激动' });
    const stored = await findTrackingOfCase(t.ctx.store.db, c.id);
    const all = `${stored!.view} ${stored!.clocks}`;
    expect(all).not.toMatch(/常山路 99|赵丽华|1[3-9]\d{9}|内部批注|情绪激动/);
    expect(all).not.toContain(c.citizen.name);
    expect(all).not.toContain(c.queryCode);
    expect(all).not.toContain(newCaseBody().content);
  });
});
