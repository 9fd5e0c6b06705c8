/**
 * 005: background work — job leases, the deadline sweep's marks, outbox attempts, in-app messages,
 * the development SMS sink and the e-mail channel's inbox.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const serial = dialect === 'postgres' ? 'serial' : 'integer';
  const pk = <T extends { primaryKey(): T; autoIncrement(): T }>(c: T): T => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());

  // A lease per periodic job: whoever holds an unexpired lease runs it; the others skip.
  await db.schema
    .createTable('job_lease')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text')
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('last_run_at', 'text')
    .addColumn('last_result', 'text')
    .execute();

  // The next date the sweep must look at a case; NULL = not evaluated since its deadlines changed.
  await db.schema.alterTable('case_file').addColumn('sweep_on', 'text').execute();
  await db.schema.createIndex('case_sweep_idx').on('case_file').column('sweep_on').execute();
  // Any change of state, responsible unit or a due date makes the case a candidate again, whichever code made it.
  if (dialect === 'postgres') {
    await sql`create or replace function case_sweep_reset() returns trigger language plpgsql as $$
      begin
        if new.state is distinct from old.state or new.current_unit_id is distinct from old.current_unit_id
           or new.due_accept is distinct from old.due_accept or new.due_assign is distinct from old.due_assign
           or new.due_reply is distinct from old.due_reply or new.due_review_decision is distinct from old.due_review_decision then
          new.sweep_on := null;
        end if;
        return new;
      end $$`.execute(db);
    await sql`create trigger case_sweep_reset before update on case_file for each row execute function case_sweep_reset()`.execute(db);
  } else {
    await sql`create trigger case_sweep_reset after update of state, current_unit_id, due_accept, due_assign, due_reply, due_review_decision on case_file
      when new.sweep_on is not null and (new.state is not old.state or new.current_unit_id is not old.current_unit_id
        or new.due_accept is not old.due_accept or new.due_assign is not old.due_assign
        or new.due_reply is not old.due_reply or new.due_review_decision is not old.due_review_decision)
      begin update case_file set sweep_on = null where id = new.id; end`.execute(db);
  }

  // One automatic 催办 / 督办 per case, clock and due date: the key that makes sweeps idempotent.
  await db.schema
    .createTable('deadline_alert')
    .addColumn('case_id', 'text', (c) => c.notNull().references('case_file.id'))
    .addColumn('clock', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('urged','supervised')`))
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('deadline_alert_pk', ['case_id', 'clock', 'due_date', 'kind'])
    .execute();

  await db.schema.alterTable('outbox').addColumn('claimed_by', 'text').execute();
  await db.schema
    .createTable('outbox_attempt')
    .addColumn('id', serial, pk)
    .addColumn('outbox_id', 'integer', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('outbox_attempt_idx').on('outbox_attempt').column('outbox_id').execute();
  await db.schema.createIndex('outbox_case_idx').on('outbox').column('case_id').execute();

  // In-app messages (站内消息) to a unit's staff or to one account.
  await db.schema
    .createTable('inapp_message')
    .addColumn('id', serial, pk)
    .addColumn('outbox_id', 'integer', (c) => c.notNull().unique())
    .addColumn('unit_id', 'text')
    .addColumn('account_id', 'text')
    .addColumn('case_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute();
  await db.schema.createIndex('inapp_unit_idx').on('inapp_message').columns(['unit_id', 'created_at']).execute();
  await db.schema.createIndex('inapp_account_idx').on('inapp_message').columns(['account_id', 'created_at']).execute();

  // Development SMS sink: what would have gone to the gateway, encrypted like any personal data.
  await db.schema
    .createTable('sms_sink')
    .addColumn('id', serial, pk)
    .addColumn('outbox_id', 'integer', (c) => c.notNull().unique())
    .addColumn('phone_enc', 'text', (c) => c.notNull())
    .addColumn('text_enc', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();

  // Every mail the e-mail channel received, kept whether it became a case or was refused.
  await db.schema
    .createTable('mail_inbox')
    .addColumn('id', serial, pk)
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('sender_hash', 'text', (c) => c.notNull())
    .addColumn('sender_enc', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('accepted','refused')`))
    .addColumn('reason', 'text')
    .addColumn('case_id', 'text')
    .addColumn('raw_enc', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mail_inbox_sender_idx').on('mail_inbox').columns(['sender_hash', 'received_at']).execute();
}
