/**
 * KPI formulas of DOMAIN.md (Measures). Each measure is a ratio hit ÷ due over the cases whose
 * anchor date falls in the period; the store computes the same sets in SQL (stats.repository.ts),
 * and `classifyCase` is the reference definition both the unit tests and the SQL follow.
 */

/** Channels that count as online (网上信访): the bureau's site, leaders' mailboxes, e-mail, API. */
export const onlineChannels = ['web', 'mailbox', 'email', 'api'] as const;

export const measureKeys = ['volume', 'online', 'acceptance', 'assignment', 'completion', 'participation', 'satisfaction', 'repeat', 'overdue'] as const;
export type MeasureKey = (typeof measureKeys)[number];

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

/** Which date places a case in a period for a measure (the day the thing was due or happened). */
export const measureAnchor: Record<MeasureKey, string> = {
  volume: '收到日期',
  online: '收到日期',
  acceptance: '受理期限',
  assignment: '交办期限',
  completion: '答复期限（含批准的延期）',
  participation: '答复日期',
  satisfaction: '答复日期',
  repeat: '收到日期',
  overdue: '（当前，不限期间）',
};

export const groupKeys = ['category', 'region', 'unit', 'receivingUnit', 'channel', 'target', 'month'] as const;
export type GroupKey = (typeof groupKeys)[number];

export interface Ratio {
  hit: number;
  due: number;
  /** hit ÷ due, rounded to 4 decimals; null when nothing was due. */
  rate: number | null;
}

/** A ratio of two counts; null rate when the denominator is zero (never 0 %, never 100 %). */
export function ratio(hit: number, due: number): Ratio {
  return { hit, due, rate: due === 0 ? null : Math.round((hit / due) * 10000) / 10000 };
}

/** The facts of one case that the measures read (dates 'YYYY-MM-DD' in China time). */
export interface CaseFacts {
  channel: string;
  state: string;
  receivedDate: string;
  mergedInto: string | null;
  dueAccept: string | null;
  dueAssign: string | null;
  dueReply: string | null;
  /** Local dates of the acts (accepted / rejected = closed while in 'rejected' / assigned / replied). */
  acceptedDate: string | null;
  closedDate: string | null;
  assignedDate: string | null;
  repliedDate: string | null;
  evaluation: string | null;
}

export type Membership = Partial<Record<MeasureKey, { anchor: string; hit: boolean }>>;

const noLongerOwed = new Set(['withdrawn', 'merged']);

/**
 * The measures a case counts in, with the anchor date and whether it counts as a hit. A clock
 * counts once the act happened or its due date has passed (before `today`); a case withdrawn or
 * merged before the act no longer owes it, a rejected case owes no assignment nor reply.
 */
export function classifyCase(c: CaseFacts, today: string): Membership {
  const m: Membership = {};
  m.volume = { anchor: c.receivedDate, hit: true };
  m.online = { anchor: c.receivedDate, hit: (onlineChannels as readonly string[]).includes(c.channel) };
  m.repeat = { anchor: c.receivedDate, hit: c.mergedInto !== null };
  // 受理: accepted, or rejected (不予受理: the decision is the closing).
  const decision = c.acceptedDate ?? (c.state === 'rejected' ? c.closedDate : null);
  if (c.dueAccept && (decision !== null || !noLongerOwed.has(c.state)) && (decision !== null || c.dueAccept < today)) {
    m.acceptance = { anchor: c.dueAccept, hit: decision !== null && decision <= c.dueAccept };
  }
  const owesMore = (done: string | null) => done !== null || !(noLongerOwed.has(c.state) || c.state === 'rejected');
  if (c.dueAssign && owesMore(c.assignedDate) && (c.assignedDate !== null || c.dueAssign < today)) {
    m.assignment = { anchor: c.dueAssign, hit: c.assignedDate !== null && c.assignedDate <= c.dueAssign };
  }
  if (c.dueReply && owesMore(c.repliedDate) && (c.repliedDate !== null || c.dueReply < today)) {
    m.completion = { anchor: c.dueReply, hit: c.repliedDate !== null && c.repliedDate <= c.dueReply };
  }
  if (c.repliedDate) {
    m.participation = { anchor: c.repliedDate, hit: c.evaluation !== null };
    if (c.evaluation) m.satisfaction = { anchor: c.repliedDate, hit: c.evaluation === 'satisfied' || c.evaluation === 'basically_satisfied' };
  }
  return m;
}

/** Sums the ratios of a set of cases for a period [from, to] (the reference the SQL must match). */
export function measureCases(cs: CaseFacts[], from: string, to: string, today: string): Record<Exclude<MeasureKey, 'overdue'>, Ratio> {
  const acc: Record<string, { hit: number; due: number }> = {};
  for (const c of cs) {
    for (const [k, v] of Object.entries(classifyCase(c, today))) {
      if (!v || v.anchor < from || v.anchor > to) continue;
      const a = (acc[k] ??= { hit: 0, due: 0 });
      a.due++;
      if (v.hit) a.hit++;
    }
  }
  const r = (k: string) => ratio(acc[k]?.hit ?? 0, acc[k]?.due ?? 0);
  return {
    volume: r('volume'),
    online: r('online'),
    acceptance: r('acceptance'),
    assignment: r('assignment'),
    completion: r('completion'),
    participation: r('participation'),
    satisfaction: r('satisfaction'),
    repeat: r('repeat'),
  };
}

/** Region level of a GB/T 2260 code: '130000' province, '130100' city, '130123' county. */
export function regionLevel(code: string): 'province' | 'city' | 'county' {
  if (/^\d{2}0000$/.test(code)) return 'province';
  if (/^\d{4}00$/.test(code)) return 'city';
  return 'county';
}

/** The prefix a region code's subtree shares ('130000' → '13', '130100' → '1301'). */
export function regionPrefix(code: string): string {
  switch (regionLevel(code)) {
    case 'province':
      return code.slice(0, 2);
    case 'city':
      return code.slice(0, 4);
    case 'county':
      return code;
  }
}

/** The level one below a region filter: the province is broken down by city, a city by county. */
export function childLevel(filter: string | undefined): 'city' | 'county' {
  return filter && regionLevel(filter) !== 'province' ? 'county' : 'city';
}

/** Small-cell suppression for published statistics: a count below `min` is not shown. */
export function suppress(n: number, min: number): number | null {
  return n < min ? null : n;
}

/** Months 'YYYY-MM' from one date to another, inclusive (empty months still appear in trends). */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const end = to.slice(0, 7);
  for (let i = 0; i < 240; i++) {
    const k = `${y}-${String(m).padStart(2, '0')}`;
    if (k > end) break;
    out.push(k);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}
