/** 001: the core — units, accounts, sessions, cases with their events, assignments and files. */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {

  await db.schema
    .createTable('unit')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('parent_id', 'text', (c) => c.references('unit.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('government','bureau','department','mailbox')`))
    .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('province','city','county')`))
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('dept_code', 'text')
    .addColumn('path', 'text', (c) => c.notNull().unique())
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('unit_parent_idx').on('unit').column('parent_id').execute();
  await db.schema.createIndex('unit_region_idx').on('unit').columns(['region_code', 'kind']).execute();

  await db.schema
    .createTable('account')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('citizen','staff')`))
    .addColumn('username', 'text', (c) => c.unique())
    .addColumn('name_enc', 'text', (c) => c.notNull())
    .addColumn('id_number_enc', 'text')
    .addColumn('id_number_hash', 'text', (c) => c.unique())
    .addColumn('phone_enc', 'text')
    .addColumn('phone_hash', 'text', (c) => c.unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.references('unit.id'))
    .addColumn('roles', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('session')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('account.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('session_account_idx').on('session').column('account_id').execute();

  await db.schema
    .createTable('case_file')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('seq_no', 'integer', (c) => c.notNull().unique())
    .addColumn('query_code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('query_code_enc', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) =>
      c.notNull().check(sql`channel in ('web','mailbox','email','api','letter','visit','call')`),
    )
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('receiving_unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('current_unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('petitioner_id', 'text', (c) => c.references('account.id'))
    .addColumn('petitioner_name_enc', 'text')
    .addColumn('petitioner_phone_enc', 'text')
    .addColumn('category_code', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('address_enc', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('co_petitioners_enc', 'text')
    .addColumn('co_petitioner_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('public_consent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_denunciation', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('accused_unit_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`state in ('submitted','accepted','rejected','assigned','in_progress','returned','replied','under_review','reviewed','final','closed','merged','withdrawn')`,
        ),
    )
    .addColumn('review_level', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('merged_into', 'text', (c) => c.references('case_file.id'))
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('received_date', 'text', (c) => c.notNull())
    .addColumn('accepted_at', 'text')
    .addColumn('assigned_at', 'text')
    .addColumn('replied_at', 'text')
    .addColumn('reply_received_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('due_accept', 'text')
    .addColumn('due_assign', 'text')
    .addColumn('due_return', 'text')
    .addColumn('due_reply', 'text')
    .addColumn('due_review_request', 'text')
    .addColumn('due_review_decision', 'text')
    .addColumn('extension_days', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pending_extension', 'text')
    .addColumn('supervised', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('evaluation', 'text')
    .addColumn('uncovered_years', 'text')
    .addColumn('event_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('head_hash', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_state_idx').on('case_file').columns(['state', 'submitted_at']).execute();
  await db.schema.createIndex('case_petitioner_idx').on('case_file').columns(['petitioner_id', 'submitted_at']).execute();
  await db.schema.createIndex('case_submitted_idx').on('case_file').column('submitted_at').execute();

  await db.schema
    .createTable('case_unit')
    .addColumn('case_id', 'text', (c) => c.notNull().references('case_file.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('unit_path', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_unit_pk', ['case_id', 'unit_id', 'role'])
    .execute();
  await db.schema.createIndex('case_unit_path_idx').on('case_unit').columns(['unit_path', 'case_id']).execute();

  await db.schema
    .createTable('case_event')
    .addColumn('case_id', 'text', (c) => c.notNull().references('case_file.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull().check(sql`actor_kind in ('citizen','staff','system')`))
    .addColumn('actor_id', 'text')
    .addColumn('actor_unit_id', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('visibility', 'text', (c) => c.notNull().check(sql`visibility in ('public','internal')`))
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_event_pk', ['case_id', 'seq'])
    .execute();

  await db.schema
    .createTable('assignment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('case_file.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('assign','forward')`))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending','signed','returned','replied','superseded')`),
    )
    .addColumn('assigned_by', 'text', (c) => c.notNull())
    .addColumn('assigned_at', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'text')
    .addColumn('returned_at', 'text')
    .addColumn('return_reason', 'text')
    .addColumn('instructions', 'text')
    .execute();
  await db.schema.createIndex('assignment_case_idx').on('assignment').column('case_id').execute();

  await db.schema
    .createTable('attachment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('case_file.id'))
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('petition','reply')`))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_name', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attachment_case_idx').on('attachment').column('case_id').execute();

  await db.schema
    .createTable('idempotency')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text', (c) => c.notNull().references('case_file.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_pk', ['account_id', 'key'])
    .execute();

  await db.schema
    .createTable('calendar_day')
    .addColumn('date', 'text', (c) => c.primaryKey())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('holiday','workday')`))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .execute();
  await db.schema
    .createTable('calendar_year')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) =>
      dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('sms','email','inapp')`))
    .addColumn('recipient_enc', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending','sent','failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema.createIndex('outbox_due_idx').on('outbox').columns(['status', 'next_attempt_at']).execute();

  await db.schema
    .createTable('counter')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'integer', (c) => c.notNull())
    .execute();
}
