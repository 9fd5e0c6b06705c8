/** Tables of migration 008 (statistics and repeats); merged into Database in schema.ts. */

/**
 * 重复信访: a submission the detector found alike to an open case of the same petitioner, and what
 * the petitioner answered: 'same' (added to the open case as a message, no new case) or 'new'
 * (a new case, linked for staff as a possible repeat until they merge or split it).
 */
export interface CaseRepeatTable {
  id: string;
  /** The open case the submission resembles. */
  case_id: string;
  /** The new case, when the petitioner said it is a new matter. */
  new_case_id: string | null;
  petitioner_id: string | null;
  decision: string; // same | new
  similarity: number;
  /** Staff's verdict on a 'new' link: null (open), 'split' (confirmed different). Merging uses the merge action. */
  staff_verdict: string | null;
  submitted_at: string;
  received_date: string;
}

export interface StatsTables {
  case_repeat: CaseRepeatTable;
}
