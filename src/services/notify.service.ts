/** Reading the notification side for admins and units: outbox status, the development sink, in-app messages, the mail inbox. */
import type { AppContext } from './context.js';

/** Outbox rows without recipient or content: status, attempts and the last error. */
export async function listOutbox(ctx: AppContext, status: 'pending' | 'sent' | 'failed' | undefined, limit: number) {
  let q = ctx.store.db.selectFrom('outbox').select(['id', 'channel', 'template', 'case_id', 'status', 'attempts', 'next_attempt_at', 'last_error', 'created_at', 'sent_at']);
  if (status) q = q.where('status', '=', status);
  const rows = await q.orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), last_error: maskContacts(r.last_error) }));
}

/** A gateway's error text may quote the recipient ("550 <li@example.com> unknown"): mask addresses and phone numbers. */
export function maskContacts(text: string | null): string | null {
  if (text === null) return null;
  return text
    .replace(/([A-Za-z0-9._%+-]{1,2})[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+)/g, '$1***@$2')
    .replace(/(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g, '$1****$2');
}

/** Puts a failed message back in the queue with a fresh attempt budget. */
export async function retryOutbox(ctx: AppContext, id: number): Promise<boolean> {
  const r = await ctx.store.db
    .updateTable('outbox')
    .set({ status: 'pending', attempts: 0, next_attempt_at: ctx.clock.now().toISOString() })
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** The development sink: messages that would have gone to the SMS gateway or SMTP, decrypted for a developer. */
export async function readSink(ctx: AppContext, limit: number) {
  const rows = await ctx.store.db
    .selectFrom('sms_sink')
    .innerJoin('outbox', 'outbox.id', 'sms_sink.outbox_id')
    .select(['sms_sink.id', 'sms_sink.outbox_id', 'outbox.channel', 'outbox.template', 'sms_sink.phone_enc', 'sms_sink.text_enc', 'sms_sink.at'])
    .orderBy('sms_sink.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: Number(r.id), outboxId: Number(r.outbox_id), channel: r.channel, template: r.template, to: ctx.crypto.decrypt(r.phone_enc), text: ctx.crypto.decrypt(r.text_enc), at: r.at }));
}

/** In-app messages of a unit (and, given an account, those addressed to that staff member, e.g. 热点提示), newest first. */
export async function unitMessages(ctx: AppContext, unitId: string, limit: number, accountId?: string) {
  const rows = await ctx.store.db
    .selectFrom('inapp_message')
    .select(['id', 'case_id', 'title', 'body', 'created_at', 'read_at'])
    .where((eb) => (accountId ? eb.or([eb('unit_id', '=', unitId), eb('account_id', '=', accountId)]) : eb('unit_id', '=', unitId)))
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: Number(r.id), caseId: r.case_id, title: r.title, body: r.body, createdAt: r.created_at, readAt: r.read_at }));
}

/** Mail the e-mail channel received, refused ones included, for review (sender decrypted, raw mail not). */
export async function listInbox(ctx: AppContext, status: 'accepted' | 'refused' | undefined) {
  let q = ctx.store.db.selectFrom('mail_inbox').select(['id', 'received_at', 'sender_enc', 'recipient', 'size', 'status', 'reason', 'case_id']);
  if (status) q = q.where('status', '=', status);
  const rows = await q.orderBy('id', 'desc').limit(200).execute();
  return rows.map(({ sender_enc, ...r }) => ({ ...r, id: Number(r.id), sender: ctx.crypto.decrypt(sender_enc) }));
}

/** An in-app notice to a unit's staff, for a mutation's outbox (e.g. a new 交办). */
export function unitNotice(ctx: AppContext, unitId: string, template: string, payload: Record<string, unknown>) {
  return [{ channel: 'inapp' as const, recipientEnc: ctx.crypto.encrypt(`unit:${unitId}`), template, payload }];
}
