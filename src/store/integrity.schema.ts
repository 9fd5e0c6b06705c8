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

/** Supervision opened at the level above, e.g. by a petitioner reporting "这不是我签的". */
export interface SupervisionTable {
  id: string;
  case_id: string;
  unit_id: string;
  document_id: string | null;
  reason: string;
  status: string; // open | closed
  created_at: string;
}

export interface IntegrityTables {
  audit_anchor: AuditAnchorTable;
  audit_anchor_head: AuditAnchorHeadTable;
  otp_code: OtpCodeTable;
  supervision: SupervisionTable;
}
