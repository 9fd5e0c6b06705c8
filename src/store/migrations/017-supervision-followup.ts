/**
 * 017: the follow-up of a 督办件. A supervisor may send an answer back (退回重办), so a 督办件
 * counts its send-backs (the answers and reasons themselves are events on its cases); and the
 * deadline sweep reminds a unit that lets a 督办件 run past its deadline, once per deadline and
 * round — supervision_reminder is the key that makes repeated or concurrent sweeps remind once.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.js';

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('supervision').addColumn('return_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable('supervision_reminder')
    .addColumn('supervision_id', 'text', (c) => c.notNull().references('supervision.id'))
    // The deadline missed: a send-back with a new deadline starts new reminders.
    .addColumn('due_date', 'text', (c) => c.notNull())
    // 1: first reminder to the unit the day after the deadline; 2: second reminder, the supervisor told too.
    .addColumn('round', 'integer', (c) => c.notNull().check(sql`round in (1, 2)`))
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('supervision_reminder_pk', ['supervision_id', 'due_date', 'round'])
    .execute();
  // The sweep reads the open 督办件 whose deadline has passed.
  await db.schema.createIndex('supervision_due_idx').on('supervision').columns(['status', 'due_date']).execute();
}
