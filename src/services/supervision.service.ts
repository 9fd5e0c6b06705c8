/**
 * "这不是我签的": the petitioner reports a document in their name they did not sign. A public
 * 'signature_disputed' event and an internal 'supervised' event are written, and a supervision
 * record goes to the petition bureau one level above the unit now handling the case.
 */
import crypto from 'node:crypto';
import type { AppContext } from './context.js';
import { AppError, forbidden, notFound } from './errors.js';
import { mutateCase, type Actor } from './case-mutation.js';
import type { StaffPrincipal } from './auth.service.js';
import type { Unit } from './units.js';
import { caseNumber } from './case.service.js';
import { findCase } from '../store/case.repository.js';

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
    const d = await t.tx.selectFrom('document').select(['id', 'audience', 'doc_no', 'title', 'kind']).where('case_id', '=', caseId).where('id', '=', documentId).executeTakeFirst();
    if (!d || d.audience !== 'petitioner') throw notFound('文书不存在');
    bureau = supervisingBureau(ctx, row.current_unit_id);
    if (!bureau) throw new AppError(409, 'no_supervisor', '找不到上级信访部门');
    const b = bureau;
    const at = ctx.clock.now().toISOString();
    return {
      patch: {},
      events: [
        { type: 'signature_disputed', visibility: 'public', payload: { documentId: d.id, docNo: d.doc_no, title: d.title, reason } },
        { type: 'supervised', visibility: 'internal', payload: { by: 'signature_dispute', supervisionId, unitId: b.id, unitName: b.name, byUnitName: b.name, documentId: d.id, reason } },
      ],
      also: async (tt) => {
        await tt.tx.insertInto('supervision').values({ id: supervisionId, case_id: caseId, unit_id: b.id, document_id: d.id, reason, status: 'open', created_at: at }).execute();
      },
    };
  });
  return { supervisionId, unitId: bureau!.id, unitName: bureau!.name };
}

/** Open supervision records of the caller's bureau, for its supervisors and leaders. */
export async function supervisionsFor(ctx: AppContext, p: StaffPrincipal) {
  if (!p.permissions.has('case.supervise')) throw forbidden('需要督办权限');
  const rows = await ctx.store.db.selectFrom('supervision').selectAll().where('unit_id', '=', p.unit.id).orderBy('created_at', 'desc').limit(200).execute();
  const items = [];
  for (const r of rows) {
    const c = await findCase(ctx.store.db, r.case_id);
    items.push({ id: r.id, caseId: r.case_id, caseNo: c ? caseNumber(c) : null, title: c?.title ?? null, documentId: r.document_id, reason: r.reason, status: r.status, createdAt: r.created_at });
  }
  return { items };
}
