/**
 * A petitioner who wrote by e-mail hears about every step by e-mail, like SMS for those with a
 * phone: acceptance / rejection, forwarding, extension, reply (with the tracking link), review
 * decision — delivered to a real local SMTP server. The address is kept encrypted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { act, databases, startTestApp, type TestApp } from '../support/harness.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { startMailListener } from '../../src/mail/inbound.js';
import { deliverOutbox } from '../../src/jobs/outbox-delivery.js';
import { smtpSender, type MailSender } from '../../src/mail/outbound.js';
import type { ParsedMail } from 'mailparser';

describe.each(databases)('notifications by e-mail to e-mail petitioners (%s)', (kind) => {
  let t: TestApp;
  let listener: { port: number; close(): Promise<void> };
  let outbound: SmtpSink;
  let mailer: MailSender;
  let staff: Record<string, string>;

  const file = async (from: string, subject: string) => {
    const client = nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true });
    await client.sendMail({ from, to: '130123@xf.example.cn', subject, text: '本人在正定县某建筑工地务工半年，工资两万元至今未结清，多次讨要无果，请求有关部门依法处理。' });
    const row = await t.ctx.store.db.selectFrom('mail_inbox').select('case_id').where('status', '=', 'accepted').orderBy('id', 'desc').executeTakeFirstOrThrow();
    return row.case_id!;
  };
  /** Delivers the outbox and returns the mails that reached the SMTP server for `to`. */
  const mailsTo = async (to: string): Promise<ParsedMail[]> => {
    const before = outbound.received.length;
    await deliverOutbox(t.ctx, { owner: 'w', transports: { email: (rcpt, m) => mailer.send(rcpt, m) } });
    return outbound.received.slice(before).filter((m) => (m.to && 'text' in m.to ? m.to.text : '').includes(to));
  };
  const ok = async (cookie: string, id: string, action: string, body: Record<string, unknown> = {}) => {
    const r = await act(t, cookie, id, action, body);
    expect(r.statusCode, `${action}: ${r.body}`).toBe(200);
  };

  beforeAll(async () => {
    t = await startTestApp(kind, { now: '2026-03-02T02:00:00Z' });
    listener = await startMailListener(t.ctx, 0, '127.0.0.1', { domain: 'xf.example.cn', maxBytes: 200_000, perSenderPerHour: 10 });
    outbound = await startSmtpSink();
    mailer = smtpSender(`smtp://127.0.0.1:${outbound.port}`, 'xinfang@xf.example.cn');
    staff = {};
    for (const u of ['zd.acceptor', 'zd.dispatcher', 'zd.handler', 'zd.leader', 'zd.supervisor']) staff[u] = await t.staff(u);
  });
  afterAll(async () => {
    mailer.close();
    await listener.close();
    await outbound.stop();
    await t.close();
  });

  it('every step reaches the sender by e-mail; the reply carries the tracking link; one-time codes go by e-mail too', async () => {
    const id = await file('"赵大勇" <zhaodayong@example.com>', '反映工地拖欠工资');
    const row = await t.ctx.store.db.selectFrom('case_file').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const enc = (row as unknown as { petitioner_email_enc: string }).petitioner_email_enc;
    expect(enc).not.toContain('zhaodayong');
    expect(t.ctx.crypto.decrypt(enc)).toBe('zhaodayong@example.com');
    const first = await mailsTo('zhaodayong@example.com');
    expect(first.map((m) => m.subject)).toEqual([expect.stringMatching(/^信访件已登记/)]);
    const queryCode = /查询码 ([A-Z0-9-]+)/.exec(first[0]!.text ?? '')![1]!;

    await ok(staff['zd.acceptor']!, id, 'accept');
    const accepted = await mailsTo('zhaodayong@example.com');
    expect(accepted.map((m) => m.subject)).toEqual([expect.stringMatching(/^信访件已受理/)]);
    expect(accepted[0]!.text).toContain('2026-05-06');

    await ok(staff['zd.dispatcher']!, id, 'assign', { unitId: '130123-zj' });
    expect((await mailsTo('zhaodayong@example.com')).map((m) => m.text)).toEqual([expect.stringContaining('正定县住房和城乡建设局')]);

    await ok(staff['zd.handler']!, id, 'sign');
    await ok(staff['zd.handler']!, id, 'request-extension', { days: 15, reason: '需要会同人社部门联合调查核实' });
    await ok(staff['zd.leader']!, id, 'approve-extension', { approve: true });
    const ext = await mailsTo('zhaodayong@example.com');
    expect(ext.map((m) => m.subject)).toEqual([expect.stringMatching(/^办理期限延长/)]);
    expect(ext[0]!.text).toContain('需要会同人社部门联合调查核实');

    await ok(staff['zd.handler']!, id, 'reply', { text: '经核查，已责令用工单位于本月底前足额支付工资。' });
    const replied = await mailsTo('zhaodayong@example.com');
    expect(replied.map((m) => m.subject)).toEqual([expect.stringMatching(/^信访件已答复/)]);
    expect(replied[0]!.text).toContain(`/track/${queryCode}`);
    // The query code is not in the outbox payload in plain text.
    const stored = await t.ctx.store.db.selectFrom('outbox').select('payload').where('case_id', '=', id).where('template', '=', 'case_replied').execute();
    expect(stored.map((s) => s.payload).join()).not.toContain(queryCode);

    // No phone: the one-time code for the petitioner's acts goes to the mailbox.
    const otp = await t.request('POST', `/api/track/${queryCode}/otp`);
    expect(otp.statusCode, otp.body).toBe(201);
    expect(otp.json()).toMatchObject({ channel: 'email', phoneMasked: 'zh***@example.com' });
    const code = /验证码 (\d{6})/.exec((await mailsTo('zhaodayong@example.com'))[0]!.text ?? '')![1]!;
    const rr = await t.request('POST', `/api/track/${queryCode}/review-request`, { body: { otp: code, reason: '工资至今仍未支付到位，申请复查' } });
    expect(rr.statusCode, rr.body).toBe(201);

    await ok(staff['zd.supervisor']!, id, 'review-decision', { outcome: 'upheld', text: '经复查，原答复意见认定事实清楚，处理恰当，予以维持。' });
    const decided = await mailsTo('zhaodayong@example.com');
    expect(decided.map((m) => m.subject)).toEqual([expect.stringMatching(/^复查意见/)]);
    expect(decided[0]!.text).toContain(`/track/${queryCode}`);
  });

  it('a rejection reaches the e-mail petitioner, by e-mail only (no phone on file)', async () => {
    const id = await file('qianli@example.com', '邻居纠纷');
    await mailsTo('qianli@example.com');
    await ok(staff['zd.acceptor']!, id, 'reject', { reasonCode: 'not_our_authority', guidanceChannel: 'other_authority' });
    const rejected = await mailsTo('qianli@example.com');
    expect(rejected.map((m) => m.subject)).toEqual([expect.stringMatching(/^信访件不予受理告知/)]);
    const channels = await t.ctx.store.db.selectFrom('outbox').select(['channel', 'template']).where('case_id', '=', id).orderBy('id').execute();
    expect(channels).toEqual([
      { channel: 'email', template: 'case_submitted' },
      { channel: 'email', template: 'case_rejected' },
    ]);
  });
});
