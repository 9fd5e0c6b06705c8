import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieOf, databases, newCase, startTestApp, type TestApp } from '../support/harness.js';
import { demoPassword } from '../../src/services/seed.service.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { deliverOutbox, type Transports } from '../../src/jobs/outbox-delivery.js';
import { smtpSender, type MailSender } from '../../src/mail/outbound.js';
import { enqueue } from '../../src/store/outbox.repository.js';
import { inTransaction } from '../../src/store/tx.js';
import { runSweep } from '../../src/jobs/sweep.js';
import { renderNotification } from '../../src/services/notify.templates.js';
import { totpAt } from '../../src/security/totp.js';

async function queueMail(t: TestApp, n: number, at: string) {
  await inTransaction(t.ctx.store, async (tx) => {
    for (let i = 0; i < n; i++) {
      await enqueue(tx, { channel: 'email', recipientEnc: t.ctx.crypto.encrypt(`p${i}@example.cn`), template: 'case_accepted', payload: { caseNo: `XF2026-${String(i).padStart(6, '0')}`, dueReply: '2026-05-06' }, caseId: null, at });
    }
  });
}

/** prov.admin with TOTP enrolled (admin duties need the second factor); returns a fresh login. */
async function adminLogin(t: TestApp): Promise<() => Promise<string>> {
  const cookie = await t.staff('prov.admin');
  const s = await t.request('POST', '/api/me/totp/setup', { cookie, body: {} });
  if (s.statusCode !== 200) throw new Error(`totp setup ${s.statusCode} ${s.body}`);
  const { secret } = s.json<{ secret: string }>();
  const e = await t.request('POST', '/api/me/totp/enable', { cookie, body: { code: totpAt(secret, t.ctx.clock.now()) } });
  if (e.statusCode !== 200) throw new Error(`totp enable ${e.statusCode} ${e.body}`);
  return async () => {
    t.setNow(new Date(t.ctx.clock.now().getTime() + 31_000).toISOString()); // codes are single-use
    const r = await t.request('POST', '/api/auth/login', { body: { login: 'prov.admin', password: demoPassword, totp: totpAt(secret, t.ctx.clock.now()) } });
    if (r.statusCode !== 200) throw new Error(`admin login ${r.statusCode} ${r.body}`);
    return cookieOf(r);
  };
}

async function statuses(t: TestApp) {
  const rows = await t.ctx.store.db.selectFrom('outbox').select(['status', 'channel']).where('channel', '=', 'email').execute();
  const out: Record<string, number> = {};
  for (const r of rows) out[r.status] = (out[r.status] ?? 0) + 1;
  return out;
}

describe.each(databases)('notifications through the outbox (%s)', (kind) => {
  let t: TestApp;
  let smtp: SmtpSink;
  let mailer: MailSender;
  let transports: Transports;
  let login: () => Promise<string>;
  beforeAll(async () => {
    t = await startTestApp(kind, { now: '2026-03-02T02:00:00Z' });
    login = await adminLogin(t);
    smtp = await startSmtpSink();
    mailer = smtpSender(`smtp://127.0.0.1:${smtp.port}`, 'xinfang@xf.example.cn', { timeoutMs: 2000 });
    transports = { email: (to, m) => mailer.send(to, m) };
  });
  afterAll(async () => {
    mailer.close();
    await smtp.stop();
    await t.close();
  });

  it('the query code SMS goes to the development sink, readable by an admin, with every attempt recorded', async () => {
    const { queryCode } = await newCase(t);
    const r = await deliverOutbox(t.ctx, { owner: 'w1', transports });
    expect(r).toMatchObject({ sent: 1, failed: 0 });
    const admin = await login();
    const sink = await t.request('GET', '/api/admin/outbox/sink', { cookie: admin });
    expect(sink.statusCode).toBe(200);
    const item = sink.json<{ items: { template: string; text: string }[] }>().items[0]!;
    expect(item.template).toBe('case_submitted');
    expect(item.text).toContain(queryCode);
    const list = await t.request('GET', '/api/admin/outbox?status=sent', { cookie: admin });
    expect(list.json<{ items: { template: string }[] }>().items.map((x) => x.template)).toContain('case_submitted');
    expect(list.body).not.toContain(queryCode);
    const attempts = await t.ctx.store.db.selectFrom('outbox_attempt').selectAll().execute();
    expect(attempts.length).toBeGreaterThanOrEqual(1);
    // A handler may not read the sink or the queue.
    expect((await t.request('GET', '/api/admin/outbox/sink', { cookie: await t.staff('zd.handler') })).statusCode).toBe(403);
  });

  it('e-mail reaches a real SMTP server, in Chinese', async () => {
    const before = smtp.received.length;
    await queueMail(t, 20, t.ctx.clock.now().toISOString());
    const r = await deliverOutbox(t.ctx, { owner: 'w1', transports });
    expect(r).toMatchObject({ claimed: 20, sent: 20 });
    expect(smtp.received.length - before).toBe(20);
    const m = smtp.received[smtp.received.length - 1]!;
    expect(m.subject).toMatch(/^信访件已受理（XF2026-\d{6}）$/);
    expect(m.text).toContain('将于 2026-05-06 前办理答复');
  });

  it('with the SMTP server down for an hour nothing is lost; everything goes out when it returns', async () => {
    await smtp.stop();
    const t0 = Date.parse('2026-03-03T02:00:00Z');
    t.setNow(new Date(t0).toISOString());
    await queueMail(t, 10, new Date(t0).toISOString());
    const before = smtp.received.length;
    // Try every five minutes for an hour: all attempts fail, backoff spaces them out, nothing gives up.
    for (let min = 0; min <= 60; min += 5) {
      t.setNow(new Date(t0 + min * 60_000).toISOString());
      const r = await deliverOutbox(t.ctx, { owner: 'w1', transports });
      expect(r.sent).toBe(0);
      expect(r.failed).toBe(0);
    }
    expect(await statuses(t)).toMatchObject({ pending: 10 });
    const tries = await t.ctx.store.db.selectFrom('outbox').select('attempts').where('status', '=', 'pending').execute();
    expect(Math.min(...tries.map((x) => x.attempts))).toBeGreaterThanOrEqual(5);
    await smtp.start();
    t.setNow(new Date(t0 + 3 * 3_600_000).toISOString());
    const r = await deliverOutbox(t.ctx, { owner: 'w1', transports });
    expect(r.sent).toBe(10);
    expect(smtp.received.length - before).toBe(10);
    expect((await statuses(t)).pending ?? 0).toBe(0);
  });

  it('gives up loudly after the limit: failed, visible to admins, and can be retried', async () => {
    await smtp.stop();
    t.setNow('2026-03-04T02:00:00Z');
    await queueMail(t, 1, '2026-03-04T02:00:00.000Z');
    for (let i = 0; i < 3; i++) {
      t.setNow(new Date(Date.parse('2026-03-04T02:00:00Z') + i * 3_600_000).toISOString());
      await deliverOutbox(t.ctx, { owner: 'w1', transports, maxAttempts: 3 });
    }
    const admin = await login();
    const failed = (await t.request('GET', '/api/admin/outbox?status=failed', { cookie: admin })).json<{ items: { id: number; attempts: number; last_error: string }[] }>().items;
    expect(failed).toHaveLength(1);
    expect(failed[0]!.attempts).toBe(3);
    expect(failed[0]!.last_error).toBeTruthy();
    await smtp.start();
    expect((await t.request('POST', `/api/admin/outbox/${failed[0]!.id}/retry`, { cookie: admin })).json()).toEqual({ retried: true });
    expect((await deliverOutbox(t.ctx, { owner: 'w1', transports })).sent).toBe(1);
  });

  it('automatic 催办 reaches the unit as an in-app message', async () => {
    t.setNow('2026-03-09T02:00:00Z');
    await newCase(t);
    t.setNow('2026-03-10T02:00:00Z');
    expect((await runSweep(t.ctx, { urgeDays: 3 })).urged).toBeGreaterThanOrEqual(1);
    await deliverOutbox(t.ctx, { owner: 'w1', transports });
    const r = await t.request('GET', '/api/office/messages', { cookie: await t.staff('zd.acceptor') });
    expect(r.statusCode).toBe(200);
    expect(r.json<{ items: { title: string }[] }>().items.some((m) => m.title.startsWith('催办通知'))).toBe(true);
  });
});

describe('notification templates', () => {
  it('the reply notice links to tracking with the query code', () => {
    const m = renderNotification('case_replied', { caseNo: 'XF2026-000001', queryCode: 'ABCD-EFGH-JKMN-PQRS', dueReviewRequest: '2026-04-01' }, 'https://xf.example.cn');
    expect(m.text).toContain('https://xf.example.cn/track/ABCD-EFGH-JKMN-PQRS');
    for (const tpl of ['case_submitted', 'case_accepted', 'case_rejected', 'case_forwarded', 'case_extended', 'review_decided', 'unit_assigned', 'unit_urged', 'unit_supervised', 'mail_refused']) {
      expect(renderNotification(tpl, { caseNo: 'XF2026-000001' }, 'https://x').subject).not.toBe('信访通知');
    }
  });
});
