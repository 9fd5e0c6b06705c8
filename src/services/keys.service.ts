/**
 * Key rotation: re-encrypts every encrypted column (every text column named *_enc, whoever's
 * migration added it) under the current key and algorithm, in batches of one transaction each, so
 * the service can keep running and an interrupted run simply continues. Lookup hashes are left
 * alone: their key does not rotate (see field-crypto.ts).
 */
import { sql } from 'kysely';
import type { AppContext } from './context.js';
import { FieldCrypto } from '../security/field-crypto.js';
import { inTransaction } from '../store/tx.js';
import { sealLegacyOutboxSecrets } from './outbox-secrets.js';

/** Every (table, column) whose name ends in _enc, found by introspection on either database. */
export async function encryptedColumns(ctx: AppContext): Promise<{ table: string; column: string }[]> {
  const tables = await ctx.store.db.introspection.getTables();
  return tables
    .filter((t) => !t.isView && !t.name.startsWith('kysely_'))
    .flatMap((t) => t.columns.filter((c) => c.name.endsWith('_enc')).map((c) => ({ table: t.name, column: c.name })))
    .sort((a, b) => `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`));
}

export interface RotationReport {
  tag: string;
  columns: { table: string; column: string; rewritten: number }[];
  total: number;
}

/** Re-encrypts every value not yet under ctx.crypto's current tag. */
export async function reencryptAll(ctx: AppContext, batchSize = 500): Promise<RotationReport> {
  const tag = ctx.crypto.currentTag;
  const rowKey = ctx.store.dialect === 'postgres' ? 'ctid' : 'rowid';
  const report: RotationReport = { tag, columns: [], total: 0 };
  // Secrets an older version left in plain outbox payloads are sealed first, then rotated below.
  await sealLegacyOutboxSecrets(ctx, batchSize);
  for (const { table, column } of await encryptedColumns(ctx)) {
    let rewritten = 0;
    for (;;) {
      const n = await inTransaction(ctx.store, async (t) => {
        const rows = await sql<{ k: string; v: string }>`
          select ${sql.raw(rowKey)} as k, ${sql.ref(column)} as v from ${sql.table(table)}
          where ${sql.ref(column)} is not null and ${sql.ref(column)} not like ${`${tag}:%`}
          limit ${batchSize}`.execute(t.tx);
        let done = 0;
        for (const r of rows.rows) {
          // Not ours (e.g. a plain marker): leave it, but it must not loop forever.
          if (!FieldCrypto.isCiphertext(r.v)) continue;
          const fresh = ctx.crypto.encrypt(ctx.crypto.decrypt(r.v));
          const k = ctx.store.dialect === 'postgres' ? sql`${sql.raw(rowKey)} = ${r.k}::tid` : sql`${sql.raw(rowKey)} = ${r.k}`;
          await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${fresh} where ${k}`.execute(t.tx);
          done++;
        }
        return { done, seen: rows.rows.length };
      });
      rewritten += n.done;
      if (n.seen < batchSize || n.done === 0) break;
    }
    report.columns.push({ table, column, rewritten });
    report.total += rewritten;
  }
  return report;
}
