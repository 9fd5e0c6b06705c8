/** Tables of migration 005 (background work); merged into Database in schema.ts. */
import type { Generated, Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface JobLeaseTable {
  name: string;
  owner: string | null;
  expires_at: string;
  last_run_at: string | null;
  last_result: string | null;
}

export interface DeadlineAlertTable {
  case_id: string;
  clock: string;
  due_date: string;
  kind: string; // urged | supervised
  unit_id: string;
  at: string;
}

export interface OutboxAttemptTable {
  id: Generated<number>;
  outbox_id: number;
  attempt: number;
  at: string;
  ok: number;
  error: string | null;
}

export interface InappMessageTable {
  id: Generated<number>;
  outbox_id: number;
  unit_id: string | null;
  account_id: string | null;
  case_id: string | null;
  title: string;
  body: string;
  created_at: string;
  read_at: string | null;
}

export interface SmsSinkTable {
  id: Generated<number>;
  outbox_id: number;
  phone_enc: string;
  text_enc: string;
  at: string;
}

export interface MailInboxTable {
  id: Generated<number>;
  received_at: string;
  sender_hash: string;
  sender_enc: string;
  recipient: string;
  size: number;
  status: string; // accepted | refused
  reason: string | null;
  case_id: string | null;
  raw_enc: string;
}

/** Columns 005 adds to existing tables; reach them through `jobsDb(db)` so row types elsewhere stay unchanged. */
export type JobColumns = {
  case_file: { sweep_on: string | null };
  outbox: { claimed_by: string | null };
};

export interface JobTables {
  job_lease: JobLeaseTable;
  deadline_alert: DeadlineAlertTable;
  outbox_attempt: OutboxAttemptTable;
  inapp_message: InappMessageTable;
  sms_sink: SmsSinkTable;
  mail_inbox: MailInboxTable;
}

/** The database handle with the columns 005 added to case_file and outbox. */
export function jobsDb(db: Kysely<Database>) {
  return db.withTables<JobColumns>();
}
