/** Shapes of the supervision API (GET /api/office/supervisions, /api/office/inspections). */

export interface SupervisionCaseRef {
  id: string;
  caseNo: string;
  title: string;
  state: string;
  stateLabel: string;
}

export interface Supervision {
  id: string;
  caseId: string;
  status: 'open' | 'answered' | 'closed' | 'escalated';
  statusLabel: string;
  overdue: boolean;
  source: string;
  sourceLabel: string;
  problem: string;
  dueDate: string | null;
  byUnitId: string;
  byUnitName: string;
  unitId: string;
  unitName: string;
  side: 'supervisor' | 'unit';
  cases: SupervisionCaseRef[];
  answer: string | null;
  answeredAt: string | null;
  closedAt: string | null;
  closeNote: string | null;
  parentId: string | null;
  escalatedTo: string | null;
  createdAt: string;
  /** Times an answer was sent back (退回重办). */
  returnCount: number;
  /** Reminders the sweep sent for the current deadline (逾期催报). */
  reminders: number;
  lastRemindedAt: string | null;
  allowedActions: ('answer' | 'close' | 'return' | 'escalate')[];
  /** Every step of the 督办件 (detail only). */
  history?: SupervisionStep[];
}

export interface SupervisionStep {
  seq: number;
  type: string;
  label: string;
  at: string;
  actorUnitName: string | null;
  text: string | null;
  dueDate: string | null;
}

export interface SampleItem {
  caseId: string;
  caseNo: string;
  title: string;
  state: string;
  stateLabel: string;
  currentUnitName: string;
  reasons: string[];
  reasonLabels: string[];
  weight: number;
}

export interface Sample {
  unitId: string;
  unitName: string;
  seed: string;
  population: number;
  flagged: number;
  items: SampleItem[];
}

export interface InspectionListItem {
  id: string;
  unitId: string;
  unitName: string;
  byUnitName: string;
  inspectedOn: string;
  inspectors: string;
  status: 'open' | 'concluded' | 'closed';
  statusLabel: string;
  side: 'inspector' | 'unit';
  cases: number;
  problems: number;
  openCorrections: number;
  overdueCorrections: number;
}

export interface Correction {
  id: string;
  caseId: string | null;
  caseNo: string | null;
  requirement: string;
  dueDate: string;
  status: 'open' | 'reported' | 'accepted' | 'reopened';
  statusLabel: string;
  overdue: boolean;
  report: string | null;
  reportedAt: string | null;
  decisionNote: string | null;
  decidedAt: string | null;
  allowedActions: ('report' | 'accept' | 'reopen')[];
}

export interface InspectionCase extends SampleItem {
  verdict: 'ok' | 'problem' | null;
  verdictLabel: string | null;
  finding: string | null;
}

export interface Inspection {
  id: string;
  unitId: string;
  unitName: string;
  byUnitName: string;
  inspectedOn: string;
  inspectors: string;
  status: 'open' | 'concluded' | 'closed';
  statusLabel: string;
  summary: string | null;
  side: 'inspector' | 'unit';
  cases: InspectionCase[];
  corrections: Correction[];
  allowedActions: ('add-cases' | 'finding' | 'conclude' | 'add-correction')[];
}

/** Today in Beijing, and a date n days on, as YYYY-MM-DD. */
export function beijingDate(offsetDays = 0): string {
  return new Date(Date.now() + 8 * 3600_000 + offsetDays * 86400_000).toISOString().slice(0, 10);
}
