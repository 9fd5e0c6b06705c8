/**
 * 考核: a unit's score for a period from the measures of DOMAIN.md and the supervision findings,
 * by weights a government configures (e.g. 及时受理 5, 按期办结 10, 参评 5, 满意 10, −1 per
 * repeat). Pure: the store supplies the counts, this turns them into lines, a total and a rank.
 */

/** The rate items: points = weight × hit ÷ due (full points when nothing was due). */
export const rateItems = ['acceptance', 'assignment', 'completion', 'participation', 'satisfaction'] as const;
export type RateItem = (typeof rateItems)[number];

/** The penalty items: points deducted per case or finding. */
export const penaltyItems = ['repeat', 'inspectionProblem', 'overdueCorrection', 'supervision'] as const;
export type PenaltyItem = (typeof penaltyItems)[number];
export type AssessmentItem = RateItem | PenaltyItem;

export const itemLabels: Record<AssessmentItem, string> = {
  acceptance: '及时受理率',
  assignment: '及时交办率',
  completion: '按期办结率',
  participation: '参评率',
  satisfaction: '满意率',
  repeat: '重复信访',
  inspectionProblem: '督导检查发现问题',
  overdueCorrection: '整改逾期',
  supervision: '督办件超期或升级',
};

/** How each item is counted, shown to the unit beside its score. */
export const itemRules: Record<AssessmentItem, string> = {
  acceptance: '受理期限在考核期内的件：期限内作出受理或不予受理决定的件数 ÷ 应决定件数',
  assignment: '交办期限在考核期内的件：期限内交办或转送的件数 ÷ 应交办件数',
  completion: '答复期限（含批准的延期）在考核期内的件：按期答复件数 ÷ 应答复件数',
  participation: '考核期内答复的件：信访人已评价件数 ÷ 已答复件数',
  satisfaction: '考核期内答复并评价的件：满意和基本满意件数 ÷ 已评价件数',
  repeat: '考核期内收到的重复信访（合并的件及信访人确认的同一事项），每件扣分',
  inspectionProblem: '考核期内督导检查记录为“有问题”的抽查件，每件扣分',
  overdueCorrection: '整改期限在考核期内且未按期报告整改情况的整改要求，每项扣分',
  supervision: '考核期内立案的督办件中被升级督办或超过答复期限未答复的，每件扣分',
};

export type AssessmentWeights = Record<RateItem, number> & Record<PenaltyItem, number>;

/** The default scheme: the weights several Hebei cities publish (5 / 10 / 5 / 10, −1 per repeat). */
export const defaultWeights: AssessmentWeights = {
  acceptance: 5,
  assignment: 0,
  completion: 10,
  participation: 5,
  satisfaction: 10,
  repeat: 1,
  inspectionProblem: 2,
  overdueCorrection: 2,
  supervision: 2,
};

/** Checks a weights object: every item present, rates 0–100, penalties 0–50, at least one rate weighted. */
export function validateWeights(w: Partial<Record<string, unknown>>): { weights: AssessmentWeights } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const out = {} as AssessmentWeights;
  for (const k of [...rateItems, ...penaltyItems]) {
    const v = w[k];
    const max = (rateItems as readonly string[]).includes(k) ? 100 : 50;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > max || Math.round(v * 100) !== v * 100) {
      errors[k] = `${itemLabels[k]}的分值应为 0 至 ${max} 之间的数（最多两位小数）`;
    } else out[k] = v;
  }
  if (Object.keys(errors).length === 0 && rateItems.every((k) => out[k] === 0)) errors.acceptance = '至少一项比率指标的分值应大于 0';
  return Object.keys(errors).length > 0 ? { errors } : { weights: out };
}

export interface Count {
  hit: number;
  due: number;
}

export interface UnitCounts {
  rates: Record<RateItem, Count>;
  penalties: Record<PenaltyItem, number>;
}

export interface ScoreLine {
  item: AssessmentItem;
  label: string;
  kind: 'rate' | 'penalty';
  weight: number;
  /** Rates: hit and due; penalties: the number of cases or findings (due = hit). */
  hit: number;
  due: number;
  rate: number | null;
  points: number;
  deduction: number;
}

export interface UnitScore {
  lines: ScoreLine[];
  /** The most a unit can score (sum of the rate weights). */
  max: number;
  total: number;
  deduction: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The lines and total of one unit: rate points, minus the penalties. */
export function scoreUnit(c: UnitCounts, w: AssessmentWeights): UnitScore {
  const lines: ScoreLine[] = [];
  for (const item of rateItems) {
    const { hit, due } = c.rates[item];
    const rate = due === 0 ? null : Math.round((hit / due) * 10000) / 10000;
    const points = due === 0 ? w[item] : round2((w[item] * hit) / due);
    lines.push({ item, label: itemLabels[item], kind: 'rate', weight: w[item], hit, due, rate, points, deduction: round2(w[item] - points) });
  }
  for (const item of penaltyItems) {
    const n = c.penalties[item];
    const d = round2(n * w[item]);
    lines.push({ item, label: itemLabels[item], kind: 'penalty', weight: w[item], hit: n, due: n, rate: null, points: -d, deduction: d });
  }
  const max = round2(rateItems.reduce((s, k) => s + w[k], 0));
  const total = round2(lines.reduce((s, l) => s + l.points, 0));
  return { lines, max, total, deduction: round2(max - total) };
}

/** Competition ranking (1, 2, 2, 4) by total, highest first; ties keep the given order. */
export function rankScores<T extends { total: number }>(rows: T[]): (T & { rank: number })[] {
  const sorted = [...rows].sort((a, b) => b.total - a.total);
  return sorted.map((r) => ({ ...r, rank: sorted.findIndex((x) => x.total === r.total) + 1 }));
}

/** A period as '2026', '2026-Q1' or '2026-03' → its first and last day, or null when malformed. */
export function periodRange(period: string): { from: string; to: string; label: string } | null {
  let m = /^(\d{4})$/.exec(period);
  if (m) return { from: `${m[1]}-01-01`, to: `${m[1]}-12-31`, label: `${m[1]}年度` };
  m = /^(\d{4})-Q([1-4])$/.exec(period);
  if (m) {
    const q = Number(m[2]);
    const first = (q - 1) * 3 + 1;
    return { from: `${m[1]}-${pad(first)}-01`, to: `${m[1]}-${pad(first + 2)}-${lastDay(Number(m[1]), first + 2)}`, label: `${m[1]}年第${'一二三四'[q - 1]}季度` };
  }
  m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period);
  if (m) {
    const mo = Number(m[2]);
    return { from: `${m[1]}-${m[2]}-01`, to: `${m[1]}-${m[2]}-${lastDay(Number(m[1]), mo)}`, label: `${m[1]}年${mo}月` };
  }
  return null;
}

const pad = (n: number) => String(n).padStart(2, '0');

function lastDay(year: number, month: number): string {
  return pad(new Date(Date.UTC(year, month, 0)).getUTCDate());
}
