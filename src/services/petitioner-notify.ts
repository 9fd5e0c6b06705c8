/**
 * Notifications to the petitioner of a case, on every channel the case has an address for: SMS to
 * the phone number given, e-mail to the address a case filed by e-mail came from (both kept
 * encrypted). What the portal user reads in the portal, the e-mail petitioner reads in the mail —
 * the reply and review mails carry the tracking link with the query code, sealed in the outbox.
 */
import type { AppContext } from './context.js';
import type { Mutation } from './case-mutation.js';
import type { CaseRow } from '../store/case.repository.js';
import { caseNumber } from './case.service.js';
import { sealOutboxSecrets } from './outbox-secrets.js';
import { calendarChangeDb } from '../store/calendar-change.schema.js';
import type { Tx } from '../store/tx.js';

/** Templates whose e-mail carries the tracking link with the query code (confirm, evaluate, review). */
const WITH_LINK = new Set(['case_replied', 'review_decided']);

/** The sender address of a case filed by e-mail (encrypted), when there is one. */
export function petitionerEmailEnc(row: CaseRow): string | null {
  return (row as CaseRow & { petitioner_email_enc?: string | null }).petitioner_email_enc ?? null;
}

/** Records the e-mail address a case was filed from, in the case's creating transaction. */
export async function setPetitionerEmail(ctx: AppContext, tx: Tx, caseId: string, address: string): Promise<void> {
  await calendarChangeDb(tx).updateTable('case_file').set({ petitioner_email_enc: ctx.crypto.encrypt(address) }).where('id', '=', caseId).execute();
}

/** The outbox messages telling the petitioner about `template` (none when the case has no address). */
export function petitionerMessages(ctx: AppContext, row: CaseRow, template: string, payload: Record<string, unknown>): NonNullable<Mutation['outbox']> {
  const p = { caseNo: caseNumber(row), ...payload };
  const out: NonNullable<Mutation['outbox']> = [];
  if (row.petitioner_phone_enc) out.push({ channel: 'sms', recipientEnc: row.petitioner_phone_enc, template, payload: p });
  const email = petitionerEmailEnc(row);
  if (email) {
    out.push({
      channel: 'email',
      recipientEnc: email,
      template,
      payload: p,
      ...(WITH_LINK.has(template) ? { secretsEnc: sealOutboxSecrets(ctx, { queryCode: ctx.crypto.decrypt(row.query_code_enc) }) } : {}),
    });
  }
  return out;
}

/** Where a one-time code goes: the phone on file, else the e-mail address the case came from; masked for the reply. */
export function otpRecipient(ctx: AppContext, row: CaseRow): { channel: 'sms' | 'email'; recipientEnc: string; masked: string } | null {
  if (row.petitioner_phone_enc) {
    const phone = ctx.crypto.decrypt(row.petitioner_phone_enc);
    return { channel: 'sms', recipientEnc: row.petitioner_phone_enc, masked: `${phone.slice(0, 3)}****${phone.slice(-4)}` };
  }
  const email = petitionerEmailEnc(row);
  if (!email) return null;
  const address = ctx.crypto.decrypt(email);
  const [local = '', domain = ''] = address.split('@');
  return { channel: 'email', recipientEnc: email, masked: `${local.slice(0, 2)}***@${domain}` };
}
