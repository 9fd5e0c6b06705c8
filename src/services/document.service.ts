/**
 * Official documents (文书): issued as PDF inside the transaction of the action that causes them
 * (受理告知书 on accept, 交办函 on assign …), numbered per unit, kind and year, stored encrypted with
 * their SHA-256, recorded as a 'document_issued' event, downloadable by the case's staff and by the
 * petitioner, and — for the 双向责任书 — signed by the petitioner's own session only.
 */
import crypto from 'node:crypto';
import type { AppContext } from './context.js';
import { conflict, forbidden, notFound } from './errors.js';
import { today } from './deadlines.js';
import { caseNumber, ownCase } from './case.service.js';
import { mutateCase, type Actor, type EventSpec, type Mutation } from './case-mutation.js';
import type { Principal, StaffPrincipal } from './auth.service.js';
import type { Unit } from './units.js';
import { categories, nameOf } from '../domain/catalog.js';
import { maskName } from '../domain/masking.js';
import { isTerminal, type CaseState } from '../domain/case-state.js';
import { documentCounterName, formatDocumentNumber, kindInfo, unitAbbreviation, type DocumentKind } from '../documents/kinds.js';
import { documentSpec, type CaseFacts, type KindDetails } from '../documents/templates.js';
import { renderPdf } from '../documents/render.js';
import { nextCounter, type AssignmentRow, type CaseRow } from '../store/case.repository.js';
import * as docs from '../store/document.repository.js';
import type { DocumentMeta, DocumentRow } from '../store/document.repository.js';
import type { TxContext } from '../store/tx.js';

/** The case data documents print, with the petitioner's name in full (documents are addressed to them). */
export function caseFacts(ctx: AppContext, row: CaseRow): CaseFacts {
  const name = ctx.crypto.decryptOptional(row.petitioner_name_enc) ?? '信访人';
  return {
    caseNo: caseNumber(row),
    title: row.title,
    content: row.content,
    channel: row.channel,
    receivedDate: row.received_date,
    petitionerName: name,
    petitionerNameMasked: maskName(name),
    coPetitionerCount: row.co_petitioner_count,
    categoryName: nameOf(categories, row.category_code),
    regionName: ctx.units.displayName(row.region_code),
  };
}

export interface IssueRequest {
  issuer: Unit;
  addressee?: Unit | undefined;
  details: KindDetails;
  /** The event type of the action that issues it ('accepted', 'assigned' …). */
  trigger: string;
  issuedBy: string;
}

/**
 * Numbers, renders and stores one document inside the caller's transaction, and returns the
 * 'document_issued' event for the caller to append. The bytes are made before the commit and
 * written with it: an acknowledged action always has its document, a failed one never does.
 */
export async function issueDocument(ctx: AppContext, t: TxContext, row: CaseRow, req: IssueRequest): Promise<{ doc: DocumentRow; event: EventSpec }> {
  const kind: DocumentKind = req.details.kind;
  const info = kindInfo(kind);
  const issuedDate = today(ctx);
  const issuedAt = ctx.clock.now().toISOString();
  const year = Number(issuedDate.slice(0, 4));
  const serial = await nextCounter(t, documentCounterName(req.issuer.id, kind, year));
  const docNo = formatDocumentNumber(unitAbbreviation(req.issuer, ctx.units.displayName(req.issuer.regionCode)), kind, year, serial);
  const pdf = await renderPdf(documentSpec(caseFacts(ctx, row), { issuer: req.issuer.name, docNo, issuedDate, issuedAt }, req.details));
  const sha256 = crypto.createHash('sha256').update(pdf).digest('hex');
  const doc: DocumentRow = {
    id: crypto.randomUUID(),
    case_id: row.id,
    // The case row is locked by the action's transaction, so the count cannot race.
    ordinal: (await docs.countDocuments(t.tx, row.id)) + 1,
    kind,
    title: info.title,
    doc_no: docNo,
    unit_id: req.issuer.id,
    addressee_unit_id: req.addressee?.id ?? null,
    audience: info.audience,
    year,
    serial,
    issued_date: issuedDate,
    issued_at: issuedAt,
    issued_by: req.issuedBy,
    trigger_event: req.trigger,
    filename: `${info.title}（${docNo}）.pdf`,
    size: pdf.length,
    sha256,
    content_enc: ctx.crypto.encrypt(pdf.toString('base64')),
    petitioner_signs: info.petitionerSigns ? 1 : 0,
    petitioner_signed_at: null,
    petitioner_signed_by: null,
  };
  await docs.insertDocument(t, doc);
  return {
    doc,
    event: {
      type: 'document_issued',
      // 交办函 / 转送函 are between units; everything else is addressed to the petitioner and public.
      visibility: info.audience === 'petitioner' ? 'public' : 'internal',
      payload: {
        documentId: doc.id,
        kind,
        title: info.title,
        docNo,
        unitId: req.issuer.id,
        unitName: req.issuer.name,
        addresseeUnitId: req.addressee?.id ?? null,
        issuedDate,
        sha256,
        size: pdf.length,
        petitionerSigns: info.petitionerSigns,
      },
    },
  };
}

const str = (p: Record<string, unknown>, k: string): string => (typeof p[k] === 'string' ? (p[k] as string) : '');
const strOrNull = (p: Record<string, unknown>, k: string): string | null => (typeof p[k] === 'string' && p[k] !== '' ? (p[k] as string) : null);

/** Which document an action's main event issues, by whom, to whom, with what wording. */
function documentFor(ctx: AppContext, p: StaffPrincipal, row: CaseRow, e: EventSpec, active: AssignmentRow | undefined, body: Record<string, unknown>): Omit<IssueRequest, 'issuedBy'> | null {
  const pl = e.payload;
  switch (e.type) {
    case 'accepted':
      return { issuer: p.unit, trigger: e.type, details: { kind: 'acceptance_notice', dueReply: strOrNull(pl, 'dueReply'), note: strOrNull(pl, 'note') } };
    case 'rejected':
      return {
        issuer: p.unit,
        trigger: e.type,
        details: { kind: 'rejection_notice', reason: str(pl, 'reason'), guidance: str(pl, 'guidance'), guidanceText: str(pl, 'guidanceText'), explanation: strOrNull(pl, 'explanation') },
      };
    case 'assigned':
    case 'forwarded': {
      const to = ctx.units.get(str(pl, 'unitId'));
      const instructions = typeof body.instructions === 'string' && body.instructions.trim() !== '' ? body.instructions.trim() : null;
      return {
        issuer: p.unit,
        addressee: to,
        trigger: e.type,
        details: {
          kind: e.type === 'assigned' ? 'assignment_letter' : 'forwarding_letter',
          addressee: to?.name ?? str(pl, 'unitName'),
          dueReturn: strOrNull(pl, 'dueReturn'),
          dueReply: strOrNull(pl, 'dueReply'),
          instructions,
        },
      };
    }
    case 'signed':
      return { issuer: p.unit, trigger: e.type, details: { kind: 'responsibility_letter', handlingUnit: p.unit.name, dueReply: row.due_reply } };
    case 'extension_approved': {
      // The petitioner hears of the extension from the unit handling the case, whoever approved it.
      const handling = (active ? ctx.units.get(active.unit_id) : undefined) ?? p.unit;
      return {
        issuer: handling,
        trigger: e.type,
        details: { kind: 'extension_notice', days: Number(pl.days), reason: str(pl, 'reason'), dueReply: str(pl, 'dueReply'), handlingUnit: handling.name },
      };
    }
    case 'replied':
      return {
        issuer: p.unit,
        trigger: e.type,
        details: { kind: 'reply_opinion', text: str(pl, 'text'), reviewDays: ctx.clocks.reviewRequest.days, dueReviewRequest: strOrNull(pl, 'dueReviewRequest') },
      };
    case 'review_decided': {
      const level = Number(pl.level);
      return {
        issuer: p.unit,
        trigger: e.type,
        details: {
          kind: level >= 2 ? 're_review_opinion' : 'review_opinion',
          outcome: pl.outcome === 'changed' ? 'changed' : 'upheld',
          text: str(pl, 'text'),
          nextDays: ctx.clocks.reReviewRequest.days,
          dueNext: strOrNull(pl, 'dueReReviewRequest'),
        },
      };
    }
    default:
      return null;
  }
}

const withoutDocuments = new WeakSet<AppContext>();

/**
 * Turns document issuing off for one context. For bulk data generation only (bench/generate.ts
 * makes 100,000 cases through performAction; at ~25–40 ms and ~70 KB per PDF that would take hours):
 * a running server always issues its documents.
 */
export function disableDocumentIssuing(ctx: AppContext): void {
  withoutDocuments.add(ctx);
}

/**
 * Hook for office.service's performAction: adds the document the action issues (if any) to its
 * mutation — rendered and stored inside the same transaction, its event appended after the action's.
 */
export async function withActionDocuments(
  ctx: AppContext,
  t: TxContext,
  p: StaffPrincipal,
  row: CaseRow,
  m: Mutation,
  active: AssignmentRow | undefined,
  body: Record<string, unknown>,
): Promise<Mutation> {
  const main = m.events[0];
  if (!main || withoutDocuments.has(ctx)) return m;
  const req = documentFor(ctx, p, row, main, active, body);
  if (!req) return m;
  const after: CaseRow = { ...row, ...m.patch };
  const { event } = await issueDocument(ctx, t, after, { ...req, issuedBy: p.account.id });
  return { ...m, events: [...m.events, event] };
}

/** A document as lists show it; the download URL depends on who is looking. */
export interface DocumentView {
  id: string;
  kind: DocumentKind;
  title: string;
  docNo: string;
  unitName: string;
  addresseeUnitName: string | null;
  audience: 'petitioner' | 'unit';
  issuedDate: string;
  issuedAt: string;
  sha256: string;
  size: number;
  petitionerSigns: boolean;
  signedAt: string | null;
  superseded: boolean;
  signaturePending: boolean;
  downloadUrl: string;
}

function views(ctx: Pick<AppContext, 'units'>, row: CaseRow, list: DocumentMeta[], staff: boolean): DocumentView[] {
  const latestResponsibility = [...list].reverse().find((d) => d.kind === 'responsibility_letter')?.id;
  const open = !isTerminal(row.state as CaseState);
  return list.map((d) => {
    // A case signed for again after a return gets a new 双向责任书; the earlier one no longer binds.
    const superseded = d.kind === 'responsibility_letter' && d.id !== latestResponsibility;
    return {
      id: d.id,
      // The table's check constraint admits only the known kinds.
      kind: d.kind as DocumentKind,
      title: d.title,
      docNo: d.doc_no,
      unitName: ctx.units.displayName(d.unit_id),
      addresseeUnitName: d.addressee_unit_id ? ctx.units.displayName(d.addressee_unit_id) : null,
      audience: d.audience === 'unit' ? 'unit' : 'petitioner',
      issuedDate: d.issued_date,
      issuedAt: d.issued_at,
      sha256: d.sha256,
      size: d.size,
      petitionerSigns: d.petitioner_signs === 1,
      signedAt: d.petitioner_signed_at,
      superseded,
      signaturePending: d.petitioner_signs === 1 && d.petitioner_signed_at === null && !superseded && open,
      downloadUrl: staff ? `/api/office/cases/${row.id}/documents/${d.id}` : `/api/cases/${row.id}/documents/${d.id}`,
    };
  });
}

/** Every document of a case, internal ones included (staff). */
export async function staffDocuments(ctx: AppContext, row: CaseRow): Promise<DocumentView[]> {
  return views(ctx, row, await docs.listDocuments(ctx.store.db, row.id), true);
}

/** The documents addressed to the petitioner (tracking and the owner's view). */
export async function petitionerDocuments(ctx: AppContext, row: CaseRow): Promise<DocumentView[]> {
  return petitionerDocumentViews(ctx, row, await docs.listDocuments(ctx.store.db, row.id));
}

/** The documents addressed to the petitioner, from every document of the case (`list`, in issue order). */
export function petitionerDocumentViews(ctx: Pick<AppContext, 'units'>, row: CaseRow, list: DocumentMeta[]): DocumentView[] {
  return views(ctx, row, list.filter((d) => d.audience === 'petitioner'), false);
}

/** The awaitingPetitioner entries for documents still waiting for the petitioner's signature. */
export function signatureAwaiting(list: DocumentView[]): { kind: string; label: string; until: string | null; documentId: string }[] {
  return list
    .filter((d) => d.signaturePending)
    .map((d) => ({ kind: 'sign-document', label: `请签署${d.title}（${d.docNo}）`, until: null, documentId: d.id }));
}

export interface DocumentFile {
  filename: string;
  sha256: string;
  data: Buffer;
}

function decode(ctx: AppContext, d: DocumentRow): DocumentFile {
  const data = Buffer.from(ctx.crypto.decrypt(d.content_enc), 'base64');
  return { filename: d.filename, sha256: d.sha256, data };
}

/**
 * A document for staff who may see the case. The PDF carries the petitioner's name unmasked, so
 * every staff download is recorded on the case (internal event), like any other unmasking.
 */
export async function staffDownload(ctx: AppContext, p: StaffPrincipal, row: CaseRow, documentId: string): Promise<DocumentFile> {
  const d = await docs.findDocument(ctx.store.db, row.id, documentId);
  if (!d) throw notFound('文书不存在');
  await mutateCase(ctx, row.id, { kind: 'staff', id: p.account.id, unitId: p.unit.id }, () => ({
    patch: {},
    events: [{ type: 'document_downloaded', visibility: 'internal', payload: { documentId: d.id, docNo: d.doc_no, title: d.title } }],
  }));
  return decode(ctx, d);
}

/** A document addressed to the petitioner, for the petitioner's own session (others: 404, staff: 403). */
export async function petitionerDownload(ctx: AppContext, p: Principal, caseId: string, documentId: string): Promise<DocumentFile> {
  const row = await ownCase(ctx, p, caseId);
  const d = await docs.findDocument(ctx.store.db, row.id, documentId);
  if (!d || d.audience !== 'petitioner') throw notFound('文书不存在');
  return decode(ctx, d);
}

/**
 * The petitioner signs a document that needs it (双向责任书). Only the petitioner's own session
 * can: any staff session is refused before anything is read, so no official can sign in their place.
 * With `sha256` the petitioner confirms the exact bytes they read.
 */
export async function signDocument(ctx: AppContext, p: Principal, caseId: string, documentId: string, sha256?: string): Promise<DocumentView> {
  if (p.kind !== 'citizen') throw forbidden('文书只能由信访人本人登录后签署，工作人员不能代为签署');
  await ownCase(ctx, p, caseId);
  return signDocumentAsPetitioner(ctx, caseId, documentId, p.account.id, sha256);
}

/** The signature itself, once the petitioner is authenticated (own session or one-time code); `accountId` null for a petitioner without an account. */
export async function signDocumentAsPetitioner(
  ctx: AppContext,
  caseId: string,
  documentId: string,
  accountId: string | null,
  sha256?: string,
  proof?: Actor['proof'],
): Promise<DocumentView> {
  const row = await mutateCase(ctx, caseId, { kind: 'citizen', id: accountId, unitId: null, ...(proof ? { proof } : {}) }, async (r, t) => {
    const d = await docs.findDocument(t.tx, caseId, documentId);
    if (!d || d.audience !== 'petitioner') throw notFound('文书不存在');
    if (d.petitioner_signs !== 1) throw conflict('此文书无需信访人签署', 'not_signable');
    if (d.petitioner_signed_at !== null) throw conflict('您已签署此文书', 'already_signed');
    const list = await docs.listDocuments(t.tx, caseId);
    const [view] = views(ctx, r, list, false).filter((v) => v.id === d.id);
    if (view?.superseded) throw conflict('此责任书已被承办单位重新签发的责任书取代，请签署最新的一份', 'superseded');
    if (isTerminal(r.state as CaseState)) throw conflict('信访件已办结或终止，不能再签署', 'invalid_state');
    if (sha256 !== undefined && sha256.toLowerCase() !== d.sha256) throw conflict('文书内容与您确认的版本不一致，请重新下载核对后再签署', 'hash_mismatch');
    const at = ctx.clock.now().toISOString();
    return {
      patch: {},
      events: [{ type: 'document_signed', visibility: 'public', payload: { documentId: d.id, kind: d.kind, title: d.title, docNo: d.doc_no, sha256: d.sha256 } }],
      also: async (tx) => {
        if (!(await docs.markSigned(tx, d.id, accountId, at))) throw conflict('您已签署此文书', 'already_signed');
      },
    };
  });
  const list = await docs.listDocuments(ctx.store.db, caseId);
  const view = views(ctx, row, list, false).find((v) => v.id === documentId);
  if (!view) throw notFound('文书不存在');
  return view;
}
