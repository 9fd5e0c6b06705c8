/**
 * 014: secrets out of the outbox payload and staff accounts made by the system admin.
 * - outbox.secrets_enc: the one-time code or query code a message carries, encrypted with the field
 *   keyring (rotated by `xinfang keys rotate` like every *_enc column) and read only at delivery.
 * - account.must_change_password: set on an account created or reset by the system admin; the
 *   holder can do nothing but change the password until they have.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.js';

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('secrets_enc', 'text').execute();
  await db.schema
    .alterTable('account')
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(sql`0`))
    .execute();
}
