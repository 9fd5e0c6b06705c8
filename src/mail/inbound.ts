/**
 * E-mail channel (电子邮件渠道): an SMTP listener for mail to the bureau's address. A well-formed
 * petition becomes a case with channel 'email' in 待受理 and the sender gets the query code by
 * mail (through the outbox). Every mail received is kept (mail_inbox, encrypted); an empty or
 * malformed one gets a polite refusal, never silence. Oversized mail is refused by SMTP SIZE
 * (552, the sender's server bounces it), a sender over the hourly rate gets a temporary 450.
 */
import { setPetitionerEmail } from '../services/petitioner-notify.js';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AppContext } from '../services/context.js';
import { addAttachment, caseNumber, createCase } from '../services/case.service.js';
import { enqueue } from '../store/outbox.repository.js';
import { sealOutboxSecrets } from '../services/outbox-secrets.js';
import { inTransaction } from '../store/tx.js';

export interface InboundOptions {
  /** Bureau mail domain (XINFANG_MAIL_DOMAIN): mail to any other domain is refused at RCPT. */
  domain: string;
  maxBytes: number;
  perSenderPerHour: number;
}

/** Options from the environment: XINFANG_MAIL_DOMAIN, XINFANG_MAIL_MAX_KB (10240), XINFANG_MAIL_PER_HOUR (10). */
export function inboundOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): InboundOptions {
  return {
    domain: (env.XINFANG_MAIL_DOMAIN ?? 'localhost').toLowerCase(),
    maxBytes: Number(env.XINFANG_MAIL_MAX_KB ?? 10_240) * 1024,
    perSenderPerHour: Number(env.XINFANG_MAIL_PER_HOUR ?? 10),
  };
}

class SmtpError extends Error {
  constructor(
    message: string,
    readonly responseCode: number,
  ) {
    super(message);
  }
}

/** The receiving region named by the local part ('130123@…', 'xf130100@…'), else the province. */
export function regionOfAddress(ctx: AppContext, address: string): string {
  const m = /(\d{6})/.exec(address.split('@')[0] ?? '');
  const code = m?.[1];
  if (code && ctx.units.get(code)?.kind === 'government') return code;
  return '130000';
}

async function sentLastHour(ctx: AppContext, senderHash: string): Promise<number> {
  const since = new Date(ctx.clock.now().getTime() - 3_600_000).toISOString();
  const r = await ctx.store.db.selectFrom('mail_inbox').select((eb) => eb.fn.countAll<number>().as('n')).where('sender_hash', '=', senderHash).where('received_at', '>', since).executeTakeFirst();
  return Number(r?.n ?? 0);
}

function senderHash(ctx: AppContext, address: string): string {
  return ctx.crypto.lookupHash(`mail:${address.toLowerCase()}`);
}

/** Why a parsed mail cannot become a case, or null when it can. */
export function refusalReason(mail: ParsedMail | null, body: string): string | null {
  if (!mail) return '邮件格式无法识别';
  if (body.length < 10) return '邮件正文为空或过短（至少 10 个字），请写明反映的问题、事实和诉求';
  if (body.length > 5000) return '邮件正文超过 5000 字，请精简后重新发送或改为附件';
  return null;
}

/** Handles one received mail: keep it, then a case or a polite refusal. Exported for tests and reprocessing. */
export async function receiveMail(ctx: AppContext, raw: Buffer, envelope: { from: string; to: string }): Promise<{ status: 'accepted' | 'refused'; caseId?: string; reason?: string }> {
  let mail: ParsedMail | null = null;
  try {
    mail = await simpleParser(raw);
  } catch {
    mail = null;
  }
  const fromHeader = mail?.from?.value[0];
  const replyTo = (fromHeader?.address ?? envelope.from).trim();
  const name = (fromHeader?.name ?? '').trim() || replyTo.split('@')[0] || '电子邮件来信人';
  const body = (mail?.text ?? '').replace(/\r\n/g, '\n').trim();
  const subject = (mail?.subject ?? '').trim();
  const at = ctx.clock.now().toISOString();
  const keep = {
    received_at: at,
    sender_hash: senderHash(ctx, envelope.from || replyTo),
    sender_enc: ctx.crypto.encrypt(replyTo),
    recipient: envelope.to,
    size: raw.length,
    raw_enc: ctx.crypto.encrypt(raw.toString('base64')),
  };
  const refuse = async (reason: string) => {
    await inTransaction(ctx.store, async (t) => {
      await t.tx.insertInto('mail_inbox').values({ ...keep, status: 'refused', reason, case_id: null }).execute();
      if (replyTo.includes('@') && envelope.from) {
        await enqueue(t, { channel: 'email', recipientEnc: ctx.crypto.encrypt(replyTo), template: 'mail_refused', payload: { subject: subject || '（无主题）', reason }, caseId: null, at });
      }
    });
    return { status: 'refused' as const, reason };
  };
  const reason = refusalReason(mail, body);
  if (reason) return refuse(reason);
  const region = regionOfAddress(ctx, envelope.to);
  const title = (subject || body.split('\n')[0]!).slice(0, 100).padEnd(4, '…');
  let created;
  try {
    created = await createCase(
      ctx,
      { target: 'bureau', categoryCode: 'other', regionCode: region, title, content: body },
      {
        accountId: null,
        name: name.slice(0, 50),
        phone: null,
        channel: 'email',
        actor: { kind: 'citizen', id: null, unitId: null },
        also: async (t, row) => {
          await t.tx.insertInto('mail_inbox').values({ ...keep, status: 'accepted', reason: null, case_id: row.id }).execute();
          // Every later notification of the case goes to this address too (services/petitioner-notify.ts).
          await setPetitionerEmail(ctx, t.tx, row.id, replyTo);
          await enqueue(t, {
            channel: 'email',
            recipientEnc: ctx.crypto.encrypt(replyTo),
            template: 'case_submitted',
            payload: { caseNo: caseNumber(row), dueAccept: row.due_accept },
            secretsEnc: sealOutboxSecrets(ctx, { queryCode: ctx.crypto.decrypt(row.query_code_enc) }),
            caseId: row.id,
            at,
          });
        },
      },
    );
  } catch (err) {
    return refuse(err instanceof Error ? err.message : '无法登记');
  }
  // Attachments the portal accepts (images, PDF) go with the case; others are listed in a note by name.
  for (const a of mail?.attachments ?? []) {
    try {
      await addAttachment(ctx, created.row, { kind: 'citizen', id: null, unitId: null }, 'petition', { filename: a.filename ?? '附件', data: a.content });
    } catch {
      // Kept in the stored raw mail; staff see it in the mail inbox.
    }
  }
  return { status: 'accepted', caseId: created.row.id };
}

/** Starts the listener; resolves when it is listening. */
export async function startMailListener(ctx: AppContext, port: number, host: string, opts: InboundOptions): Promise<{ server: SMTPServer; port: number; close(): Promise<void> }> {
  const server = new SMTPServer({
    banner: '河北省信访局 网上信访电子邮件受理',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: opts.maxBytes,
    logger: false,
    onMailFrom(address: SMTPServerAddress, _s: SMTPServerSession, cb: (err?: Error | null) => void) {
      sentLastHour(ctx, senderHash(ctx, address.address)).then(
        (n) => cb(n >= opts.perSenderPerHour ? new SmtpError('来信过于频繁，请一小时后再试 (rate limit)', 450) : null),
        (err: unknown) => cb(err instanceof Error ? err : new Error(String(err))),
      );
    },
    onRcptTo(address: SMTPServerAddress, _s: SMTPServerSession, cb: (err?: Error | null) => void) {
      const domain = address.address.split('@')[1]?.toLowerCase();
      cb(domain === opts.domain ? null : new SmtpError('本服务器只接收发给信访局的邮件', 550));
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, cb: (err?: Error | null) => void) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          cb(new SmtpError(`邮件超过 ${Math.round(opts.maxBytes / 1024)} KB 上限`, 552));
          return;
        }
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const to = session.envelope.rcptTo[0]?.address ?? '';
        receiveMail(ctx, Buffer.concat(chunks), { from, to }).then(
          () => cb(null),
          (err: unknown) => cb(new SmtpError(`暂时无法处理，请稍后重试：${err instanceof Error ? err.message : String(err)}`, 451)),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  server.on('error', (err) => console.error(`邮件受理服务出错：${err.message}`));
  const addr = (server as unknown as { server: { address(): { port: number } } }).server.address();
  return { server, port: addr.port, close: () => new Promise<void>((r) => server.close(() => r())) };
}
