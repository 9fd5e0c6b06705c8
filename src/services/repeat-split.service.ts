/**
 * 拆分 of a repeat that joined an open case: the petitioner said a new submission was the same
 * matter, so its text was added to the open case as a message (repeat.service.ts, 'same'). Staff
 * who find it is in fact a different matter turn that message into a case of its own: same
 * petitioner, its own number and query code (sent by SMS through the outbox), received on the day
 * the message came in, with an event on both cases — all in one transaction.
 */
import type { AppContext } from './context.js';
import type { StaffPrincipal } from './auth.service.js';
import { badInput, conflict, forbidden, notFound } from './errors.js';
import { caseNumber, createCase, type SubmitInput, type Submitter } from './case.service.js';
import { mutateCaseIn } from './case-mutation.js';
import { visibleCase } from './office.service.js';
import { canonicalJson } from '../domain/event-chain.js';
import * as cases from '../store/case.repository.js';
import type { CaseRow, EventRow } from '../store/case.repository.js';
import type { Tx } from '../store/tx.js';
import * as stats from '../store/stats.repository.js';

type RepeatLink = Awaited<ReturnType<typeof stats.repeatLinksOf>>[number];

/** The message a 'same' link added to its open case: tagged with the link id, or (older rows) the first untagged repeat message at or after it. */
export function repeatMessageFor(events: EventRow[], link: Pick<RepeatLink, 'id' | 'submitted_at'>): EventRow | undefined {
  const repeats = events
    .filter((e) => e.type === 'message')
    .map((e) => ({ e, p: JSON.parse(e.payload) as { repeat?: boolean; repeatLinkId?: string } }))
    .filter((x) => x.p.repeat === true);
  const tagged = repeats.find((x) => x.p.repeatLinkId === link.id);
  if (tagged) return tagged.e;
  return repeats.find((x) => x.p.repeatLinkId === undefined && x.e.at >= link.submitted_at)?.e;
}

/** Title and content of a repeat message ('【重复反映】title\ncontent'). */
function splitText(text: string): { title: string; content: string } {
  const body = text.replace(/^【重复反映】/, '');
  const nl = body.indexOf('\n');
  const title = (nl < 0 ? body : body.slice(0, nl)).trim();
  const content = (nl < 0 ? body : body.slice(nl + 1)).trim();
  return { title: title.slice(0, 100), content: content.length >= 10 ? content : `${title}。${content}`.trim() };
}

function accusedIds(row: CaseRow): string[] {
  return (JSON.parse(row.accused_unit_ids) as string[]).map((path) => path.split('/').filter(Boolean).pop()!).filter(Boolean);
}

async function freshLink(db: Tx, caseId: string, linkId: string): Promise<RepeatLink | undefined> {
  return (await stats.repeatLinksOf(db, caseId)).find((l) => l.id === linkId);
}

export interface SplitResult {
  id: string;
  staffVerdict: 'split';
  newCaseId: string;
  newCaseNo: string;
  smsQueued: boolean;
  linkedAccount: boolean;
}

/**
 * Splits the message of a 'same' link on `caseId` into a new case. 403 without case.merge or for a
 * case outside the receiving unit's jurisdiction; 404 for an unknown link; 409 when already split.
 */
export async function splitRepeatMessage(ctx: AppContext, p: StaffPrincipal, caseId: string, linkId: string): Promise<SplitResult> {
  const { row } = await visibleCase(ctx, p, caseId);
  if (!p.permissions.has('case.merge')) throw forbidden('您的角色不能拆分或合并信访件');
  const receiving = ctx.units.get(row.receiving_unit_id);
  if (!receiving || !receiving.path.startsWith(p.scope.path)) throw forbidden('该信访件不属于您单位的受理范围');
  const link = await freshLink(ctx.store.db, caseId, linkId);
  if (!link || link.decision !== 'same' || link.case_id !== caseId) throw notFound('未找到该重复反映');
  if (link.staff_verdict !== null) throw conflict('该重复反映已拆分为新件', 'already_split');
  const message = repeatMessageFor(await cases.listEvents(ctx.store.db, caseId), link);
  if (!message) throw conflict('未找到该重复反映对应的留言，无法拆分', 'message_missing');
  const text = (JSON.parse(message.payload) as { text?: string }).text ?? '';
  const { title, content } = splitText(text);
  if (title.length < 4 || content.length < 10) throw badInput('该留言内容过短，不能另立为信访件');

  const name = ctx.crypto.decryptOptional(row.petitioner_name_enc) ?? '';
  const phone = ctx.crypto.decryptOptional(row.petitioner_phone_enc);
  const input: SubmitInput = {
    target: row.target,
    categoryCode: row.category_code,
    regionCode: row.region_code,
    address: ctx.crypto.decryptOptional(row.address_enc) ?? undefined,
    title,
    content,
    // Consent to publish was given for the original text, not for this one.
    publicConsent: false,
    denunciation: row.is_denunciation === 1,
    accusedUnitIds: accusedIds(row),
  };
  const actor = { kind: 'staff' as const, id: p.account.id, unitId: p.unit.id };
  const fromCaseNo = caseNumber(row);
  const created = await createCase(ctx, input, {
    accountId: row.petitioner_id,
    name,
    phone,
    channel: row.channel as Submitter['channel'],
    actor,
    receivingUnitId: row.receiving_unit_id,
    receivedAt: link.submitted_at,
    also: async (t, newRow) => {
      // The original case, locked: a concurrent split of the same message loses here and rolls back its new case.
      await mutateCaseIn(ctx, t, caseId, actor, async (_orig, tt) => {
        const now = await freshLink(tt.tx, caseId, linkId);
        if (!now || now.staff_verdict !== null) throw conflict('该重复反映已拆分为新件', 'already_split');
        return {
          patch: {},
          events: [{ type: 'split_out', visibility: 'public', payload: { linkId, messageSeq: message.seq, newCaseId: newRow.id, newCaseNo: caseNumber(newRow) } }],
          also: (t2) => stats.splitRepeatLink(t2.tx, linkId, newRow.id),
        };
      });
      await cases.appendEvent(t, newRow, {
        type: 'split_from',
        actorKind: actor.kind,
        actorId: actor.id,
        actorUnitId: actor.unitId,
        at: ctx.clock.now().toISOString(),
        visibility: 'public',
        payload: canonicalJson({ linkId, fromCaseId: caseId, fromCaseNo, messageSeq: message.seq }),
      });
    },
  });
  return { id: linkId, staffVerdict: 'split', newCaseId: created.row.id, newCaseNo: caseNumber(created.row), smsQueued: phone !== null, linkedAccount: row.petitioner_id !== null };
}
