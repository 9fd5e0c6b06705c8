/**
 * The staff workbench: queue counts, unmasking personal data with a reason,
 * earlier cases of the same petitioner, the due dates an assignment would get, and bulk actions.
 */
import { logSecurity } from '../store/security.repository.js';
import type { AppContext } from './context.js';
import { AppError, badInput, forbidden } from './errors.js';
import { DueDates, today } from './deadlines.js';
import { mutateCase } from './case-mutation.js';
import type { StaffPrincipal } from './auth.service.js';
import { performAction, visibleCase, type ActionBody } from './office.service.js';
import { listItem } from './case-view.js';
import { caseSearchTokens } from '../domain/search-text.js';
import type { StaffAction } from '../domain/case-state.js';
import * as cases from '../store/case.repository.js';
import { countQueues } from '../store/workbench.repository.js';
import { jurisdictionPath, queueDefinition, queueLabels, queuesFor, soonWorkingDays } from './queues.js';

/** 工作台: every queue of the caller's roles with its count, over the caller's jurisdiction. */
export async function workbench(ctx: AppContext, p: StaffPrincipal) {
  if (!p.permissions.has('case.read')) throw forbidden('您的角色不能查看信访件');
  const keys = queuesFor(p);
  const counts = await countQueues(
    ctx.store.db,
    { scopePath: jurisdictionPath(ctx, p), excludeAccusedPaths: ctx.units.ancestorPaths(p.unit.id) },
    keys.map((k) => queueDefinition(ctx, p, k)),
    ctx.config.countCap,
  );
  return {
    today: today(ctx),
    soonWorkingDays,
    scope: { id: p.scope.id, name: p.scope.name },
    // capped: more than `count` cases (the count stops at XINFANG_COUNT_CAP, default 1,000: shown as 1000+).
    queues: keys.map((k) => ({ key: k, label: queueLabels[k], count: counts[k]?.count ?? 0, capped: counts[k]?.capped ?? false })),
  };
}

/** 查看完整个人信息: needs the permission and a stated reason, and is recorded as an internal event. */
export async function unmaskCase(ctx: AppContext, p: StaffPrincipal, caseId: string, reason: string, ip: string | null = null) {
  if (!p.permissions.has('case.unmask_pii')) throw forbidden('您的角色不能查看完整个人信息');
  const why = reason.trim();
  if (why.length < 4) throw badInput('请写明查看完整个人信息的理由', { reason: '理由至少 4 个字' });
  await visibleCase(ctx, p, caseId);
  const row = await mutateCase(ctx, caseId, { kind: 'staff', id: p.account.id, unitId: p.unit.id }, () => ({
    patch: {},
    events: [{ type: 'pii_unmasked', visibility: 'internal', payload: { reason: why, byUnitName: p.unit.name, fields: ['name', 'phone', 'address', 'coPetitioners'] } }],
    // Also in the security log, in the same transaction: the security admin sees who unmasked what.
    also: (t) => logSecurity(t.tx, { at: ctx.clock.now().toISOString(), kind: 'pii_unmasked', actor_id: p.account.id, subject_id: null, ip, detail: JSON.stringify({ caseId }) }),
  }));
  let idNumber: string | null = null;
  if (row.petitioner_id) {
    const acc = await ctx.store.db.selectFrom('account').select('id_number_enc').where('id', '=', row.petitioner_id).executeTakeFirst();
    idNumber = ctx.crypto.decryptOptional(acc?.id_number_enc ?? null);
  }
  const co = row.co_petitioners_enc ? (JSON.parse(ctx.crypto.decrypt(row.co_petitioners_enc)) as { name: string; phone?: string; representative?: boolean }[]) : [];
  return {
    petitioner: {
      name: ctx.crypto.decryptOptional(row.petitioner_name_enc),
      phone: ctx.crypto.decryptOptional(row.petitioner_phone_enc),
      address: ctx.crypto.decryptOptional(row.address_enc),
      idNumber,
    },
    coPetitioners: co.map((c) => ({ name: c.name, phone: c.phone ?? null, representative: c.representative === true })),
    recordedAt: row.updated_at,
  };
}

function jaccard(a: string[], b: string[]): number {
  const A = new Set(a);
  const B = new Set(b);
  let inter = 0;
  for (const x of A) if (B.has(x)) inter++;
  const union = A.size + B.size - inter;
  return union === 0 ? 0 : inter / union;
}

/** Other cases of the same petitioner in the caller's jurisdiction, with how alike their words are (重复信访). */
export async function relatedCases(ctx: AppContext, p: StaffPrincipal, caseId: string) {
  const { row } = await visibleCase(ctx, p, caseId);
  if (!row.petitioner_id) return { items: [] };
  const { rows } = await cases.queueCases(ctx.store.db, {
    scopePath: jurisdictionPath(ctx, p),
    excludeAccusedPaths: ctx.units.ancestorPaths(p.unit.id),
    petitionerId: row.petitioner_id,
    excludeCaseId: row.id,
    sort: '-submitted',
    limit: 20,
    offset: 0,
  }, [...cases.listColumns, 'content']);
  const mine = caseSearchTokens(row);
  return {
    items: rows.map((r) => ({
      ...listItem(ctx, r),
      earlier: r.submitted_at < row.submitted_at || (r.submitted_at === row.submitted_at && r.seq_no < row.seq_no),
      similarity: Math.round(jaccard(mine, caseSearchTokens(r)) * 100) / 100,
    })),
  };
}

/** The due dates an assignment made today would carry (退回异议 and 办理答复), by the calendar. */
export async function assignmentDuePreview(ctx: AppContext, p: StaffPrincipal, caseId: string) {
  const { row } = await visibleCase(ctx, p, caseId);
  const due = new DueDates(ctx);
  const d = today(ctx);
  const dueReturn = due.due('returnWindow', d);
  const dueReply = row.due_reply ?? due.due('handling', d);
  return {
    today: d,
    dueReturn,
    dueReply,
    returnClock: ctx.clocks.returnWindow,
    handlingClock: ctx.clocks.handling,
    uncoveredYears: [...due.uncovered].sort(),
  };
}

export type BulkAction = Extract<StaffAction, 'accept' | 'forward'>;

export interface BulkResult {
  id: string;
  ok: boolean;
  state?: string;
  status?: number;
  code?: string;
  message?: string;
}

/** 批量受理 / 批量转送: each case in its own transaction; one refusal does not stop the others. */
export async function bulkAction(ctx: AppContext, p: StaffPrincipal, action: BulkAction, caseIds: string[], body: ActionBody): Promise<{ results: BulkResult[]; succeeded: number; failed: number }> {
  const ids = [...new Set(caseIds)];
  const results: BulkResult[] = [];
  for (const id of ids) {
    try {
      const row = await performAction(ctx, p, id, action, body);
      results.push({ id, ok: true, state: row.state });
    } catch (e) {
      if (e instanceof AppError) results.push({ id, ok: false, status: e.status, code: e.code, message: e.message });
      // An unexpected failure rolled back this case's transaction only; report it and go on.
      else results.push({ id, ok: false, status: 500, code: 'internal_error', message: '处理此件时发生内部错误，请稍后单独重试' });
    }
  }
  const succeeded = results.filter((r) => r.ok).length;
  return { results, succeeded, failed: results.length - succeeded };
}
