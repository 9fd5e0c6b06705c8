/**
 * 015: what calendar changes moved (one row per import or single-day edit, with its summary), and
 * the e-mail address of a petitioner who wrote by e-mail (encrypted), so every notification of
 * the case reaches them by e-mail as SMS reaches those who gave a phone number.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const serial = dialect === 'postgres' ? 'serial' : 'integer';
  await db.schema
    .createTable('calendar_change')
    .addColumn('id', serial, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull()) // year | notice | ics | day
    .addColumn('year', 'integer')
    .addColumn('date', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('days_changed', 'integer', (c) => c.notNull())
    .addColumn('cases_moved', 'integer', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull()) // JSON: days changed, moves per clock, moved cases
    .execute();
  await db.schema.alterTable('case_file').addColumn('petitioner_email_enc', 'text').execute();
}
