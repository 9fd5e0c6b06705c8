/** Shapes of the API answers the portal reads (src/services/case-view.ts, catalog.service.ts, sunshine.service.ts). */

export interface Deadline {
  clock: string;
  label: string;
  due: string;
  overdue: boolean;
  workingDaysLeft: number;
}

export interface TimelineEntry {
  seq: number;
  type: string;
  label: string;
  at: string;
  summary: string;
  text: string | null;
  comment: string | null;
}

export interface AttachmentInfo {
  id: string;
  filename: string;
  mime: string;
  size: number;
  purpose: string;
  createdAt: string;
}

export interface ReplyView {
  at: string;
  kind: 'reply' | 'review';
  unitName: string | null;
  text: string;
  attachments: AttachmentInfo[];
}

export interface Awaiting {
  kind: string;
  label: string;
  until: string | null;
}

/** An official document (文书) addressed to the petitioner: notices, reply opinions, 双向责任书. */
export interface DocumentInfo {
  id: string;
  kind: string;
  title: string;
  docNo: string;
  unitName: string;
  issuedDate: string;
  sha256: string;
  size: number;
  petitionerSigns: boolean;
  signedAt: string | null;
  superseded: boolean;
  signaturePending: boolean;
  downloadUrl: string;
}

export type CitizenAction = 'message' | 'withdraw' | 'evaluate' | 'review-request' | 'confirm-receipt';

export interface TrackingView {
  id: string;
  caseNo: string;
  state: string;
  stateLabel: string;
  title: string;
  category: string;
  regionName: string;
  channel: string;
  receivingUnitName: string;
  currentUnitName: string;
  submittedAt: string;
  evaluation: string | null;
  supervised: boolean;
  deadlines: Deadline[];
  timeline: TimelineEntry[];
  replies: ReplyView[];
  documents?: DocumentInfo[];
  awaitingPetitioner: Awaiting[];
  allowedActions: string[];
}

export interface CoPetitioner {
  name: string;
  phone?: string;
  representative?: boolean;
}

export interface OwnerView extends TrackingView {
  queryCode: string;
  content: string;
  address: string | null;
  publicConsent: boolean;
  coPetitioners: CoPetitioner[];
  attachments: AttachmentInfo[];
}

export interface MyCaseItem {
  id: string;
  caseNo: string;
  title: string;
  state: string;
  stateLabel: string;
  category: string;
  regionName: string;
  submittedAt: string;
  deadlines: Deadline[];
  queryCode: string;
}

export interface RegionNode {
  code: string;
  name: string;
  children?: RegionNode[];
}

export interface Catalog {
  categories: { code: string; name: string }[];
  regions: RegionNode[];
  targets: { code: string; name: string; kind: 'bureau' | 'mailbox'; regionCode: string | null }[];
  acceptanceScope: { accepted: string[]; notAccepted: string[] };
  guidanceChannels: { code: string; name: string; text: string }[];
  clocks: Record<string, { kind: 'working' | 'calendar'; days: number; label?: string }>;
}

export interface SubmitResult {
  id: string;
  caseNo: string;
  queryCode: string;
  state: string;
  submittedAt: string;
  deadlines: { accept: string | null; assign: string | null };
}

export interface SunshineItem {
  id: string;
  title: string;
  content: string;
  answer: string;
  answerUnitName: string | null;
  category: string;
  regionName: string;
  receivedDate: string;
  repliedDate: string | null;
  stateLabel: string;
  evaluation: string | null;
  publishedAt: string;
}

export interface SunshinePage {
  figures: {
    year: number;
    asOf: string;
    received: number;
    replied: number;
    repliedOnTime: number;
    repliesDue: number;
    onTimeRate: number | null;
    evaluated: number;
    satisfied: number;
    satisfactionRate: number | null;
    participationRate: number | null;
    published: number;
  };
  items: SunshineItem[];
  total: number;
  page: number;
  pageSize: number;
}
