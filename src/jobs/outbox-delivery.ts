/**
 * Outbox delivery: claims due messages (SKIP LOCKED on PostgreSQL, the single writer on SQLite),
 * sends them by channel, records every attempt, retries with exponential backoff and gives up
 * loudly after a limit (status 'failed', listed for admins). Logs never carry recipients or text.
 */
import { sql } from 'kysely';
import type { AppContext } from '../services/context.js';
import { renderNotification, type Rendered } from '../services/notify.templates.js';
import { inTransaction } from '../store/tx.js';
import { jobsDb } from '../store/jobs.schema.js';
import { openOutboxPayload } from '../services/outbox-secrets.js';

/**
 * Where messages go; a function throws to signal a failed attempt. Undefined = the development
 * sink (table sms_sink, encrypted, read with `xinfang outbox sink` or GET /api/admin/outbox/sink).
 */
export interface Transports {
  email?: ((to: string, msg: Rendered) => Promise<void>) | undefined;
  sms?: ((phone: string, text: string) => Promise<void>) | undefined;
}

export interface DeliveryOptions {
  owner: string;
  transports: Transports;
  maxAttempts?: number;
  batchSize?: number;
  concurrency?: number;
  /** First retry delay; doubles each attempt up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long a claim is held before another worker may take the message (crash safety). */
  leaseMs?: number;
}

export interface DeliveryResult {
  claimed: number;
  sent: number;
  retrying: number;
  failed: number;
}

interface Claimed {
  id: number;
  channel: string;
  recipient_enc: string;
  template: string;
  payload: string;
  secrets_enc: string | null;
  case_id: string | null;
  attempts: number;
}

/** Delay before attempt n+1 after n failed attempts. */
export function backoffMs(failedAttempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, failedAttempts - 1));
}

async function claim(ctx: AppContext, owner: string, limit: number, leaseMs: number): Promise<Claimed[]> {
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const until = new Date(now.getTime() + leaseMs).toISOString();
  const lock = ctx.store.dialect === 'postgres' ? sql`for update skip locked` : sql``;
  const r = await sql<Claimed>`
    update outbox set claimed_by = ${owner}, next_attempt_at = ${until}
    where id in (select id from outbox where status = 'pending' and next_attempt_at <= ${nowIso}
                 order by next_attempt_at, id limit ${limit} ${lock})
    returning id, channel, recipient_enc, template, payload, secrets_enc, case_id, attempts`.execute(ctx.store.db);
  return r.rows.map((x) => ({ ...x, id: Number(x.id), attempts: Number(x.attempts) }));
}

/** Delivers one batch of due messages; returns what happened. */
export async function deliverOutbox(ctx: AppContext, opts: DeliveryOptions): Promise<DeliveryResult> {
  const maxAttempts = opts.maxAttempts ?? 10;
  const base = opts.baseDelayMs ?? 30_000;
  const maxDelay = opts.maxDelayMs ?? 3_600_000;
  const batch = await claim(ctx, opts.owner, opts.batchSize ?? 200, opts.leaseMs ?? 300_000);
  const result: DeliveryResult = { claimed: batch.length, sent: 0, retrying: 0, failed: 0 };
  if (batch.length === 0) return result;
  const outcomes = new Map<number, string | null>();
  const queue = [...batch];
  const worker = async () => {
    for (let m = queue.shift(); m; m = queue.shift()) {
      try {
        await deliverOne(ctx, m, opts.transports);
        outcomes.set(m.id, null);
      } catch (err) {
        outcomes.set(m.id, (err instanceof Error ? err.message : String(err)).slice(0, 500));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 20, batch.length) }, worker));
  const at = ctx.clock.now();
  const atIso = at.toISOString();
  await inTransaction(ctx.store, async (t) => {
    const db = jobsDb(t.tx);
    for (const m of batch) {
      const error = outcomes.get(m.id) ?? null;
      const attempt = m.attempts + 1;
      await t.tx.insertInto('outbox_attempt').values({ outbox_id: m.id, attempt, at: atIso, ok: error === null ? 1 : 0, error }).execute();
      const mine = db.updateTable('outbox').where('id', '=', m.id).where('claimed_by', '=', opts.owner);
      if (error === null) {
        await mine.set({ status: 'sent', sent_at: atIso, attempts: attempt, last_error: null, claimed_by: null }).execute();
        result.sent += 1;
      } else if (attempt >= maxAttempts) {
        await mine.set({ status: 'failed', attempts: attempt, last_error: error, claimed_by: null }).execute();
        result.failed += 1;
        // Loud, but without recipient or content.
        console.error(`通知发送失败已放弃：outbox #${m.id}（${m.channel}，${m.template}）共尝试 ${attempt} 次，最后错误：${error}`);
      } else {
        const next = new Date(at.getTime() + backoffMs(attempt, base, maxDelay)).toISOString();
        await mine.set({ attempts: attempt, last_error: error, next_attempt_at: next, claimed_by: null }).execute();
        result.retrying += 1;
      }
    }
  });
  return result;
}

async function deliverOne(ctx: AppContext, m: Claimed, transports: Transports): Promise<void> {
  const payload = openOutboxPayload(ctx, m.payload, m.secrets_enc);
  if (payload.queryCode === undefined && m.case_id && (m.template === 'case_replied' || m.template === 'review_decided')) {
    // The link to confirm and evaluate carries the query code, kept encrypted on the case only.
    const c = await ctx.store.db.selectFrom('case_file').select('query_code_enc').where('id', '=', m.case_id).executeTakeFirst();
    if (c) payload.queryCode = ctx.crypto.decrypt(c.query_code_enc);
  }
  const msg = renderNotification(m.template, payload, ctx.config.publicBaseUrl);
  const recipient = ctx.crypto.decrypt(m.recipient_enc);
  const at = ctx.clock.now().toISOString();
  switch (m.channel) {
    case 'email':
    case 'sms': {
      const send = m.channel === 'email' ? transports.email && ((to: string) => transports.email!(to, msg)) : transports.sms && ((to: string) => transports.sms!(to, msg.text));
      if (send) await send(recipient);
      else {
        await ctx.store.db
          .insertInto('sms_sink')
          .values({ outbox_id: m.id, phone_enc: m.recipient_enc, text_enc: ctx.crypto.encrypt(msg.text), at })
          .onConflict((oc) => oc.column('outbox_id').doNothing())
          .execute();
      }
      return;
    }
    case 'inapp': {
      const [kind, id] = recipient.split(':', 2);
      await ctx.store.db
        .insertInto('inapp_message')
        .values({ outbox_id: m.id, unit_id: kind === 'unit' ? id! : null, account_id: kind === 'account' ? id! : null, case_id: m.case_id, title: msg.subject, body: msg.text, created_at: at, read_at: null })
        .onConflict((oc) => oc.column('outbox_id').doNothing())
        .execute();
      return;
    }
    default:
      throw new Error(`未知通道 ${m.channel}`);
  }
}

/** An SMS gateway speaking JSON over HTTP: POST {to, text}; any 2xx is accepted. */
export function httpSmsGateway(url: string): (phone: string, text: string) => Promise<void> {
  return async (phone, text) => {
    const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: phone, text }), signal: AbortSignal.timeout(10_000) });
    if (!r.ok) throw new Error(`短信网关返回 ${r.status}`);
  };
}
