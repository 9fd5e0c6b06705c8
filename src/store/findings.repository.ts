/**
 * Supervision findings against a unit for the assessment (考核): problems found in inspections of
 * the unit or a unit under it, corrections it reported late or not at all, and 督办件 addressed to
 * it that were escalated or left unanswered past their date (or reminded as overdue by the sweep,
 * whatever a later send-back changed). Tables of migrations 009 and 017.
 */
import type { AppContext } from '../services/context.js';
import type { Unit } from '../services/units.js';
import { localDateOf } from '../domain/calendar.js';

export interface FindingRef {
  kind: 'case' | 'correction' | 'supervision' | 'inspection';
  id: string;
  caseId: string | null;
  label?: string;
}

export interface Findings {
  inspectionProblem: FindingRef[];
  overdueCorrection: FindingRef[];
  supervision: FindingRef[];
}

/** The findings of [from, to] against a unit's subtree, as of `today`. */
export async function findingRefs(ctx: AppContext, u: Unit, from: string, to: string, today: string): Promise<Findings> {
  const db = ctx.store.db;
  const inSubtree = (unitId: string) => ctx.units.get(unitId)?.path.startsWith(u.path) ?? false;
  const problems = await db
    .selectFrom('inspection_case')
    .innerJoin('inspection', 'inspection.id', 'inspection_case.inspection_id')
    .select(['inspection_case.case_id', 'inspection_case.inspection_id', 'inspection.unit_id', 'inspection.inspected_on'])
    .where('inspection_case.verdict', '=', 'problem')
    .where('inspection.inspected_on', '>=', from)
    .where('inspection.inspected_on', '<=', to)
    .orderBy('inspection.inspected_on')
    .execute();
  const corrections = await db
    .selectFrom('inspection_correction')
    .innerJoin('inspection', 'inspection.id', 'inspection_correction.inspection_id')
    .select(['inspection_correction.id', 'inspection_correction.case_id', 'inspection_correction.requirement', 'inspection_correction.due_date', 'inspection_correction.reported_at', 'inspection.unit_id'])
    .where('inspection_correction.due_date', '>=', from)
    .where('inspection_correction.due_date', '<=', to)
    .where('inspection_correction.due_date', '<', today)
    .orderBy('inspection_correction.due_date')
    .execute();
  // created_at is UTC: the China-local days [from, to] are [from − 8 h, to + 16 h) in UTC.
  const fromUtc = new Date(Date.parse(`${from}T00:00:00Z`) - 8 * 3600_000).toISOString();
  const toUtc = new Date(Date.parse(`${to}T00:00:00Z`) + 16 * 3600_000).toISOString();
  const supervisions = await db
    .selectFrom('supervision')
    .select(['id', 'case_id', 'target_unit_id', 'status', 'due_date', 'answered_at', 'created_at', 'problem'])
    .where('created_at', '>=', fromUtc)
    .where('created_at', '<', toUtc)
    .orderBy('created_at')
    .execute();
  // A 督办件 the sweep found past a deadline unanswered (逾期催报) stays late even if a send-back
  // (退回重办) later gave it a new deadline and cleared the answer the current one is judged by.
  const reminded = new Set<string>();
  const ids = supervisions.map((r) => r.id);
  for (let i = 0; i < ids.length; i += 500) {
    for (const r of await db.selectFrom('supervision_reminder').select('supervision_id').where('supervision_id', 'in', ids.slice(i, i + 500)).execute()) reminded.add(r.supervision_id);
  }
  return {
    inspectionProblem: problems.filter((r) => inSubtree(r.unit_id)).map((r) => ({ kind: 'inspection', id: r.inspection_id, caseId: r.case_id, label: `督导检查（${r.inspected_on}）发现问题` })),
    overdueCorrection: corrections
      .filter((r) => inSubtree(r.unit_id) && (r.reported_at === null || localDateOf(r.reported_at) > r.due_date))
      .map((r) => ({ kind: 'correction', id: r.id, caseId: r.case_id, label: `整改逾期：${r.requirement}（期限 ${r.due_date}）` })),
    supervision: supervisions
      .filter((r) => {
        const d = localDateOf(r.created_at);
        if (d < from || d > to || !inSubtree(r.target_unit_id)) return false;
        if (r.status === 'escalated' || reminded.has(r.id)) return true;
        return r.due_date !== null && r.due_date < today && (r.answered_at === null || localDateOf(r.answered_at) > r.due_date);
      })
      .map((r) => ({ kind: 'supervision', id: r.id, caseId: r.case_id, label: `督办件${r.status === 'escalated' ? '已升级' : '超期未答复'}：${r.problem}` })),
  };
}
