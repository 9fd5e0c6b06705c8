/**
 * Database schema as kysely sees it. Timestamps are ISO-8601 UTC strings and calendar dates
 * 'YYYY-MM-DD' strings on both databases, so SQLite and PostgreSQL return the same values.
 */
import type { Generated } from 'kysely';
import type { JobTables } from './jobs.schema.js';
import type { StatsTables } from './stats.schema.js';
import type { TrackingTables } from './tracking.schema.js';
import type { IntegrityTables } from './integrity.schema.js';
import type { AccountDutiesColumns, OutboxSecretsColumns } from './account-duties.schema.js';
import type { SupervisionTables } from './supervision.schema.js';
import type { AssessmentTables } from './assessment.schema.js';
import type { StatsRollupTables } from './stats-rollup.schema.js';

export interface UnitTable {
  id: string;
  parent_id: string | null;
  name: string;
  kind: string; // government | bureau | department | mailbox
  level: string; // province | city | county
  region_code: string;
  dept_code: string | null;
  /** Materialised path '/130000/130100/130100-xfj/': subtree checks are prefix matches. */
  path: string;
  sort: number;
}

export interface AccountTable extends AccountDutiesColumns {
  id: string;
  kind: string; // citizen | staff
  username: string | null;
  name_enc: string;
  id_number_enc: string | null;
  id_number_hash: string | null;
  phone_enc: string | null;
  phone_hash: string | null;
  password_hash: string;
  unit_id: string | null;
  roles: string; // JSON array of role names (staff)
  disabled: number;
  failed_logins: number;
  locked_until: string | null;
  created_at: string;
}

export interface SessionTable {
  token_hash: string;
  account_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface CaseTable {
  id: string;
  seq_no: number;
  query_code_hash: string;
  query_code_enc: string;
  channel: string;
  target: string;
  receiving_unit_id: string;
  current_unit_id: string;
  petitioner_id: string | null;
  petitioner_name_enc: string | null;
  petitioner_phone_enc: string | null;
  category_code: string;
  region_code: string;
  address_enc: string | null;
  title: string;
  content: string;
  co_petitioners_enc: string | null;
  co_petitioner_count: number;
  public_consent: number;
  is_denunciation: number;
  accused_unit_ids: string; // JSON array
  state: string;
  review_level: number;
  merged_into: string | null;
  submitted_at: string;
  received_date: string;
  accepted_at: string | null;
  assigned_at: string | null;
  replied_at: string | null;
  reply_received_at: string | null;
  closed_at: string | null;
  due_accept: string | null;
  due_assign: string | null;
  due_return: string | null;
  due_reply: string | null;
  due_review_request: string | null;
  due_review_decision: string | null;
  extension_days: number;
  pending_extension: string | null; // JSON {days, reason, requestedBy, at}
  supervised: number;
  evaluation: string | null;
  uncovered_years: string | null; // JSON array of years the due dates stepped into without holiday data
  event_count: number;
  head_hash: string;
  updated_at: string;
}

export interface CaseUnitTable {
  case_id: string;
  unit_id: string;
  unit_path: string;
  role: string; // receiving | assigned
}

export interface CaseEventTable {
  case_id: string;
  seq: number;
  type: string;
  actor_kind: string; // citizen | staff | system
  actor_id: string | null;
  actor_unit_id: string | null;
  at: string;
  visibility: string; // public | internal
  payload: string; // canonical JSON
  prev_hash: string;
  hash: string;
}

export interface AssignmentTable {
  id: string;
  case_id: string;
  unit_id: string;
  kind: string; // assign (交办) | forward (转送)
  status: string; // pending | signed | returned | replied | superseded
  assigned_by: string;
  assigned_at: string;
  due_date: string;
  signed_at: string | null;
  returned_at: string | null;
  return_reason: string | null;
  instructions: string | null;
}

export interface AttachmentTable {
  id: string;
  case_id: string;
  uploaded_by: string;
  purpose: string; // petition | reply
  filename: string;
  mime: string;
  size: number;
  sha256: string;
  storage_name: string;
  created_at: string;
}

export interface IdempotencyTable {
  account_id: string;
  key: string;
  request_hash: string;
  case_id: string;
  created_at: string;
}

export interface CalendarDayTable {
  date: string;
  year: number;
  kind: string; // holiday | workday
  source: string;
  note: string | null;
}

export interface CalendarYearTable {
  year: number;
  source: string;
  imported_at: string;
}

export interface OutboxTable extends OutboxSecretsColumns {
  id: Generated<number>;
  channel: string; // sms | email | inapp
  recipient_enc: string;
  template: string;
  payload: string;
  case_id: string | null;
  status: string; // pending | sent | failed
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface CounterTable {
  name: string;
  value: number;
}

/** 阳光信访: a case published with the petitioner's consent and staff approval, redacted text only. */
export interface PublicationTable {
  case_id: string;
  status: string; // published | withdrawn
  title: string;
  content: string;
  answer: string;
  answer_unit_name: string | null;
  category_code: string;
  region_code: string;
  received_date: string;
  replied_date: string | null;
  revision: number;
  published_by: string;
  published_at: string;
  updated_at: string;
}

/** An official document (文书) issued on a case; the PDF itself is encrypted in content_enc. */
export interface DocumentTable {
  id: string;
  case_id: string;
  /** 1, 2, 3 … in the order the case's documents were issued. */
  ordinal: number;
  kind: string;
  title: string;
  doc_no: string;
  unit_id: string;
  addressee_unit_id: string | null;
  audience: string; // petitioner | unit
  year: number;
  serial: number;
  issued_date: string;
  issued_at: string;
  issued_by: string;
  trigger_event: string;
  filename: string;
  size: number;
  sha256: string;
  content_enc: string;
  petitioner_signs: number;
  petitioner_signed_at: string | null;
  petitioner_signed_by: string | null;
}

/** How a staff-entered case (来信/来访/来电) came in: who registered it, and the optional ID number. */
export interface CaseEntryTable {
  case_id: string;
  channel: string; // letter | visit | call
  registrar_id: string;
  unit_id: string;
  id_number_enc: string | null;
  id_number_hash: string | null;
  linked_account: number;
  idempotency_key: string | null;
  request_hash: string | null;
  entered_at: string;
}

export interface Database extends JobTables, IntegrityTables, StatsTables, SupervisionTables, TrackingTables, AssessmentTables, StatsRollupTables {
  unit: UnitTable;
  account: AccountTable;
  session: SessionTable;
  case_file: CaseTable;
  case_unit: CaseUnitTable;
  case_event: CaseEventTable;
  assignment: AssignmentTable;
  attachment: AttachmentTable;
  idempotency: IdempotencyTable;
  calendar_day: CalendarDayTable;
  calendar_year: CalendarYearTable;
  outbox: OutboxTable;
  counter: CounterTable;
  document: DocumentTable;
  case_entry: CaseEntryTable;
  publication: PublicationTable;
}
