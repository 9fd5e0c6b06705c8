/** The shapes the office pages read from the staff API (src/services/case-view.ts, workbench.service.ts). */

export type StaffAction =
  | 'accept'
  | 'reject'
  | 'assign'
  | 'forward'
  | 'sign'
  | 'return'
  | 'urge'
  | 'supervise'
  | 'request-extension'
  | 'approve-extension'
  | 'reply'
  | 'review-decision'
  | 'merge'
  | 'unmerge'
  | 'close'
  | 'note';

export interface Deadline {
  clock: string;
  label: string;
  due: string;
  overdue: boolean;
  workingDaysLeft: number;
}

export interface CaseListItem {
  id: string;
  caseNo: string;
  title: string;
  state: string;
  stateLabel: string;
  category: string;
  categoryCode: string;
  regionCode: string;
  regionName: string;
  channel: string;
  currentUnitName: string;
  submittedAt: string;
  deadlines: Deadline[];
  supervised: boolean;
  isDenunciation: boolean;
}

export interface QueueResult {
  items: CaseListItem[];
  total: number;
  /** More than `total` cases: counting stopped at the cap (shown as 1000+). */
  totalCapped?: boolean;
  page: number;
  pageSize: number;
}

export interface QueueCount {
  key: string;
  label: string;
  count: number;
  /** More than `count` cases: counting stopped at the cap (shown as 1000+). */
  capped?: boolean;
}

export interface Workbench {
  today: string;
  soonWorkingDays: number;
  scope: { id: string; name: string };
  queues: QueueCount[];
}

export interface TimelineEntry {
  seq: number;
  type: string;
  label: string;
  at: string;
  visibility: 'public' | 'internal';
  summary: string;
  text: string | null;
  comment: string | null;
  actorKind?: string;
  actorUnitName?: string | null;
  payload?: Record<string, unknown>;
}

export interface Attachment {
  id: string;
  filename: string;
  mime: string;
  size: number;
  sha256: string;
  purpose: string;
  createdAt: string;
}

export interface Assignment {
  id: string;
  unitId: string;
  unitName: string;
  kind: 'assign' | 'forward';
  status: string;
  assignedAt: string;
  dueDate: string;
  signedAt: string | null;
  returnedAt: string | null;
  returnReason: string | null;
}

export interface CaseDetail extends CaseListItem {
  content: string;
  target: string;
  receivingUnitId: string;
  currentUnitId: string;
  reviewLevel: number;
  evaluation: string | null;
  mergedInto: string | null;
  /** 重复信访 link (stats 008): the open case this one may repeat. */
  repeatOf?: { caseId: string; caseNo: string; similarity: number; linkId: string } | null;
  pendingExtension: { days: number; reason: string; at?: string } | null;
  extensionDays: number;
  dueDates: {
    accept: string | null;
    assign: string | null;
    returnWindow: string | null;
    reply: string | null;
    reviewRequest: string | null;
    reviewDecision: string | null;
    uncoveredYears: number[];
  };
  petitioner: { name: string | null; phone: string | null; address: string | null; registered: boolean };
  coPetitioners: { name: string; phone: string | null; representative: boolean }[];
  publicConsent: boolean;
  assignments: Assignment[];
  attachments: Attachment[];
  timeline: TimelineEntry[];
  headHash: string;
  allowedActions: StaffAction[];
}

export interface Unmasked {
  petitioner: { name: string | null; phone: string | null; address: string | null; idNumber: string | null };
  coPetitioners: { name: string; phone: string | null; representative: boolean }[];
}

export interface RelatedCase extends CaseListItem {
  earlier: boolean;
  similarity: number;
}

export interface CodeName {
  code: string;
  name: string;
}

export interface RegionNode {
  code: string;
  name: string;
  children?: RegionNode[];
}

export interface Catalog {
  categories: CodeName[];
  regions: RegionNode[];
  targets: (CodeName & { kind: string })[];
  guidanceChannels: (CodeName & { text: string })[];
  rejectReasons: CodeName[];
}

export interface UnitNode {
  id: string;
  name: string;
  kind: string;
  level: string;
  regionCode: string;
  assignable: boolean;
  hasChildren: boolean;
}

export interface DuePreview {
  today: string;
  dueReturn: string;
  dueReply: string;
  returnClock: { kind: string; days: number; label: string; source: string };
  handlingClock: { kind: string; days: number; label: string; source: string };
  uncoveredYears: number[];
}

export interface BulkResult {
  results: { id: string; ok: boolean; state?: string; status?: number; code?: string; message?: string }[];
  succeeded: number;
  failed: number;
}

/** An official document (文书) of the case (GET /api/office/cases/{id}/documents). */
export interface CaseDocument {
  id: string;
  kind: string;
  title: string;
  docNo: string;
  unitName: string;
  addresseeUnitName: string | null;
  audience: 'petitioner' | 'unit';
  issuedDate: string;
  sha256: string;
  size: number;
  petitionerSigns: boolean;
  signedAt: string | null;
  superseded: boolean;
  signaturePending: boolean;
  downloadUrl: string;
}
