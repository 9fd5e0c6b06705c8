/** Types of the 典型案例, 通报, 考核 and 学习园地 APIs as the office pages read them. */

export interface Typical {
  id: string;
  caseId: string;
  kind: 'good' | 'bad';
  kindLabel: string;
  status: 'proposed' | 'published' | 'rejected' | 'withdrawn';
  statusLabel: string;
  title: string;
  summary: string;
  commentary: string;
  category: string;
  regionName: string;
  unitName: string;
  publicRequested: boolean;
  proposedUnitName: string;
  proposedAt: string;
  decidedAt: string | null;
  decisionNote: string | null;
  allowed: { decide: boolean; withdraw: boolean };
}

export interface Page<T> {
  total: number;
  page: number;
  pageSize: number;
  items: T[];
}

export interface CircularSummary {
  id: string;
  kind: 'commendation' | 'criticism';
  kindLabel: string;
  title: string;
  docNo: string;
  issuerName: string;
  issuedDate: string;
  targetCount: number;
  acknowledgedCount: number;
  mine: { unitId: string; unitName: string; acknowledgedAt: string | null }[];
  canAcknowledge: boolean;
}

export interface CircularDetail extends CircularSummary {
  body: string;
  filename: string;
  size: number;
  sha256: string;
  citations: { kind: string; ref: string; label: string }[];
  targets: { unitId: string; unitName: string; acknowledgedAt: string | null }[];
  history: { type: string; at: string; unitName: string | null }[];
}

export interface ScoreLine {
  item: string;
  label: string;
  kind: 'rate' | 'penalty';
  weight: number;
  hit: number;
  due: number;
  rate: number | null;
  points: number;
  deduction: number;
}

export interface RankingRow {
  unitId: string;
  unitName: string;
  rank: number;
  total: number;
  max: number;
  deduction: number;
  lines: ScoreLine[];
}

export interface Ranking {
  parentId: string;
  parentName: string;
  group: 'region' | 'department';
  period: string;
  periodLabel: string;
  from: string;
  to: string;
  published: boolean;
  publishedAt: string | null;
  computedOn: string;
  canPublish: boolean;
  scheme: { id: string; revision: number; weights: Record<string, number> };
  rows: RankingRow[];
}

export interface UnitPageData {
  unitId: string;
  unitName: string;
  period: string;
  periodLabel: string;
  from: string;
  to: string;
  published: boolean;
  publishedAt: string | null;
  rank: number | null;
  rankOf: number | null;
  groupParentName: string | null;
  total: number;
  max: number;
  deduction: number;
  lines: (ScoreLine & { rule: string; refTotal: number; cases: { kind: string; id: string | null; caseId: string | null; caseNo: string | null; title: string; note: string | null; state: string | null }[] })[];
}

export interface AssessableUnit {
  id: string;
  name: string;
  kind: 'government' | 'department';
  level: string;
  parentId: string | null;
  hasRegions: boolean;
  hasDepartments: boolean;
}

export interface SchemeResponse {
  unitId: string;
  unitName: string;
  scheme: { id: string; ownerUnitName: string; name: string; weights: Record<string, number>; revision: number; inherited: boolean; updatedAt: string | null };
  items: { key: string; label: string; kind: 'rate' | 'penalty'; rule: string }[];
  canEdit: boolean;
}

export interface TrainingText {
  id: string;
  title: string;
  source: string;
  body: string;
  sort: number;
  revision: number;
  retired: boolean;
  edited: boolean;
  updatedAt: string | null;
}

/** The periods offered: this year and last, their quarters and months, newest first. */
export function periodOptions(today = new Date()): { value: string; label: string }[] {
  const y = today.getFullYear();
  const out: { value: string; label: string }[] = [];
  for (const year of [y, y - 1]) {
    out.push({ value: String(year), label: `${year}年度` });
    for (let q = 4; q >= 1; q--) out.push({ value: `${year}-Q${q}`, label: `${year}年第${'一二三四'[q - 1]}季度` });
    for (let m = 12; m >= 1; m--) out.push({ value: `${year}-${String(m).padStart(2, '0')}`, label: `${year}年${m}月` });
  }
  return out;
}

/** The last finished quarter, the default period to look at. */
export function lastQuarter(today = new Date()): string {
  const q = Math.floor(today.getMonth() / 3);
  return q === 0 ? `${today.getFullYear() - 1}-Q4` : `${today.getFullYear()}-Q${q}`;
}

export const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));
export const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(2)}%`);
