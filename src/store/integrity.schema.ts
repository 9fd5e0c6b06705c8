/** Tables of migration 007 (integrity); merged into Database in schema.ts. */

/** A daily anchor: sha256 over the sorted case_id:head_hash pairs, chained to the previous anchor. */
export interface AuditAnchorTable {
  date: string;
  root: string;
  case_count: number;
  prev_hash: string;
  hash: string;
  created_at: string;
}

export interface AuditAnchorHeadTable {
  anchor_date: string;
  case_id: string;
  event_count: number;
  head_hash: string;
}

/** A one-time code sent to the petitioner's phone; only its keyed hash is stored. */
export interface OtpCodeTable {
  id: string;
  case_id: string;
  code_hash: string;
  created_at: string;
  expires_at: string;
  attempts: number;
  status: string; // active | used | burned | superseded
}

/**
 * 督办件: supervision of a unit over one case or a group (supervision_case), opened by a supervisor
 * or by a petitioner reporting "这不是我签的"; reshaped by migration 009.
 */
export interface SupervisionTable {
  id: string;
  /** The first case of the group. */
  case_id: string;
  /** The supervising unit (督办单位). */
  unit_id: string;
  /** The unit supervised, which must answer in writing (被督办单位). */
  target_unit_id: string;
  source: string; // manual | signature_dispute | escalation
  document_id: string | null;
  problem: string;
  reason: string | null;
  due_date: string | null;
  status: string; // open | answered | closed | escalated
  answer: string | null;
  answered_by: string | null;
  answered_at: string | null;
  closed_by: string | null;
  closed_at: string | null;
  close_note: string | null;
  parent_id: string | null;
  escalated_to: string | null;
  created_by: string | null;
  created_at: string;
  /** 017: how many times the supervisor sent an answer back (退回重办). */
  return_count: number;
}

export interface IntegrityTables {
  audit_anchor: AuditAnchorTable;
  audit_anchor_head: AuditAnchorHeadTable;
  otp_code: OtpCodeTable;
  supervision: SupervisionTable;
}
