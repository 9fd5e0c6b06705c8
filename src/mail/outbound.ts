/** Outbound e-mail over SMTP (nodemailer, pooled); the address comes from XINFANG_SMTP_URL. */
import { createRequire } from 'node:module';
import net from 'node:net';
import nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type { Rendered } from '../services/notify.templates.js';

export interface MailSender {
  send(to: string, msg: Rendered): Promise<void>;
  close(): void;
}

/** nodemailer's own reading of an smtp:// URL (host, port, secure, auth, ?name=value options). */
const { parseConnectionUrl } = createRequire(import.meta.url)('nodemailer/lib/shared') as { parseConnectionUrl(url: string): Omit<SMTPPool.Options, 'pool'> };

/**
 * nodemailer's getSocket: a TCP connection to the relay with TCP_NODELAY. nodemailer writes a
 * message in several small pieces; with Nagle's algorithm on, the final ".", written while the
 * previous piece is unacknowledged, waits for the relay's delayed ACK (~40 ms) — a pooled connection
 * then carried ~20 messages a second however fast both ends were.
 */
function noDelayConnection(host: string, port: number) {
  // Handed over while still connecting: nodemailer attaches its handlers at once, so a refused or
  // failed connection reaches it as the socket's error, and its connection and greeting timeouts apply.
  return (_options: unknown, callback: (err: Error | null, socketOptions: { connection: net.Socket }) => void): void => {
    callback(null, { connection: net.connect({ host, port, noDelay: true }) });
  };
}

/** A pooled SMTP sender, e.g. smtpSender('smtp://127.0.0.1:2525', 'xinfang@xf.example.cn'). */
export function smtpSender(url: string, from: string, opts: { maxConnections?: number; timeoutMs?: number } = {}): MailSender {
  const timeout = opts.timeoutMs ?? 15_000;
  // Given `url`, nodemailer reads only the URL and drops every other option: the sender was not
  // pooled (a new connection, greeting and EHLO per message) and had none of these timeouts. So the
  // URL is parsed here and these are the defaults its own ?name=value options may still override.
  const fromUrl = parseConnectionUrl(url);
  const transport = nodemailer.createTransport({
    maxConnections: opts.maxConnections ?? 5,
    maxMessages: 1000,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout * 2,
    ...fromUrl,
    pool: true,
    // smtp:// (STARTTLS still negotiated on it) over a TCP_NODELAY connection; smtps:// as nodemailer connects it.
    ...(fromUrl.secure || !fromUrl.host ? {} : { getSocket: noDelayConnection(fromUrl.host, fromUrl.port ?? 587) }),
    // A local relay usually has no certificate for 127.0.0.1; STARTTLS is still used when offered.
    tls: { rejectUnauthorized: !/^smtps?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(url), ...fromUrl.tls },
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
