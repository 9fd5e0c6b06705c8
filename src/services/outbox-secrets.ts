/**
 * Secrets a notification carries (the one-time code, the query code) never sit in the outbox
 * payload in plain text: they go into outbox.secrets_enc, encrypted with the field keyring (so
 * `xinfang keys rotate` re-encrypts them like every *_enc column), and are merged back only at
 * delivery. `enqueue` refuses a payload that still carries one.
 */
import type { AppContext } from './context.js';
import { inTransaction } from '../store/tx.js';

/** Payload keys that are secrets wherever they appear (enqueue refuses them in plain payloads). */
export const outboxSecretKeys = ['code', 'queryCode', 'otp', 'password', 'token'] as const;

/** Encrypts the secret fields of a message for outbox.secrets_enc. */
export function sealOutboxSecrets(ctx: AppContext, secrets: Record<string, string>): string {
  return ctx.crypto.encrypt(JSON.stringify(secrets));
}

/** The payload a message is rendered from: the stored payload plus its decrypted secrets. */
export function openOutboxPayload(ctx: AppContext, payload: string, secretsEnc: string | null | undefined): Record<string, unknown> {
  const p = JSON.parse(payload) as Record<string, unknown>;
  return secretsEnc ? { ...p, ...(JSON.parse(ctx.crypto.decrypt(secretsEnc)) as Record<string, string>) } : p;
}

/** The secret keys a payload still carries in plain text (empty when clean). */
export function plainSecretsIn(payload: Record<string, unknown>): string[] {
  return outboxSecretKeys.filter((k) => payload[k] !== undefined);
}

/**
 * Moves secrets left in plain payloads by an older version into secrets_enc (run by key rotation
 * before the columns are re-encrypted). Returns how many messages were sealed.
 */
export async function sealLegacyOutboxSecrets(ctx: AppContext, batchSize = 500): Promise<number> {
  let sealed = 0;
  let after = 0;
  const likes = outboxSecretKeys.map((k) => `%"${k}":%`);
  for (;;) {
    const n = await inTransaction(ctx.store, async (t) => {
      const rows = await t.tx
        .selectFrom('outbox')
        .select(['id', 'payload', 'secrets_enc'])
        .where('id', '>', after)
        .where((eb) => eb.or(likes.map((l) => eb('payload', 'like', l))))
        .orderBy('id')
        .limit(batchSize)
        .execute();
      let done = 0;
      for (const r of rows) {
        after = Math.max(after, Number(r.id));
        const p = JSON.parse(r.payload) as Record<string, unknown>;
        const keys = plainSecretsIn(p);
        if (keys.length === 0) continue;
        const secrets: Record<string, string> = r.secrets_enc ? (JSON.parse(ctx.crypto.decrypt(r.secrets_enc)) as Record<string, string>) : {};
        for (const k of keys) {
          secrets[k] = String(p[k]);
          delete p[k];
        }
        await t.tx
          .updateTable('outbox')
          .set({ payload: JSON.stringify(p), secrets_enc: sealOutboxSecrets(ctx, secrets) })
          .where('id', '=', r.id)
          .execute();
        done++;
      }
      return { done, seen: rows.length };
    });
    sealed += n.done;
    if (n.seen < batchSize) break;
  }
  return sealed;
}
