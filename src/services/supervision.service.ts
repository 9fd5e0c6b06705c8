/**
 * "这不是我签的": the petitioner reports a document in their name they did not sign. A public
 * 'signature_disputed' event and an internal 'supervised' event are written, and a supervision
 * record goes to the petition bureau one level above the unit now handling the case.
 */
import crypto from 'node:crypto';
import type { AppContext } from './context.js';
import { AppError, forbidden, notFound } from './errors.js';
import { mutateCase, type Actor } from './case-mutation.js';
import type { Unit } from './units.js';
import { insertSupervision } from '../store/supervision.repository.js';
import { today } from './deadlines.js';
import { unitNotice } from './notify.service.js';
import { caseNumber } from './case.service.js';

/** The petition bureau of the government above the unit's own government (the province's own bureau at the top). */
export function supervisingBureau(ctx: AppContext, unitId: string): Unit | undefined {
  let u = ctx.units.get(unitId);
  while (u && u.kind !== 'government') u = u.parentId ? ctx.units.get(u.parentId) : undefined;
  if (!u) return undefined;
  let up = u.parentId ? ctx.units.get(u.parentId) : undefined;
  while (up && up.kind !== 'government') up = up.parentId ? ctx.units.get(up.parentId) : undefined;
  const gov = up ?? u;
  return ctx.units.all().find((b) => b.kind === 'bureau' && b.parentId === gov.id) ?? ctx.units.bureauFor(gov.regionCode);
}

/** Records the dispute and opens supervision; `actor` is the authenticated petitioner. */
export async function disputeSignature(ctx: AppContext, caseId: string, documentId: string, reason: string, actor: Actor): Promise<{ supervisionId: string; unitId: string; unitName: string }> {
  if (actor.kind !== 'citizen') throw forbidden('只有信访人本人可以提出异议');
  const supervisionId = crypto.randomUUID();
  let bureau: Unit | undefined;
  await mutateCase(ctx, caseId, actor, async (row, t) => {
    const d = await t.tx.selectFrom('document').select(['id', 'audience', 'doc_no', 'title', 'kind', 'unit_id']).where('case_id', '=', caseId).where('id', '=', documentId).executeTakeFirst();
    if (!d || d.audience !== 'petitioner') throw notFound('文书不存在');
    bureau = supervisingBureau(ctx, row.current_unit_id);
    if (!bureau) throw new AppError(409, 'no_supervisor', '找不到上级信访部门');
    const b = bureau;
    const at = ctx.clock.now().toISOString();
    // A 督办件 like any other: the unit that issued the paper must answer within 10 working days.
    const target = ctx.units.get(d.unit_id) ?? ctx.units.get(row.current_unit_id)!;
    const dueDate = ctx.calendar.addWorkingDays(today(ctx), 10).date;
    return {
      patch: { supervised: 1 },
      events: [
        { type: 'signature_disputed', visibility: 'public', payload: { documentId: d.id, docNo: d.doc_no, title: d.title, reason } },
        { type: 'supervised', visibility: 'internal', payload: { by: 'signature_dispute', supervisionId, unitId: b.id, unitName: b.name, byUnitName: b.name, documentId: d.id, reason, targetUnitId: target.id, dueDate } },
      ],
      outbox: [
        ...unitNotice(ctx, b.id, 'supervision_disputed', { caseNo: caseNumber(row), title: row.title, docTitle: d.title }),
        ...unitNotice(ctx, target.id, 'supervision_opened', { caseNo: caseNumber(row), title: row.title, count: 1, byUnitName: b.name, dueDate }),
      ],
      also: async (tt) => {
        await insertSupervision(
          tt,
          {
            id: supervisionId,
            case_id: caseId,
            unit_id: b.id,
            target_unit_id: target.id,
            source: 'signature_dispute',
            document_id: d.id,
            problem: `信访人报告《${d.title}》（${d.doc_no}）不是本人所签：${reason}。请核查签署经过，书面报告。`,
            reason,
            due_date: dueDate,
            parent_id: null,
            created_by: null,
            created_at: at,
          },
          [caseId],
        );
      },
    };
  });
  return { supervisionId, unitId: bureau!.id, unitName: bureau!.name };
}
