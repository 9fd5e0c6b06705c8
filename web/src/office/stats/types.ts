/** Shapes of GET /api/office/stats and /api/office/stats/cases. */
export interface Ratio {
  hit: number;
  due: number;
  rate: number | null;
}

export const rateKeys = ['online', 'acceptance', 'assignment', 'completion', 'participation', 'satisfaction', 'repeat'] as const;
export type RateKey = (typeof rateKeys)[number];
export type MeasureKey = 'volume' | 'overdue' | RateKey;

export type StatsRow = { key: string; label: string; volume: number; overdue: number } & Record<RateKey, Ratio>;

export interface StatsResponse {
  from: string;
  to: string;
  today: string;
  groupBy: string;
  level: string | null;
  total: StatsRow;
  rows: StatsRow[];
}

export interface DrillItem {
  id: string;
  caseNo: string;
  title: string;
  receivedDate: string;
  channelLabel: string;
  category: string;
  region: string;
  stateLabel: string;
  unit: string;
  dueAccept: string | null;
  dueAssign: string | null;
  dueReply: string | null;
  evaluation: string | null;
}

export const measureLabels: Record<MeasureKey, string> = {
  volume: '信访总量',
  online: '网上信访占比',
  acceptance: '及时受理率',
  assignment: '及时交办率',
  completion: '按期办结率',
  participation: '参评率',
  satisfaction: '满意率',
  repeat: '重复信访率',
  overdue: '当前超期',
};

export const groupLabels: Record<string, string> = {
  category: '问题类别',
  region: '地区',
  unit: '承办单位',
  receivingUnit: '受理单位',
  channel: '渠道',
  target: '投诉对象',
  month: '月份',
};

export interface Filters {
  from: string;
  to: string;
  region?: string | undefined;
  category?: string | undefined;
  channel?: string | undefined;
  unit?: string | undefined;
}

/** The query string of the filters (and more), for the API and the exports alike. */
export function qs(f: Filters, extra: Record<string, string | number | undefined> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...f, ...extra })) if (v !== undefined && v !== '') p.set(k, String(v));
  return p.toString();
}

export const pct = (r: Ratio) => (r.rate === null ? '—' : `${(r.rate * 100).toFixed(1)}%`);
