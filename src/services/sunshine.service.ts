/**
 * 阳光信访: staff publish a replied case whose petitioner consented, as redacted text they have
 * checked; the public page lists those and the year's figures, counted from the database.
 */
import type { AppContext } from './context.js';
import type { Principal, StaffPrincipal } from './auth.service.js';
import { badInput, conflict, forbidden } from './errors.js';
import { today } from './deadlines.js';
import { mutateCase, type Actor } from './case-mutation.js';
import { requireStaff, visibleCase } from './office.service.js';
import { categories, nameOf } from '../domain/catalog.js';
import { stateLabel, type CaseState } from '../domain/case-state.js';
import { localDateOf } from '../domain/calendar.js';
import { personalDataIn, personalDataLabels, redactText, type KnownPersonalData } from '../domain/redaction.js';
import * as cases from '../store/case.repository.js';
import type { CaseRow } from '../store/case.repository.js';
import type { Tx } from '../store/tx.js';
import * as publications from '../store/publication.repository.js';
import type { PublicationRow } from '../store/publication.repository.js';

/** States in which a case carries a written reply. */
const answeredStates: ReadonlySet<string> = new Set(['replied', 'under_review', 'reviewed', 'final', 'closed']);

const ratingLabels: Record<string, string> = { satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意' };

export interface PublishInput {
  title: string;
  content: string;
  answer: string;
  /** Staff confirm that words equal to a petitioner's name are not that person (e.g. the place 张家口). */
  nameCheckOverride?: boolean | undefined;
}

/** Why a case cannot be published now, or null. */
function ineligibility(row: CaseRow): { code: string; message: string } | null {
  if (row.is_denunciation === 1) return { code: 'denunciation', message: '检举揭发件不得公开' };
  if (row.public_consent !== 1) return { code: 'no_consent', message: '信访人未同意公开，不能在阳光信访公开' };
  if (!row.replied_at || !answeredStates.has(row.state)) return { code: 'not_replied', message: '信访件尚未作出书面答复，不能公开' };
  return null;
}

function requirePublishRight(ctx: AppContext, p: StaffPrincipal, row: CaseRow): void {
  if (!p.permissions.has('case.publish')) throw forbidden('您的角色没有公开信访件的权限');
  const receiving = ctx.units.get(row.receiving_unit_id);
  if (!receiving || !receiving.path.startsWith(p.scope.path)) throw forbidden('只有受理机关可以公开本件');
}

export function knownPersonalData(ctx: AppContext, row: CaseRow): KnownPersonalData {
  const name = ctx.crypto.decryptOptional(row.petitioner_name_enc);
  const address = ctx.crypto.decryptOptional(row.address_enc);
  const co = row.co_petitioners_enc ? (JSON.parse(ctx.crypto.decrypt(row.co_petitioners_enc)) as { name: string }[]) : [];
  return { names: [...(name ? [name] : []), ...co.map((c) => c.name)], addresses: address ? [address] : [] };
}

export async function latestReply(db: Tx, caseId: string): Promise<{ text: string; unitName: string | null; at: string } | null> {
  const e = (await cases.listEvents(db, caseId)).filter((x) => x.type === 'replied').pop();
  if (!e) return null;
  const p = JSON.parse(e.payload) as { text?: string; unitName?: string };
  return { text: p.text ?? '', unitName: p.unitName ?? null, at: e.at };
}

function publicationView(p: PublicationRow) {
  return {
    status: p.status as 'published' | 'withdrawn',
    title: p.title,
    content: p.content,
    answer: p.answer,
    answerUnitName: p.answer_unit_name,
    revision: p.revision,
    publishedAt: p.published_at,
    updatedAt: p.updated_at,
  };
}

const staffActor = (p: StaffPrincipal): Actor => ({ kind: 'staff', id: p.account.id, unitId: p.unit.id });

/** What the publishing screen needs: eligibility, a machine-redacted draft to edit, and the current publication. */
export async function publicationDraft(ctx: AppContext, principal: Principal | null, caseId: string) {
  const p = requireStaff(principal);
  const { row } = await visibleCase(ctx, p, caseId);
  requirePublishRight(ctx, p, row);
  const known = knownPersonalData(ctx, row);
  const reply = await latestReply(ctx.store.db, row.id);
  const existing = await publications.findPublication(ctx.store.db, row.id);
  const problem = ineligibility(row);
  return {
    eligible: problem === null,
    problem: problem?.message ?? null,
    publicConsent: row.public_consent === 1,
    draft: { title: redactText(row.title, known), content: redactText(row.content, known), answer: redactText(reply?.text ?? '', known) },
    publication: existing ? publicationView(existing) : null,
  };
}

/** Publishes (or re-publishes with edited text) a case on the 阳光信访 page; records an event on the case. */
export async function publishCase(ctx: AppContext, principal: Principal | null, caseId: string, input: PublishInput) {
  const p = requireStaff(principal);
  await visibleCase(ctx, p, caseId);
  let created = false;
  let saved: PublicationRow | undefined;
  await mutateCase(ctx, caseId, staffActor(p), async (row, t) => {
    requirePublishRight(ctx, p, row);
    const problem = ineligibility(row);
    if (problem) throw conflict(problem.message, problem.code);
    const known = knownPersonalData(ctx, row);
    const fields: Record<string, string> = {};
    for (const key of ['title', 'content', 'answer'] as const) {
      const kinds = personalDataIn(input[key], known).filter((k) => !(k === 'name' && input.nameCheckOverride === true));
      if (kinds.length > 0) fields[key] = `仍含有${kinds.map((k) => personalDataLabels[k]).join('、')}，请删除后再公开`;
    }
    if (Object.keys(fields).length > 0) throw badInput('公开的内容仍含有个人信息，请删除后再公开', fields);
    const existing = await publications.findPublication(t.tx, row.id);
    const reply = await latestReply(t.tx, row.id);
    const now = ctx.clock.now().toISOString();
    created = !existing;
    saved = {
      case_id: row.id,
      status: 'published',
      title: input.title.trim(),
      content: input.content.trim(),
      answer: input.answer.trim(),
      answer_unit_name: reply?.unitName ?? null,
      category_code: row.category_code,
      region_code: row.region_code,
      received_date: row.received_date,
      replied_date: row.replied_at ? localDateOf(row.replied_at) : null,
      revision: (existing?.revision ?? 0) + 1,
      published_by: existing?.published_by ?? p.account.id,
      published_at: existing?.published_at ?? now,
      updated_at: now,
    };
    const rowToSave = saved;
    return {
      patch: {},
      events: [{ type: 'published', visibility: 'public', payload: { revision: rowToSave.revision, republished: !created } }],
      also: (tx) => publications.savePublication(tx, rowToSave),
    };
  });
  return { created, publication: publicationView(saved!) };
}

/** Takes a case off the public page (the petitioner withdrew consent, or personal data was found). */
export async function unpublishCase(ctx: AppContext, principal: Principal | null, caseId: string, reason: string | undefined) {
  const p = requireStaff(principal);
  await visibleCase(ctx, p, caseId);
  await mutateCase(ctx, caseId, staffActor(p), async (row, t) => {
    requirePublishRight(ctx, p, row);
    const existing = await publications.findPublication(t.tx, row.id);
    if (!existing || existing.status !== 'published') throw conflict('本件未在阳光信访公开', 'not_published');
    const now = ctx.clock.now().toISOString();
    return {
      patch: {},
      events: [
        { type: 'unpublished', visibility: 'public', payload: {} },
        ...(reason ? [{ type: 'note', visibility: 'internal' as const, payload: { text: `撤回公开：${reason}` } }] : []),
      ],
      also: (tx) => publications.setPublicationStatus(tx, row.id, 'withdrawn', now),
    };
  });
  return { status: 'withdrawn' as const };
}

/** The public page: the year's figures and one page of published cases. */
export async function sunshinePage(ctx: AppContext, q: { page: number; pageSize: number; category?: string | undefined }) {
  const d = today(ctx);
  const year = Number(d.slice(0, 4));
  const f = await publications.yearFigures(ctx.store.db, year, d);
  const due = f.replied + f.overdueUnreplied;
  const { rows, total } = await publications.listPublished(ctx.store.db, {
    categoryCode: q.category,
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  return {
    figures: {
      year,
      asOf: d,
      received: f.received,
      replied: f.replied,
      repliedOnTime: f.repliedOnTime,
      repliesDue: due,
      onTimeRate: due > 0 ? f.repliedOnTime / due : null,
      evaluated: f.evaluated,
      satisfied: f.satisfied,
      satisfactionRate: f.evaluated > 0 ? f.satisfied / f.evaluated : null,
      participationRate: f.replied > 0 ? f.evaluated / f.replied : null,
      published: f.published,
    },
    items: rows.map((r) => ({
      id: r.case_id,
      title: r.title,
      content: r.content,
      answer: r.answer,
      answerUnitName: r.answer_unit_name,
      category: nameOf(categories, r.category_code),
      categoryCode: r.category_code,
      regionName: ctx.units.displayName(r.region_code),
      receivedDate: r.received_date,
      repliedDate: r.replied_date,
      stateLabel: stateLabel(r.state as CaseState),
      evaluation: r.evaluation ? (ratingLabels[r.evaluation] ?? null) : null,
      publishedAt: r.published_at,
    })),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}
