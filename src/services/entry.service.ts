/**
 * Staff entry of letters, visits and calls (来信/来访/来电): a registrar (登记员) registers the case
 * for the citizen through the same createCase as online submissions, with the channel recorded and
 * the registrar's own bureau or mailbox as the receiving unit. The citizen gets the query code by
 * SMS (createCase queues 'case_submitted' when a phone is given) and on a printed 登记回执.
 */
import crypto from 'node:crypto';
import type { AppContext } from './context.js';
import { AppError, badInput, conflict, forbidden, notFound } from './errors.js';
import { createCase, type CoPetitioner, type SubmitInput } from './case.service.js';
import type { StaffPrincipal } from './auth.service.js';
import { caseFacts } from './document.service.js';
import { today } from './deadlines.js';
import { canonicalJson } from '../domain/event-chain.js';
import { validateIdNumber, validateMobile } from '../domain/id-number.js';
import { receiptSpec } from '../documents/templates.js';
import { renderPdf } from '../documents/render.js';
import { findAccountByIdNumberHash } from '../store/account.repository.js';
import { findCase, type CaseRow } from '../store/case.repository.js';
import { findCaseEntry, findEntryByIdempotency, insertCaseEntry } from '../store/document.repository.js';

export type EntryChannel = 'letter' | 'visit' | 'call';

export interface EntryInput {
  channel: EntryChannel;
  /** When the letter arrived (the visit, the call), if before the entry; the clocks count from it. */
  receivedAt?: string | undefined;
  petitioner: { name: string; phone?: string | undefined; idNumber?: string | undefined; address?: string | undefined };
  categoryCode: string;
  regionCode: string;
  title: string;
  content: string;
  coPetitioners?: CoPetitioner[] | undefined;
  publicConsent?: boolean | undefined;
  denunciation?: boolean | undefined;
  accusedUnitIds?: string[] | undefined;
}

export interface EntryResult {
  row: CaseRow;
  queryCode: string;
  receipt: { filename: string; sha256: string; data: Buffer };
  smsQueued: boolean;
  linkedAccount: boolean;
  replayed: boolean;
}

const namePattern = /^[\u4e00-\u9fa5·]{2,20}$|^[A-Za-z][A-Za-z .'-]{1,49}$/;

/** Checks the petitioner's particulars; returns the normalised phone and ID number. */
function validatePetitioner(ctx: AppContext, input: EntryInput): { phone: string | null; idNumber: string | null } {
  const fields: Record<string, string> = {};
  const pt = input.petitioner;
  if (!namePattern.test(pt.name.trim())) fields['petitioner.name'] = '请填写信访人的真实姓名（2-20 个汉字）';
  let phone: string | null = null;
  if (pt.phone !== undefined && pt.phone.trim() !== '') {
    const m = validateMobile(pt.phone);
    if (m.ok) phone = m.normalized;
    else fields['petitioner.phone'] = m.reason;
  } else if (input.channel !== 'letter') {
    fields['petitioner.phone'] = '来访、来电须登记信访人的手机号码，用于短信告知查询码';
  } else if (!pt.address?.trim()) {
    fields['petitioner.address'] = '来信未留手机号码的，须登记通信地址，以便邮寄告知书';
  }
  let idNumber: string | null = null;
  if (pt.idNumber !== undefined && pt.idNumber.trim() !== '') {
    const v = validateIdNumber(pt.idNumber, today(ctx));
    if (v.ok) idNumber = v.normalized;
    else fields['petitioner.idNumber'] = v.reason;
  }
  if (input.receivedAt !== undefined) {
    const at = Date.parse(input.receivedAt);
    const now = ctx.clock.now().getTime();
    if (Number.isNaN(at)) fields.receivedAt = '收信（来访、来电）时间格式不正确';
    else if (at > now + 60_000) fields.receivedAt = '收信（来访、来电）时间不能晚于现在';
    else if (at < now - 30 * 86_400_000) fields.receivedAt = '收信（来访、来电）时间不能早于 30 日前，请按实际情况登记并说明';
  }
  if (Object.keys(fields).length > 0) throw badInput('登记信息有误，请检查标注的项目', fields);
  return { phone, idNumber };
}

/** Hash of an entry body, to tell an honest retry from a different entry under the same key. */
function entryHash(input: EntryInput): string {
  return crypto.createHash('sha256').update(canonicalJson(input)).digest('hex');
}

/** The portal page where a query code is entered (printed on the receipt, returned to the registrar). */
export function trackUrl(ctx: AppContext): string {
  return `${ctx.config.publicBaseUrl.replace(/\/+$/, '')}/track`;
}

/** The printable 登记回执 with the query code; reproducible from the case, so a retry prints the same bytes. */
async function receipt(ctx: AppContext, row: CaseRow, queryCode: string, issuerName: string): Promise<EntryResult['receipt']> {
  const data = await renderPdf(
    receiptSpec(caseFacts(ctx, row), { issuer: issuerName, issuedDate: row.received_date, issuedAt: row.submitted_at, queryCode, dueAccept: row.due_accept, trackUrl: trackUrl(ctx) }),
  );
  return { filename: `登记回执（${row.title.slice(0, 20).replace(/[\\/:*?"<>|]/g, '_')}）.pdf`, sha256: crypto.createHash('sha256').update(data).digest('hex'), data };
}

/**
 * Registers a letter, visit or call for a citizen. 403 without 'case.register', for a registrar
 * outside a bureau or mailbox office, or for a region outside the registrar's jurisdiction.
 * With an Idempotency-Key, a retry by the same registrar returns the same case.
 */
export async function enterCase(ctx: AppContext, p: StaffPrincipal, input: EntryInput, idempotencyKey?: string): Promise<EntryResult> {
  if (!p.permissions.has('case.register')) throw forbidden('您的角色不能登记来信、来访、来电');
  if (p.unit.kind !== 'bureau' && p.unit.kind !== 'mailbox') throw forbidden('来信、来访、来电由信访部门或领导信箱办公室登记');
  const { phone, idNumber } = validatePetitioner(ctx, input);
  const region = ctx.units.get(input.regionCode);
  // A region that does not exist is bad input (createCase says so); one that exists elsewhere is not ours.
  if (region && region.kind === 'government' && !region.path.startsWith(p.scope.path)) {
    throw forbidden('问题发生地不在本机关辖区内，请引导信访人向有权处理的机关反映');
  }
  const hash = entryHash(input);
  const replay = async (): Promise<EntryResult | null> => {
    if (!idempotencyKey) return null;
    const prior = await findEntryByIdempotency(ctx.store.db, p.account.id, idempotencyKey);
    if (!prior) return null;
    if (prior.request_hash !== hash) throw conflict('同一个 Idempotency-Key 已用于另一件不同的登记', 'idempotency_mismatch');
    const row = await findCase(ctx.store.db, prior.case_id);
    if (!row) throw notFound();
    const queryCode = ctx.crypto.decrypt(row.query_code_enc);
    return {
      row,
      queryCode,
      receipt: await receipt(ctx, row, queryCode, ctx.units.displayName(row.receiving_unit_id)),
      smsQueued: row.petitioner_phone_enc !== null,
      linkedAccount: prior.linked_account === 1,
      replayed: true,
    };
  };
  const prior = await replay();
  if (prior) return prior;

  const name = input.petitioner.name.trim();
  // A petitioner who already has a real-name account (same ID number and name) gets the case in
  // "my cases", and so can sign documents and evaluate it online. A phone alone is not proof enough.
  let accountId: string | null = null;
  if (idNumber) {
    const acc = await findAccountByIdNumberHash(ctx.store.db, ctx.crypto.lookupHash(`id:${idNumber}`));
    if (acc && acc.kind === 'citizen' && !acc.disabled && ctx.crypto.decrypt(acc.name_enc) === name) accountId = acc.id;
  }
  const submit: SubmitInput = {
    target: p.unit.kind === 'mailbox' ? `mailbox:${p.unit.regionCode}` : 'bureau',
    categoryCode: input.categoryCode,
    regionCode: input.regionCode,
    address: input.petitioner.address,
    title: input.title,
    content: input.content,
    coPetitioners: input.coPetitioners,
    publicConsent: input.publicConsent,
    denunciation: input.denunciation,
    accusedUnitIds: input.accusedUnitIds,
  };
  const now = ctx.clock.now().toISOString();
  try {
    const { row, queryCode } = await createCase(ctx, submit, {
      accountId,
      name,
      phone,
      channel: input.channel,
      actor: { kind: 'staff', id: p.account.id, unitId: p.unit.id },
      receivingUnitId: p.unit.id,
      receivedAt: input.receivedAt ? new Date(input.receivedAt).toISOString() : undefined,
      alsoInternal: (t, r) =>
        insertCaseEntry(t, {
          case_id: r.id,
          channel: input.channel,
          registrar_id: p.account.id,
          unit_id: p.unit.id,
          id_number_enc: ctx.crypto.encryptOptional(idNumber),
          id_number_hash: idNumber ? ctx.crypto.lookupHash(`id:${idNumber}`) : null,
          linked_account: accountId ? 1 : 0,
          idempotency_key: idempotencyKey ?? null,
          request_hash: idempotencyKey ? hash : null,
          entered_at: now,
        }),
    });
    return { row, queryCode, receipt: await receipt(ctx, row, queryCode, p.unit.name), smsQueued: phone !== null, linkedAccount: accountId !== null, replayed: false };
  } catch (e) {
    // Two concurrent retries: the loser's entry insert hits the unique key; answer with the winner's case.
    if (idempotencyKey && !(e instanceof AppError)) {
      const again = await replay();
      if (again) return again;
    }
    throw e;
  }
}

/**
 * A case a registrar may add the scanned letter or other material to: entered by staff of the
 * registrar's own unit, and not yet past acceptance. 404 for a case outside the registrar's view.
 */
export async function entryForUpload(ctx: AppContext, p: StaffPrincipal, caseId: string): Promise<CaseRow> {
  const row = await findCase(ctx.store.db, caseId);
  if (!row || !ctx.units.get(row.receiving_unit_id)?.path.startsWith(p.scope.path)) throw notFound();
  if (!p.permissions.has('case.register')) throw forbidden('您的角色不能为登记的信访件上传材料');
  const entry = await findCaseEntry(ctx.store.db, row.id);
  if (!entry || entry.unit_id !== p.unit.id) throw forbidden('只能为本单位登记的来信、来访、来电上传材料');
  if (row.state !== 'submitted' && row.state !== 'accepted') throw conflict('信访件已进入办理，不能再由登记员补充材料');
  return row;
}
