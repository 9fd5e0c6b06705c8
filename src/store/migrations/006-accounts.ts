/** 006: account security — TOTP second factor per staff account, and the security log. */
import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('account_totp')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('account.id'))
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('enabled_at', 'text')
    .addColumn('last_step', 'bigint')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  const id = <T extends { primaryKey(): T; autoIncrement(): T }>(c: T): T => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
  await db.schema
    .createTable('security_log')
    .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', id)
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('subject_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('security_log_at_idx').on('security_log').column('at').execute();
}
