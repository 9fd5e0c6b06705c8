import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { databases, startTestApp, type TestApp } from '../support/harness.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { startMailListener } from '../../src/mail/inbound.js';
import { deliverOutbox } from '../../src/jobs/outbox-delivery.js';
import { smtpSender, type MailSender } from '../../src/mail/outbound.js';

// A 1×1 PNG: an attachment the portal accepts.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describe.each(databases)('e-mail channel (%s)', (kind) => {
  let t: TestApp;
  let listener: { port: number; close(): Promise<void> };
  let outbound: SmtpSink;
  let mailer: MailSender;
  const client = () => nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true });

  beforeAll(async () => {
    t = await startTestApp(kind, { now: '2026-03-02T02:00:00Z' });
    listener = await startMailListener(t.ctx, 0, '127.0.0.1', { domain: 'xf.example.cn', maxBytes: 200_000, perSenderPerHour: 3 });
    outbound = await startSmtpSink();
    mailer = smtpSender(`smtp://127.0.0.1:${outbound.port}`, 'xinfang@xf.example.cn');
  });
  afterAll(async () => {
    mailer.close();
    await listener.close();
    await outbound.stop();
    await t.close();
  });

  it('a mail in Chinese with an attachment becomes a case in 待受理, and the sender gets the query code back', async () => {
    await client().sendMail({
      from: '"李秀英" <lixiuying@example.com>',
      to: '130123@xf.example.cn',
      subject: '反映小区供暖不达标问题',
      text: '我是正定县某小区居民，今年入冬以来室内温度长期低于十八度，多次向物业反映无果，请求督促供热公司整改。',
      attachments: [{ filename: '室温照片.png', content: png }],
    });
    const inbox = await t.ctx.store.db.selectFrom('mail_inbox').selectAll().execute();
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ status: 'accepted', recipient: '130123@xf.example.cn' });
    const c = await t.ctx.store.db.selectFrom('case_file').selectAll().where('id', '=', inbox[0]!.case_id!).executeTakeFirstOrThrow();
    expect(c).toMatchObject({ channel: 'email', state: 'submitted', receiving_unit_id: '130123-xfj', title: '反映小区供暖不达标问题' });
    const atts = await t.ctx.store.db.selectFrom('attachment').select(['filename', 'mime']).where('case_id', '=', c.id).execute();
    expect(atts).toEqual([{ filename: '室温照片.png', mime: 'image/png' }]);

    await deliverOutbox(t.ctx, { owner: 'w', transports: { email: (to, m) => mailer.send(to, m) } });
    const reply = outbound.received.find((m) => m.subject?.startsWith('信访件已登记'));
    expect(reply).toBeDefined();
    expect(reply!.to && 'text' in reply!.to ? reply!.to.text : '').toContain('lixiuying@example.com');
    const code = /查询码 ([A-Z0-9-]+)/.exec(reply!.text ?? '')?.[1];
    expect(code).toBeTruthy();
    const track = await t.request('GET', `/api/track/${code}`);
    expect(track.statusCode).toBe(200);
    expect(track.json()).toMatchObject({ state: 'submitted' });
  });

  it('mail to the bureau without a region goes to the provincial bureau', async () => {
    await client().sendMail({ from: 'wang@example.com', to: 'xinfang@xf.example.cn', subject: '工资拖欠', text: '某建筑公司拖欠农民工工资三个月共计两万元，请求处理。' });
    const row = await t.ctx.store.db.selectFrom('mail_inbox').select('case_id').where('status', '=', 'accepted').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const c = await t.ctx.store.db.selectFrom('case_file').select('receiving_unit_id').where('id', '=', row.case_id!).executeTakeFirstOrThrow();
    expect(c.receiving_unit_id).toBe('130000-xfj');
  });

  it('an empty mail gets a polite refusal and is kept for review', async () => {
    await client().sendMail({ from: 'empty@example.com', to: 'xinfang@xf.example.cn', subject: '你好', text: '' });
    const row = await t.ctx.store.db.selectFrom('mail_inbox').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'refused', case_id: null });
    expect(row.reason).toContain('正文');
    expect(t.ctx.crypto.decrypt(row.raw_enc).length).toBeGreaterThan(0);
    const before = outbound.received.length;
    await deliverOutbox(t.ctx, { owner: 'w', transports: { email: (to, m) => mailer.send(to, m) } });
    const refusal = outbound.received.slice(before).find((m) => m.subject?.startsWith('来信未能登记'));
    expect(refusal?.text).toContain('已存档备查');
  });

  it('refuses other domains, oversize mail and senders over the hourly rate at the SMTP level', async () => {
    await expect(client().sendMail({ from: 'x@example.com', to: 'someone@other.example', subject: '测试', text: '这是一封发错地址的邮件，内容足够长。' })).rejects.toThrow(/550/);
    await expect(client().sendMail({ from: 'big@example.com', to: 'xinfang@xf.example.cn', subject: '大邮件', text: '大'.repeat(10), attachments: [{ filename: 'a.bin', content: Buffer.alloc(300_000, 1) }] })).rejects.toThrow(/552/);
    const send = () => client().sendMail({ from: 'often@example.com', to: 'xinfang@xf.example.cn', subject: '多次来信', text: '同一发件人多次来信反映同一问题，内容足够长。' });
    for (let i = 0; i < 3; i++) await send();
    await expect(send()).rejects.toThrow(/450/);
  });
});
