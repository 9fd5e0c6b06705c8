import type { Generated } from 'kysely';
/** Tables of migration 010 (typical cases, circulars, assessment, training); merged into Database in schema.ts. */

/** 典型案例: a case held up as a good or bad example, in redacted text. */
export interface TypicalCaseTable {
  id: string;
  case_id: string;
  kind: string; // good | bad
  status: string; // proposed | published | rejected | withdrawn
  title: string;
  summary: string;
  commentary: string;
  category_code: string;
  region_code: string;
  /** The unit the example is about (the unit that handled the case). */
  unit_id: string;
  /** Also on 阳光信访 (only honoured when the petitioner consented to publication). */
  public_requested: number;
  proposed_by: string;
  proposed_unit_id: string;
  proposed_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
  withdrawn_at: string | null;
}

/** 通报: a commendation or criticism circular, stored as its numbered PDF. */
export interface CircularTable {
  id: string;
  kind: string; // commendation | criticism
  title: string;
  body: string;
  issuer_unit_id: string;
  issued_by: string;
  issued_at: string;
  issued_date: string;
  doc_no: string;
  year: number;
  serial: number;
  filename: string;
  size: number;
  sha256: string;
  content_enc: string;
}

export interface CircularTargetTable {
  circular_id: string;
  unit_id: string;
  unit_path: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
}

export interface CircularCitationTable {
  circular_id: string;
  ordinal: number;
  kind: string; // case | inspection | measure | typical
  ref: string;
  label: string;
}

/** 考核方案: the weights a government judges its units by. */
export interface AssessmentSchemeTable {
  id: string;
  owner_unit_id: string;
  name: string;
  weights: string; // JSON AssessmentWeights
  revision: number;
  updated_by: string | null;
  updated_at: string;
}

/** A published assessment of the units under one government for one period; never changed afterwards. */
export interface AssessmentSnapshotTable {
  id: string;
  parent_unit_id: string;
  group_kind: string; // region | department
  period: string; // 2026, 2026-Q1, 2026-03
  from_date: string;
  to_date: string;
  computed_on: string;
  scheme_id: string;
  scheme_revision: number;
  weights: string;
  results: string;
  published_by: string;
  published_at: string;
}

export interface AssessmentSnapshotCaseTable {
  snapshot_id: string;
  unit_id: string;
  item: string;
  ref: string;
}

/** 学习园地: a normative text as edited by an admin (the shipped defaults live in domain/training-texts.ts). */
export interface TrainingTextTable {
  id: string;
  title: string;
  source: string;
  body: string;
  sort: number;
  revision: number;
  retired: number;
  updated_by: string | null;
  updated_at: string;
}

export interface StaffTourTable {
  account_id: string;
  tour: string;
  dismissed_at: string;
}

export interface WorkEventTable {
  id: Generated<number>;
  subject_kind: string;
  subject_id: string;
  type: string;
  actor_id: string | null;
  actor_unit_id: string | null;
  at: string;
  payload: string;
}

export interface AssessmentTables {
  typical_case: TypicalCaseTable;
  circular: CircularTable;
  circular_target: CircularTargetTable;
  circular_citation: CircularCitationTable;
  assessment_scheme: AssessmentSchemeTable;
  assessment_snapshot: AssessmentSnapshotTable;
  assessment_snapshot_case: AssessmentSnapshotCaseTable;
  training_text: TrainingTextTable;
  staff_tour: StaffTourTable;
  work_event: WorkEventTable;
}
