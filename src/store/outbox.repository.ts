/** Outbox: notifications written in the same transaction as the change that causes them. */
import type { TxContext } from './tx.js';

export interface OutboxMessage {
  channel: 'sms' | 'email' | 'inapp';
  recipientEnc: string;
  template: string;
  /** Never secrets: those go, encrypted, in secretsEnc (see services/outbox-secrets.ts). */
  payload: Record<string, unknown>;
  /** The message's secrets (one-time code, query code), sealed with sealOutboxSecrets. */
  secretsEnc?: string | null;
  caseId: string | null;
  at: string;
}

const secretKeys = ['code', 'queryCode', 'otp', 'password', 'token'];

export async function enqueue(t: TxContext, m: OutboxMessage): Promise<void> {
  await enqueueMany(t, [m]);
}

/** Several messages in one statement (in their order), same transaction as the change. */
export async function enqueueMany(t: TxContext, messages: OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  for (const m of messages) {
    const plain = secretKeys.filter((k) => m.payload[k] !== undefined);
    if (plain.length > 0) throw new Error(`outbox payload carries secrets in plain text: ${plain.join(', ')}`);
  }
  await t.tx
    .insertInto('outbox')
    .values(messages.map((m) => ({
      channel: m.channel,
      recipient_enc: m.recipientEnc,
      template: m.template,
      payload: JSON.stringify(m.payload),
      secrets_enc: m.secretsEnc ?? null,
      case_id: m.caseId,
      status: 'pending',
      attempts: 0,
      next_attempt_at: m.at,
      last_error: null,
      created_at: m.at,
      sent_at: null,
    })))
    .execute();
}
