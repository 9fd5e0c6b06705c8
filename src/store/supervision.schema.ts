/** Tables of migration 009 (supervision of the handling units); merged into Database in schema.ts. */

/** The cases one 督办件 covers (one, or a group). */
export interface SupervisionCaseTable {
  supervision_id: string;
  case_id: string;
}

/** 督导检查: an inspection of a unit (unit_id) by a supervising unit. */
export interface InspectionTable {
  id: string;
  unit_id: string;
  by_unit_id: string;
  inspected_on: string;
  inspectors: string;
  status: string; // open | concluded | closed
  summary: string | null;
  created_by: string;
  created_at: string;
  concluded_at: string | null;
  closed_at: string | null;
}

/** A case sampled in an inspection, with the finding on it. */
export interface InspectionCaseTable {
  inspection_id: string;
  case_id: string;
  reason: string; // JSON array of sample reasons
  finding: string | null;
  verdict: string | null; // ok | problem
  recorded_by: string | null;
  recorded_at: string | null;
}

/** A correction the inspected unit must make by a date, and its follow-up. */
export interface InspectionCorrectionTable {
  id: string;
  inspection_id: string;
  case_id: string | null;
  requirement: string;
  due_date: string;
  status: string; // open | reported | accepted | reopened
  report: string | null;
  reported_by: string | null;
  reported_at: string | null;
  decision_note: string | null;
  decided_by: string | null;
  decided_at: string | null;
  created_by: string;
  created_at: string;
}

/** 017: one reminder of an overdue 督办件 per deadline and round (1: the unit; 2: the unit again and its supervisor). */
export interface SupervisionReminderTable {
  supervision_id: string;
  due_date: string;
  round: number;
  unit_id: string;
  at: string;
}

export interface SupervisionTables {
  supervision_reminder: SupervisionReminderTable;
  supervision_case: SupervisionCaseTable;
  inspection: InspectionTable;
  inspection_case: InspectionCaseTable;
  inspection_correction: InspectionCorrectionTable;
}
