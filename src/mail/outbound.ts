/** Outbound e-mail over SMTP (nodemailer, pooled); the address comes from XINFANG_SMTP_URL. */
import nodemailer from 'nodemailer';
import type { Rendered } from '../services/notify.templates.js';

export interface MailSender {
  send(to: string, msg: Rendered): Promise<void>;
  close(): void;
}

/** A pooled SMTP sender, e.g. smtpSender('smtp://127.0.0.1:2525', 'xinfang@xf.example.cn'). */
export function smtpSender(url: string, from: string, opts: { maxConnections?: number; timeoutMs?: number } = {}): MailSender {
  const timeout = opts.timeoutMs ?? 15_000;
  const transport = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: opts.maxConnections ?? 5,
    maxMessages: 1000,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout * 2,
    // A local relay usually has no certificate for 127.0.0.1; STARTTLS is still used when offered.
    tls: { rejectUnauthorized: !/^smtps?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(url) },
  });
  return {
    async send(to, msg) {
      await transport.sendMail({ from, to, subject: msg.subject, text: msg.text });
    },
    close() {
      transport.close();
    },
  };
}

/** The bureau's sender address: XINFANG_MAIL_FROM, else xinfang@XINFANG_MAIL_DOMAIN. */
export function mailFrom(env: NodeJS.ProcessEnv = process.env): string {
  return env.XINFANG_MAIL_FROM ?? `xinfang@${env.XINFANG_MAIL_DOMAIN ?? 'localhost'}`;
}
