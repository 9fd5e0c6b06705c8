/** Citizen-side use cases: submit (登记), attachments, my cases, and the acts only a petitioner may do. */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { AppContext } from './context.js';
import { AppError, badInput, conflict, forbidden, notFound } from './errors.js';
import { DueDates, today } from './deadlines.js';
import { mutateCase, type Actor } from './case-mutation.js';
import type { Principal } from './auth.service.js';
import { categoryCodes } from '../domain/catalog.js';
import { genesisHash, canonicalJson } from '../domain/event-chain.js';
import { generateQueryCode } from '../domain/query-code.js';
import { nextState, type CaseState, type CitizenAction } from '../domain/case-state.js';
import { compareDates, localDateOf } from '../domain/calendar.js';
import { validateMobile } from '../domain/id-number.js';
import { inGroupCommit } from '../store/group-commit.js';
import type { TxContext } from '../store/tx.js';
import * as cases from '../store/case.repository.js';
import type { CaseRow } from '../store/case.repository.js';
import { enqueue } from '../store/outbox.repository.js';
import { sealOutboxSecrets } from './outbox-secrets.js';
import { indexNewCase } from '../store/search.repository.js';
import { caseSearchTokens } from '../domain/search-text.js';
import { rememberCaseWords, repeatGate, type RepeatDecision } from './repeat.service.js';
import { refreshTracking, writeTracking } from './tracking.service.js';
import { rollupNewCase } from './stats-rollup.service.js';
import { uuidV7 } from '../domain/time-ordered-id.js';

export interface CoPetitioner {
  name: string;
  phone?: string | undefined;
  representative?: boolean | undefined;
}

export interface SubmitInput {
  target: string;
  categoryCode: string;
  regionCode: string;
  address?: string | undefined;
  title: string;
  content: string;
  coPetitioners?: CoPetitioner[] | undefined;
  publicConsent?: boolean | undefined;
  denunciation?: boolean | undefined;
  accusedUnitIds?: string[] | undefined;
  /** After a 409 possible_repeat: 'same' joins the open case, 'new' files a new case anyway. */
  repeatDecision?: RepeatDecision | undefined;
}

export interface Submitter {
  accountId: string | null;
  name: string;
  phone: string | null;
  channel: 'web' | 'mailbox' | 'email' | 'api' | 'letter' | 'visit' | 'call';
  actor: Actor;
  /** Staff entry (来信/来访/来电): the registrar's own bureau or mailbox receives the case, whatever the region's bureau. */
  receivingUnitId?: string | undefined;
  /**
   * When the matter actually reached the government, if earlier than now (a letter opened before it
   * is entered, a repeat message split off later): the receipt date and the clocks count from it.
   */
  receivedAt?: string | undefined;
  /** Extra writes in the same transaction as the new case that may change what the public sees (a split case's split_from event). */
  also?: ((t: TxContext, row: CaseRow) => Promise<void>) | undefined;
  /** Extra writes in the same transaction that the public tracking view never shows (the staff-entry record, a repeat link). */
  alsoInternal?: ((t: TxContext, row: CaseRow) => Promise<void>) | undefined;
}

/** Resolves a target code ('bureau' or 'mailbox:<region>') to the receiving unit for a region. */
export function resolveTarget(ctx: AppContext, target: string, regionCode: string) {
  if (target === 'bureau') return { unit: ctx.units.bureauFor(regionCode), channel: 'web' as const };
  const m = /^mailbox:(\d{6})$/.exec(target);
  if (m) {
    const u = ctx.units.get(`${m[1]}-mailbox`);
    return { unit: u?.kind === 'mailbox' ? u : undefined, channel: 'mailbox' as const };
  }
  return { unit: undefined, channel: 'web' as const };
}

function validateSubmission(ctx: AppContext, input: SubmitInput) {
  const fields: Record<string, string> = {};
  if (!categoryCodes.has(input.categoryCode)) fields.categoryCode = '请选择有效的问题类别';
  const region = ctx.units.get(input.regionCode);
  if (!region || region.kind !== 'government') fields.regionCode = '请选择问题发生地（河北省内的市、县）';
  const target = resolveTarget(ctx, input.target, input.regionCode);
  if (!target.unit) fields.target = '请选择有效的投诉对象（信访局或领导信箱）';
  const co = input.coPetitioners ?? [];
  if (co.length > 0) {
    const reps = co.filter((c) => c.representative).length;
    if (reps > 5) fields.coPetitioners = '联名信访最多推选 5 名代表';
    co.forEach((c, i) => {
      if (!/^[\u4e00-\u9fa5·]{2,20}$|^[A-Za-z][A-Za-z .'-]{1,49}$/.test(c.name.trim())) fields[`coPetitioners.${i}.name`] = '请填写联名人的真实姓名';
      if (c.phone && !validateMobile(c.phone).ok) fields[`coPetitioners.${i}.phone`] = '联名人手机号码格式不正确';
    });
    if (co.length > 5 && reps === 0) fields.coPetitioners = '多人联名信访须推选代表（最多 5 名）';
  }
  const accused: string[] = [];
  for (const id of input.accusedUnitIds ?? []) {
    const u = ctx.units.get(id);
    if (!u) fields.accusedUnitIds = '被检举单位不存在';
    else accused.push(u.path);
  }
  if (Object.keys(fields).length > 0) throw badInput('提交的信息有误，请检查标注的项目', fields);
  return { receiving: target.unit!, channel: target.channel, accused };
}

/** Registers a new case (登记) with its query code, deadlines, first event and the code's notification. */
export async function createCase(
  ctx: AppContext,
  input: SubmitInput,
  by: Submitter,
  opts: {
    idempotency?: { key: string; requestHash: string } | undefined;
    /** The index words of the trimmed title and content (caseSearchTokens), when the caller already segmented them. */
    indexWords?: string[] | undefined;
  } = {},
): Promise<{ row: CaseRow; queryCode: string }> {
  const { idempotency } = opts;
  const { receiving: targetUnit, channel: targetChannel, accused } = validateSubmission(ctx, input);
  const receiving = (by.receivingUnitId ? ctx.units.get(by.receivingUnitId) : undefined) ?? targetUnit;
  const channel = by.channel === 'web' ? targetChannel : by.channel;
  const now = ctx.clock.now().toISOString();
  const received = by.receivedAt ? localDateOf(by.receivedAt) : today(ctx);
  const due = new DueDates(ctx);
  const dueAccept = due.due('acceptance', received);
  const dueAssign = due.due('assignment', received);
  const queryCode = generateQueryCode(ctx.randomBytes);
  const co = input.coPetitioners ?? [];
  const isDenunciation = input.denunciation === true || accused.length > 0;

  // Group commit on SQLite: submissions arriving together share one fsync'd COMMIT (store/group-commit.ts).
  return inGroupCommit(ctx.store, async (t) => {
    const seqNo = await cases.nextCounter(t, 'case');
    const row: CaseRow = {
      // Time-ordered: the new case's rows in a dozen indexes keyed by case id go side by side (domain/time-ordered-id.ts).
      id: uuidV7(ctx.clock.now().getTime(), ctx.randomBytes(10)),
      seq_no: seqNo,
      query_code_hash: ctx.crypto.lookupHash(`qc:${queryCode}`),
      query_code_enc: ctx.crypto.encrypt(queryCode),
      channel,
      target: input.target,
      receiving_unit_id: receiving.id,
      current_unit_id: receiving.id,
      petitioner_id: by.accountId,
      petitioner_name_enc: ctx.crypto.encrypt(by.name),
      petitioner_phone_enc: ctx.crypto.encryptOptional(by.phone),
      category_code: input.categoryCode,
      region_code: input.regionCode,
      address_enc: ctx.crypto.encryptOptional(input.address?.trim()),
      title: input.title.trim(),
      content: input.content.trim(),
      co_petitioners_enc: co.length > 0 ? ctx.crypto.encrypt(JSON.stringify(co)) : null,
      co_petitioner_count: co.length,
      public_consent: input.publicConsent ? 1 : 0,
      is_denunciation: isDenunciation ? 1 : 0,
      accused_unit_ids: JSON.stringify(accused),
      state: 'submitted',
      review_level: 0,
      merged_into: null,
      submitted_at: now,
      received_date: received,
      accepted_at: null,
      assigned_at: null,
      replied_at: null,
      reply_received_at: null,
      closed_at: null,
      due_accept: dueAccept,
      due_assign: dueAssign,
      due_return: null,
      due_reply: null,
      due_review_request: null,
      due_review_decision: null,
      extension_days: 0,
      pending_extension: null,
      supervised: 0,
      evaluation: null,
      uncovered_years: due.merged(null),
      event_count: 0,
      head_hash: genesisHash,
      updated_at: now,
    };
    const submitted: cases.NewEvent = {
      type: 'submitted',
      actorKind: by.actor.kind,
      actorId: by.actor.id,
      actorUnitId: by.actor.unitId,
      at: now,
      visibility: 'public',
      payload: canonicalJson({
        channel,
        target: input.target,
        receivingUnitId: receiving.id,
        caseNo: caseNumber(row),
        dueAccept,
        dueAssign,
        coPetitioners: co.length,
        ...(by.receivedAt ? { receivedAt: by.receivedAt } : {}),
      }),
    };
    // The first event is chained before the case row is written, so the row is inserted with its head
    // (event_count 1, head_hash) instead of being updated to it right after.
    const events = cases.chainEvents(row, [submitted]);
    await cases.insertCase(t, row);
    await cases.insertEvents(t, events);
    const words = opts.indexWords ?? caseSearchTokens(row);
    await indexNewCase(t, row.seq_no, words, { unitPath: receiving.path, accused: isDenunciation ? accused : [] });
    rememberCaseWords(row.id, words);
    await cases.insertCaseUnit(t, row.id, receiving.id, receiving.path, 'receiving');
    await rollupNewCase(ctx, t, row);
    if (idempotency && by.accountId) {
      await cases.insertIdempotency(t, by.accountId, idempotency.key, idempotency.requestHash, row.id, now);
    }
    if (by.phone) {
      await enqueue(t, {
        channel: 'sms',
        recipientEnc: ctx.crypto.encrypt(by.phone),
        template: 'case_submitted',
        payload: { caseNo: caseNumber(row), dueAccept },
        secretsEnc: sealOutboxSecrets(ctx, { queryCode }),
        caseId: row.id,
        at: now,
      });
    }
    if (by.alsoInternal) await by.alsoInternal(t, row);
    if (by.also) {
      // Extra writes may add to what the public sees (a split case's split_from event): render from the records.
      await by.also(t, row);
      await refreshTracking(ctx, t, row.id);
    } else {
      // The public tracking view: a new case has this one event and no attachments or documents yet.
      await writeTracking(ctx, t.tx, row, events, [], []);
    }
    return { row, queryCode };
  });
}

/** 信访件编号: year of receipt and a serial, e.g. 冀信〔2026〕000123号 → 'XF2026-000123'. */
export function caseNumber(row: Pick<CaseRow, 'seq_no' | 'received_date'>): string {
  return `XF${row.received_date.slice(0, 4)}-${String(row.seq_no).padStart(6, '0')}`;
}

/** Hash of a submission body, to tell an honest retry from a different request under the same key. */
export function requestHash(input: SubmitInput): string {
  return crypto.createHash('sha256').update(canonicalJson(input)).digest('hex');
}

/** Citizen submission with Idempotency-Key: a retry returns the same case, never a second one. */
export async function submitCase(
  ctx: AppContext,
  p: Principal,
  input: SubmitInput,
  idempotencyKey: string | undefined,
): Promise<{ row: CaseRow; queryCode: string; replayed: boolean; joined?: boolean }> {
  if (p.kind !== 'citizen') throw forbidden('工作人员请通过“来信来访登记”录入信访件');
  const hash = requestHash(input);
  const replay = async () => {
    if (!idempotencyKey) return null;
    const prior = await cases.findIdempotency(ctx.store.db, p.account.id, idempotencyKey);
    if (!prior) return null;
    if (prior.request_hash !== hash) throw conflict('同一个 Idempotency-Key 已用于另一份不同的信访件', 'idempotency_mismatch');
    const row = await cases.findCase(ctx.store.db, prior.case_id);
    if (!row) throw notFound();
    return { row, queryCode: ctx.crypto.decrypt(row.query_code_enc), replayed: true };
  };
  const prior = await replay();
  if (prior) return prior;
  // One jieba run for both the repeat check and the new case's index entry (the texts it stores are trimmed).
  const indexWords = caseSearchTokens({ title: input.title.trim(), content: input.content.trim() });
  // 重复信访: a similar open case of the same petitioner is named before a new case is opened.
  const repeat = await repeatGate(ctx, p, input, indexWords);
  if (repeat.joined) return repeat.joined;
  const by: Submitter = {
    accountId: p.account.id,
    name: ctx.crypto.decrypt(p.account.name_enc),
    phone: ctx.crypto.decryptOptional(p.account.phone_enc),
    channel: 'web',
    actor: { kind: 'citizen', id: p.account.id, unitId: null },
    alsoInternal: repeat.link,
  };
  try {
    const r = await createCase(ctx, input, by, { idempotency: idempotencyKey ? { key: idempotencyKey, requestHash: hash } : undefined, indexWords });
    return { ...r, replayed: false };
  } catch (e) {
    // Two concurrent retries: the loser's idempotency insert hits the primary key; answer with the winner's case.
    if (idempotencyKey && !(e instanceof AppError)) {
      const again = await replay();
      if (again) return again;
    }
    throw e;
  }
}

/** Loads a case the citizen owns, or 404 (never reveals that someone else's case exists). */
export async function ownCase(ctx: AppContext, p: Principal, caseId: string): Promise<CaseRow> {
  const row = await cases.findCase(ctx.store.db, caseId);
  if (!row || p.kind !== 'citizen' || row.petitioner_id !== p.account.id) {
    if (row && p.kind === 'staff') throw forbidden('只有信访人本人可以执行此操作');
    throw notFound();
  }
  return row;
}

const allowedMime = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'application/pdf']);

/** Stores an attachment checked by content (magic bytes), size- and count-capped, outside the web root. */
export async function addAttachment(
  ctx: AppContext,
  caseRow: CaseRow,
  uploader: Actor,
  purpose: 'petition' | 'reply',
  file: { filename: string; data: Buffer },
): Promise<cases.AttachmentRow> {
  const { fileTypeFromBuffer } = await import('file-type');
  if (file.data.length === 0) throw badInput('上传的文件为空', { file: '文件为空' });
  if (file.data.length > ctx.config.maxUploadBytes) throw new AppError(413, 'too_large', `单个附件不能超过 ${ctx.config.maxUploadBytes / 1048576} MB`);
  const type = await fileTypeFromBuffer(file.data);
  if (!type || !allowedMime.has(type.mime)) {
    throw new AppError(415, 'unsupported_type', '只能上传图片（JPG、PNG、WEBP、GIF）或 PDF 文件', { file: '文件类型不支持' });
  }
  const tooMany = () => conflict(`每件最多上传 ${ctx.config.maxAttachmentsPerCase} 个附件`, 'too_many_attachments');
  if ((await cases.countAttachments(ctx.store.db, caseRow.id, purpose)) >= ctx.config.maxAttachmentsPerCase) throw tooMany();
  const storageName = `${crypto.randomUUID()}.${type.ext}`;
  await fs.mkdir(ctx.uploadDir, { recursive: true });
  const full = path.join(ctx.uploadDir, storageName);
  await fs.writeFile(full, file.data, { mode: 0o600 });
  const safeName = file.filename.replace(/[\\/\u0000-\u001f]/g, '_').slice(0, 120) || `附件.${type.ext}`;
  const att: cases.AttachmentRow = {
    id: crypto.randomUUID(),
    case_id: caseRow.id,
    uploaded_by: uploader.id ?? 'system',
    purpose,
    filename: safeName,
    mime: type.mime,
    size: file.data.length,
    sha256: crypto.createHash('sha256').update(file.data).digest('hex'),
    storage_name: storageName,
    created_at: ctx.clock.now().toISOString(),
  };
  try {
    await mutateCase(ctx, caseRow.id, uploader, async (_row, t) => {
      // Count again under the case lock: concurrent uploads must not slip past the cap together.
      if ((await cases.countAttachments(t.tx, caseRow.id, purpose)) >= ctx.config.maxAttachmentsPerCase) throw tooMany();
      return {
        patch: {},
        events: [
          {
            type: 'attachment_added',
            visibility: 'public',
            payload: { attachmentId: att.id, filename: att.filename, mime: att.mime, size: att.size, sha256: att.sha256, purpose },
          },
        ],
        also: (tx) => cases.insertAttachment(tx, att),
      };
    });
  } catch (e) {
    await fs.rm(full, { force: true });
    throw e;
  }
  return att;
}

/** Citizen uploads an attachment to their own case while it is still before handling starts. */
export async function citizenAttachment(ctx: AppContext, p: Principal, caseId: string, file: { filename: string; data: Buffer }) {
  const row = await ownCase(ctx, p, caseId);
  if (!['submitted', 'accepted', 'assigned', 'in_progress', 'returned'].includes(row.state)) {
    throw conflict('信访件已答复或结束，不能再补充附件');
  }
  return addAttachment(ctx, row, { kind: 'citizen', id: p.account.id, unitId: null }, 'petition', file);
}

function requireCitizenTransition(row: CaseRow, action: CitizenAction): CaseState {
  const next = nextState(
    { state: row.state as CaseState, reviewLevel: row.review_level, hasPendingExtension: row.pending_extension !== null, evaluated: row.evaluation !== null },
    action,
  );
  if (next === null) throw conflict('信访件当前状态不允许此操作');
  return next;
}

export type Rating = 'satisfied' | 'basically_satisfied' | 'dissatisfied';
const ratingLabel: Record<Rating, string> = { satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意' };

/** Performs an act only the petitioner may do, under the petitioner's own session. */
export async function citizenAct(
  ctx: AppContext,
  p: Principal,
  caseId: string,
  act: CitizenActInput,
): Promise<CaseRow> {
  await ownCase(ctx, p, caseId);
  return petitionerAct(ctx, caseId, { kind: 'citizen', id: p.account.id, unitId: null }, act);
}

export type CitizenActInput =
  | { action: 'message'; text: string }
  | { action: 'evaluate'; rating: Rating; comment?: string | undefined }
  | { action: 'review-request'; reason: string }
  | { action: 'withdraw'; reason?: string | undefined }
  | { action: 'confirm-receipt' };

/** The act itself, once the petitioner is authenticated (own session, or a one-time code to their phone). */
export async function petitionerAct(ctx: AppContext, caseId: string, actor: Actor, act: CitizenActInput): Promise<CaseRow> {
  if (actor.kind !== 'citizen') throw forbidden('只有信访人本人可以执行此操作');
  return mutateCase(ctx, caseId, actor, (row) => {
    const next = requireCitizenTransition(row, act.action);
    const d = today(ctx);
    switch (act.action) {
      case 'message':
        return { patch: {}, events: [{ type: 'message', visibility: 'public', payload: { from: 'petitioner', text: act.text } }] };
      case 'confirm-receipt':
        if (row.reply_received_at) throw conflict('您已确认收到答复');
        return {
          patch: { reply_received_at: ctx.clock.now().toISOString() },
          events: [{ type: 'receipt_confirmed', visibility: 'public', payload: {} }],
        };
      case 'evaluate': {
        const closes = act.rating !== 'dissatisfied' && row.state === 'replied';
        return {
          patch: {
            evaluation: act.rating,
            ...(closes ? { state: 'closed', closed_at: ctx.clock.now().toISOString() } : {}),
          },
          events: [
            { type: 'evaluated', visibility: 'public', payload: { rating: act.rating, label: ratingLabel[act.rating], comment: act.comment ?? null } },
            ...(closes ? [{ type: 'closed', visibility: 'public' as const, payload: { reason: 'satisfied' } }] : []),
          ],
        };
      }
      case 'review-request': {
        if (row.due_review_request && compareDates(d, row.due_review_request) > 0) {
          throw conflict(`申请期限已于 ${row.due_review_request} 届满，不能再申请${row.review_level === 0 ? '复查' : '复核'}`, 'window_closed');
        }
        const level = row.review_level + 1;
        const due = new DueDates(ctx);
        const decision = due.due(level >= 2 ? 'reReviewDecision' : 'reviewDecision', d);
        return {
          patch: { state: next, review_level: level, due_review_decision: decision, uncovered_years: due.merged(row.uncovered_years) },
          events: [{ type: 'review_requested', visibility: 'public', payload: { level, label: level >= 2 ? '复核' : '复查', reason: act.reason, due: decision } }],
        };
      }
      case 'withdraw':
        return {
          patch: { state: next, closed_at: ctx.clock.now().toISOString() },
          events: [{ type: 'withdrawn', visibility: 'public', payload: { reason: act.reason ?? null } }],
        };
    }
  });
}
