/**
 * 学习园地: the normative texts every staff member can read (the shipped defaults, as edited by an
 * admin), and the first-login guided tour whose dismissal is remembered per account.
 */
import type { AppContext } from './context.js';
import type { StaffPrincipal } from './auth.service.js';
import { badInput, conflict, forbidden, notFound } from './errors.js';
import { defaultTrainingTexts } from '../domain/training-texts.js';
import * as repo from '../store/assessment.repository.js';
import { inTransaction } from '../store/tx.js';

export const tours = ['office-intro'] as const;
export type TourKey = (typeof tours)[number];

function merged(rows: repo.TrainingRow[]) {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out = defaultTrainingTexts.map((d) => {
    const r = byId.get(d.id);
    return r
      ? { id: r.id, title: r.title, source: r.source, body: r.body, sort: r.sort, revision: r.revision, retired: r.retired === 1, edited: true, updatedAt: r.updated_at }
      : { ...d, revision: 0, retired: false, edited: false, updatedAt: null };
  });
  for (const r of rows) {
    if (!defaultTrainingTexts.some((d) => d.id === r.id)) out.push({ id: r.id, title: r.title, source: r.source, body: r.body, sort: r.sort, revision: r.revision, retired: r.retired === 1, edited: true, updatedAt: r.updated_at });
  }
  return out.sort((a, b) => a.sort - b.sort || a.id.localeCompare(b.id));
}

/** GET the texts (retired ones only for editors). */
export async function listTraining(ctx: AppContext, p: StaffPrincipal) {
  const canEdit = p.permissions.has('training.edit');
  const all = merged(await repo.trainingRows(ctx.store.db));
  return { canEdit, items: all.filter((t) => canEdit || !t.retired) };
}

/** PUT one text (new id = a new text); optimistic on the revision; every edit is recorded. */
export async function saveTraining(ctx: AppContext, p: StaffPrincipal, id: string, input: { title: string; source: string; body: string; sort: number; retired: boolean; revision: number }) {
  if (!p.permissions.has('training.edit')) throw forbidden('只有系统管理员可以编辑业务规范');
  if (!/^[a-z0-9][a-z0-9-]{1,47}$/.test(id)) throw badInput('编号只能使用小写字母、数字和连字符', { id: '编号只能使用小写字母、数字和连字符（2 至 48 个字符）' });
  const current = merged(await repo.trainingRows(ctx.store.db)).find((t) => t.id === id);
  const expected = current?.edited ? current.revision : 0;
  if (input.revision !== (current?.revision ?? 0)) throw conflict('该规范已被他人修改，请刷新后再改', 'stale_revision');
  const now = ctx.clock.now().toISOString();
  const row: repo.TrainingRow = { id, title: input.title, source: input.source, body: input.body, sort: input.sort, revision: (current?.revision ?? 0) + 1, retired: input.retired ? 1 : 0, updated_by: p.account.id, updated_at: now };
  await inTransaction(ctx.store, async (t) => {
    if (!(await repo.saveTraining(t.tx, row, expected))) throw conflict('该规范已被他人修改，请刷新后再改', 'stale_revision');
    await repo.recordEvent(t.tx, { subjectKind: 'training_text', subjectId: id, type: current ? 'edited' : 'created', actorId: p.account.id, actorUnitId: p.unit.id, at: now, payload: { revision: row.revision, retired: input.retired, previousTitle: current?.title ?? null } });
  });
  const saved = merged(await repo.trainingRows(ctx.store.db)).find((t) => t.id === id);
  if (!saved) throw notFound('未找到该规范');
  return saved;
}

/** GET which tours the account has dismissed. */
export async function tourState(ctx: AppContext, p: StaffPrincipal) {
  const done = await repo.toursDismissed(ctx.store.db, p.account.id);
  return { dismissed: done, pending: tours.filter((t) => !done.includes(t)) };
}

/** POST: remembers that the account dismissed (or finished) a tour. */
export async function dismissTour(ctx: AppContext, p: StaffPrincipal, tour: TourKey) {
  await repo.dismissTour(ctx.store.db, p.account.id, tour, ctx.clock.now().toISOString());
  return tourState(ctx, p);
}
