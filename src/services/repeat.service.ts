/**
 * 重复信访 at submission (信访工作条例 art. 19): the same petitioner raising a matter alike to one of
 * their open cases is told that case's number and query code and asked whether it is the same
 * matter. 'same' adds the text to the open case as a message (no new case); 'new' files a new case
 * linked to the open one for staff, who may merge it (the merge action) or split the link.
 */
import type { AppContext } from './context.js';
import type { Principal, StaffPrincipal } from './auth.service.js';
import { AppError, notFound } from './errors.js';
import { today } from './deadlines.js';
import { mutateCase } from './case-mutation.js';
import { visibleCase } from './office.service.js';
import { distinguishingWords, similarityTokens, tokenSimilarity } from '../domain/similarity.js';
import type { TxContext } from '../store/tx.js';
import type { CaseRow } from '../store/case.repository.js';
import * as stats from '../store/stats.repository.js';
import { listEvents } from '../store/case.repository.js';
import { repeatMessageFor, splitRepeatMessage } from './repeat-split.service.js';
import { uuidV7 } from '../domain/time-ordered-id.js';

/** XINFANG_REPEAT_THRESHOLD (default 0.4: precision and recall 1.00 on the labelled set, see similarity.test.ts; 0 = off). */
export function repeatThreshold(ctx: AppContext): number {
  return ctx.config.repeatThreshold;
}

export type RepeatDecision = 'same' | 'new';

export interface RepeatCandidate {
  id: string;
  caseNo: string;
  queryCode: string;
  similarity: number;
  state: string;
}

function caseNo(r: { seq_no: number; received_date: string }) {
  return `XF${r.received_date.slice(0, 4)}-${String(r.seq_no).padStart(6, '0')}`;
}

/**
 * The distinguishing words of cases by id, least recently used dropped beyond `caseWordsMax`. Every
 * submission is compared with up to 50 open cases of its petitioner; segmenting each of their texts
 * anew (jieba) made a submission cost more with every case its petitioner had open. A case's title
 * and content never change after registration, so its words are computed once: from the index words
 * when the case is created (rememberCaseWords), else from its text the first time it is compared.
 */
const caseWords = new Map<string, ReadonlySet<string>>();
const caseWordsMax = 10_000;

function keepCaseWords(caseId: string, words: ReadonlySet<string>): void {
  caseWords.delete(caseId);
  caseWords.set(caseId, words);
  if (caseWords.size > caseWordsMax) {
    const oldest = caseWords.keys().next().value;
    if (oldest !== undefined) caseWords.delete(oldest);
  }
}

/** Records the words of a case being created, from the words its text was indexed with (caseSearchTokens). */
export function rememberCaseWords(caseId: string, indexWords: readonly string[]): void {
  keepCaseWords(caseId, distinguishingWords(indexWords));
}

/** The words of each case, from memory or, for cases not seen yet, from their texts. */
async function wordsOfCases(ctx: AppContext, ids: string[]): Promise<Map<string, ReadonlySet<string>>> {
  const out = new Map<string, ReadonlySet<string>>();
  const missing: string[] = [];
  for (const id of ids) {
    const w = caseWords.get(id);
    if (w) {
      keepCaseWords(id, w); // recently used
      out.set(id, w);
    } else missing.push(id);
  }
  for (const c of await stats.caseTexts(ctx.store.db, missing)) {
    const w = similarityTokens(c.title, c.content);
    keepCaseWords(c.id, w);
    out.set(c.id, w);
  }
  return out;
}

/**
 * The most similar open case of this petitioner at or above the threshold, if any. `indexWords`: the
 * new text's index words (caseSearchTokens of its trimmed title and content), segmented once by the caller.
 */
export async function findRepeat(ctx: AppContext, accountId: string, indexWords: readonly string[]): Promise<RepeatCandidate | null> {
  const open = await stats.openCasesOfPetitioner(ctx.store.db, [accountId]);
  const mine = distinguishingWords(indexWords);
  const words = await wordsOfCases(ctx, open.map((c) => c.id));
  let best: RepeatCandidate | null = null;
  for (const c of open) {
    const s = tokenSimilarity(mine, words.get(c.id) ?? new Set<string>());
    if (s >= repeatThreshold(ctx) && (!best || s > best.similarity)) {
      best = { id: c.id, caseNo: caseNo({ seq_no: Number(c.seq_no), received_date: c.received_date }), queryCode: ctx.crypto.decrypt(c.query_code_enc), similarity: s, state: c.state };
    }
  }
  return best;
}

export interface RepeatGate {
  /** The petitioner said 'same': the open case the text joined (no new case). */
  joined?: { row: CaseRow; queryCode: string; replayed: false; joined: true } | undefined;
  /** Writes the 'new' link in the new case's transaction. */
  link?: ((t: TxContext, row: CaseRow) => Promise<void>) | undefined;
}

/**
 * Before a citizen's submission becomes a case: no similar open case → go on; a similar one and no
 * decision → 409 possible_repeat with its number and query code; 'same' → message on it; 'new' → link.
 * `indexWords` are the index words of the submission's trimmed title and content (caseSearchTokens).
 */
export async function repeatGate(
  ctx: AppContext,
  p: Principal,
  input: { title: string; content: string; repeatDecision?: RepeatDecision | undefined },
  indexWords: readonly string[],
): Promise<RepeatGate> {
  if (p.kind !== 'citizen' || repeatThreshold(ctx) <= 0) return {};
  const found = await findRepeat(ctx, p.account.id, indexWords);
  if (!found) return {};
  const now = ctx.clock.now().toISOString();
  // Time-ordered id: written with most repeated submissions, beside the new case's rows (domain/time-ordered-id.ts).
  const base = { id: uuidV7(ctx.clock.now().getTime(), ctx.randomBytes(10)), case_id: found.id, petitioner_id: p.account.id, similarity: found.similarity, staff_verdict: null, submitted_at: now, received_date: today(ctx) };
  switch (input.repeatDecision) {
    case undefined:
      throw new AppError(409, 'possible_repeat', `您有一件相似的信访件（${found.caseNo}）正在办理中。如是同一事项，补充内容将作为留言加入该件；如是新的事项，请确认后重新提交。`, {
        repeatOfCaseId: found.id,
        repeatOfCaseNo: found.caseNo,
        repeatOfQueryCode: found.queryCode,
        similarity: String(found.similarity),
      });
    case 'same': {
      const row = await mutateCase(ctx, found.id, { kind: 'citizen', id: p.account.id, unitId: null }, () => ({
        patch: {},
        events: [{ type: 'message', visibility: 'public', payload: { from: 'petitioner', text: `【重复反映】${input.title.trim()}\n${input.content.trim()}`, repeat: true, repeatLinkId: base.id } }],
        also: (t) => stats.insertRepeat(t.tx, { ...base, new_case_id: null, decision: 'same' }),
      }));
      return { joined: { row, queryCode: found.queryCode, replayed: false, joined: true } };
    }
    case 'new':
      return { link: (t, row) => stats.insertRepeat(t.tx, { ...base, new_case_id: row.id, decision: 'new' }) };
  }
}

/** The repeat links of a case for staff (repeat_of / repeats), within their jurisdiction. */
export async function repeatLinks(ctx: AppContext, p: StaffPrincipal, caseId: string) {
  await visibleCase(ctx, p, caseId);
  const links = await stats.repeatLinksOf(ctx.store.db, caseId);
  const events = links.some((l) => l.decision === 'same') ? await listEvents(ctx.store.db, caseId) : [];
  return {
    items: links.map((l) => ({
      id: l.id,
      decision: l.decision,
      similarity: Number(l.similarity),
      staffVerdict: l.staff_verdict,
      submittedAt: l.submitted_at,
      /** This case is the later one: it may repeat `repeatOf`. */
      repeatOf: l.new_case_id === caseId ? l.case_id : null,
      /** This case is the open one that a later submission resembles. */
      repeatedBy: l.case_id === caseId ? l.new_case_id : null,
      /** For 'same': the message on this case that holds the repeated text (split turns it into a case). */
      messageSeq: l.decision === 'same' && l.case_id === caseId ? (repeatMessageFor(events, l)?.seq ?? null) : null,
    })),
  };
}

/**
 * 拆分: for a 'new' link, staff confirm the linked case is a different matter (the merge action
 * joins them instead); for a 'same' link, the message it added becomes a case of its own.
 */
export async function splitRepeat(ctx: AppContext, p: StaffPrincipal, caseId: string, linkId: string): Promise<{ id: string; staffVerdict: string; newCaseId?: string; newCaseNo?: string; smsQueued?: boolean; linkedAccount?: boolean }> {
  await visibleCase(ctx, p, caseId);
  if (!p.permissions.has('case.merge')) throw new AppError(403, 'forbidden', '您的角色不能拆分或合并信访件');
  const links = await stats.repeatLinksOf(ctx.store.db, caseId);
  if (links.some((l) => l.id === linkId && l.decision === 'same')) return splitRepeatMessage(ctx, p, caseId, linkId);
  const link = links.find((l) => l.id === linkId && l.decision === 'new');
  if (!link) throw notFound('未找到该重复关联');
  await stats.setRepeatVerdict(ctx.store.db, linkId, 'split');
  return { id: linkId, staffVerdict: 'split' };
}
