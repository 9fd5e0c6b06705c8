/**
 * The public tracking projection: tracking by query code (GET /api/track/:queryCode) is the most
 * frequent request and the same for everyone who holds the code, so the view is rendered when the
 * case changes — in the same transaction (createCase, mutateCase, the deadline sweep) — and read
 * with one indexed lookup. Only what depends on the day (deadline countdowns, whether a review may
 * still be requested) is finished at read time, from inputs stored beside the view.
 *
 * The projection is derived data: `trackingView` (services/case-view.ts) computes the same view from
 * the case's records, and test/integration/tracking-projection.test.ts holds them equal after every
 * kind of action. A change to what the view shows must raise `trackingFormat`: rows of an older
 * format are then served by the computed view until `rebuildTracking` (run at start-up) replaces them.
 */
import type { AppContext } from './context.js';
import { trackingFromParts, trackingParts, actionsOn, type TrackingParts } from './case-view.js';
import { today, withCountdowns } from './deadlines.js';
import type { TxContext, Tx } from '../store/tx.js';
import { findCase, findCaseByQueryHash, type AttachmentRow, type CaseRow, type EventRow } from '../store/case.repository.js';
import type { DocumentMeta } from '../store/document.repository.js';
import { casesNeedingTracking, findPublicTracking, lockAndReadCases, recordsOfCases, upsertTrackings } from '../store/tracking.repository.js';
import type { UnitDirectory } from './units.js';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

/** Version of the stored view; raise it whenever trackingParts changes what it renders. */
export const trackingFormat = 1;

interface Clocks {
  deadlines: TrackingParts['deadlines'];
  actions: string[];
  reviewUntil: string | null;
}

/** Writes the projection of `row` from its records, in the caller's transaction. */
export async function writeTracking(
  ctx: { units: UnitDirectory },
  db: Tx,
  row: CaseRow,
  events: readonly EventRow[],
  attachments: readonly AttachmentRow[],
  documents: DocumentMeta[],
): Promise<void> {
  await writeTrackings(ctx, db, [{ row, events, attachments, documents }]);
}

/** Writes the projections of several cases from their records in one statement, in the caller's transaction. */
export async function writeTrackings(
  ctx: { units: UnitDirectory },
  db: Tx,
  cases: readonly { row: CaseRow; events: readonly EventRow[]; attachments: readonly AttachmentRow[]; documents: DocumentMeta[] }[],
): Promise<void> {
  await upsertTrackings(
    db,
    cases.map(({ row, events, attachments, documents }) => {
      const parts = trackingParts(ctx, row, events, attachments, documents);
      const clocks: Clocks = { deadlines: parts.deadlines, actions: parts.actions, reviewUntil: parts.reviewUntil };
      return { case_id: row.id, query_code_hash: row.query_code_hash, view: JSON.stringify(parts.view), clocks: JSON.stringify(clocks), format: trackingFormat };
    }),
  );
}

/** The cases with the records their projections are rendered from (read in one statement per kind). */
export async function withRecords(db: Tx, rows: CaseRow[]) {
  const r = await recordsOfCases(db, rows.map((x) => x.id));
  return rows.map((row) => ({ row, events: r.events.get(row.id) ?? [], attachments: r.attachments.get(row.id) ?? [], documents: r.documents.get(row.id) ?? [] }));
}

/** Re-renders the projection of a case after a change, in the change's transaction (row re-read under the lock). */
export async function refreshTracking(ctx: AppContext, t: TxContext, caseId: string): Promise<void> {
  const row = await findCase(t.tx, caseId);
  if (!row) return;
  const r = await recordsOfCases(t.tx, [caseId]);
  await writeTracking(ctx, t.tx, row, r.events.get(caseId) ?? [], r.attachments.get(caseId) ?? [], r.documents.get(caseId) ?? []);
}

/**
 * Writes the projection of every case that has none or one of an older format, in batches (each its
 * own transaction); the migration that adds the projection and every start-up run it. Returns how many.
 */
export async function rebuildTracking(ctx: { units: UnitDirectory }, db: Kysely<Database>, batch = 500): Promise<number> {
  let after = 0;
  let n = 0;
  for (;;) {
    const ids = await casesNeedingTracking(db, trackingFormat, after, batch);
    if (ids.length === 0) return n;
    const write = async (tx: Tx) => {
      const rows = await lockAndReadCases(tx, ids.map((x) => x.id));
      await writeTrackings(ctx, tx, await withRecords(tx, rows));
    };
    // Inside a migration `db` is already its transaction.
    if (db.isTransaction) await write(db);
    else await db.transaction().execute(write);
    n += ids.length;
    after = Number(ids[ids.length - 1]!.seq_no);
  }
}

/**
 * The tracking view for a query code's lookup hash as a JSON text, or null when no case has that code.
 * From the projection; a case without a current one (not yet rebuilt after a format change) is
 * computed from its records instead.
 */
export async function trackingJson(ctx: AppContext, queryCodeHash: string): Promise<string | null> {
  const p = await findPublicTracking(ctx.store, queryCodeHash);
  if (p && p.format === trackingFormat) {
    const c = JSON.parse(p.clocks) as Clocks;
    const day = today(ctx);
    // `view` is a JSON object of the day-independent fields: put the two day-dependent ones in front.
    return `{"deadlines":${JSON.stringify(withCountdowns(ctx, c.deadlines, day))},"allowedActions":${JSON.stringify(actionsOn(c, day))},${p.view.slice(1)}`;
  }
  const row = await findCaseByQueryHash(ctx.store.db, queryCodeHash);
  if (!row) return null;
  const r = await recordsOfCases(ctx.store.db, [row.id]);
  const parts = trackingParts(ctx, row, r.events.get(row.id) ?? [], r.attachments.get(row.id) ?? [], r.documents.get(row.id) ?? []);
  return JSON.stringify(trackingFromParts(ctx, parts));
}
