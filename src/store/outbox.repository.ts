/** Outbox: notifications written in the same transaction as the change that causes them. */
import type { TxContext } from './tx.js';

export interface OutboxMessage {
  channel: 'sms' | 'email' | 'inapp';
  recipientEnc: string;
  template: string;
  payload: Record<string, unknown>;
  caseId: string | null;
  at: string;
}

export async function enqueue(t: TxContext, m: OutboxMessage): Promise<void> {
  await t.tx
    .insertInto('outbox')
    .values({
      channel: m.channel,
      recipient_enc: m.recipientEnc,
      template: m.template,
      payload: JSON.stringify(m.payload),
      case_id: m.caseId,
      status: 'pending',
      attempts: 0,
      next_attempt_at: m.at,
      last_error: null,
      created_at: m.at,
      sent_at: null,
    })
    .execute();
}
