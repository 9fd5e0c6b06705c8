/** Verifies every case's hash chain and names the first broken link. */
import type { AppContext } from './context.js';
import { verifyChain } from '../domain/event-chain.js';

export async function verifyAll(ctx: AppContext): Promise<{ cases: number; events: number; broken: { caseId: string; seq: number; reason: string }[] }> {
  const db = ctx.store.db;
  const heads = await db.selectFrom('case_file').select(['id', 'head_hash', 'event_count']).orderBy('seq_no').execute();
  const broken: { caseId: string; seq: number; reason: string }[] = [];
  let events = 0;
  for (const h of heads) {
    const rows = await db.selectFrom('case_event').selectAll().where('case_id', '=', h.id).orderBy('seq').execute();
    events += rows.length;
    const b = verifyChain(
      rows.map((e) => ({
        caseId: e.case_id,
        seq: Number(e.seq),
        type: e.type,
        actorKind: e.actor_kind,
        actorId: e.actor_id,
        actorUnitId: e.actor_unit_id,
        at: e.at,
        visibility: e.visibility,
        payload: e.payload,
        prevHash: e.prev_hash,
        hash: e.hash,
      })),
      h.head_hash,
    );
    if (b) broken.push({ caseId: h.id, ...b });
  }
  return { cases: heads.length, events, broken };
}
