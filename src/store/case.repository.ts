/** Cases (信访件), their append-only events, assignments, attachments and idempotency keys. */
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { AssignmentTable, AttachmentTable, CaseEventTable, CaseTable, Database } from './schema.js';
import type { Tx, TxContext } from './tx.js';
import { eventHash, type ChainedEvent } from '../domain/event-chain.js';
import { applyWorkbenchFilters, caseInSubtree, hasWorkbenchConditions, countInScope, defaultCountCap, orderQueue, pageScope, queueSource, scopeMode, staffDueKey, type ScopedCount, type ScopeMode, type ScopeTuning, type WorkbenchFilter } from './workbench.repository.js';
import { countMatches, isPostgres, retagCase, scopedMatches, searchCondition, seqNoIn, type SearchScope } from './search.repository.js';
import { reachColumns } from './migrations/021-case-reach.js';

export type CaseRow = CaseTable;
export type EventRow = CaseEventTable;
export type AssignmentRow = AssignmentTable;
export type AttachmentRow = AttachmentTable;

/** Next value of a named counter (e.g. the case serial number), inside the caller's transaction. */
export async function nextCounter(t: TxContext, name: string): Promise<number> {
  const r = await t.tx
    .updateTable('counter')
    .set({ value: sql`value + 1` })
    .where('name', '=', name)
    .returning('value')
    .executeTakeFirst();
  if (r) return Number(r.value);
  await t.tx.insertInto('counter').values({ name, value: 1 }).execute();
  return 1;
}

export async function insertCase(t: TxContext, row: CaseRow): Promise<void> {
  await t.tx.insertInto('case_file').values(row).execute();
}

export function findCase(db: Tx, id: string): Promise<CaseRow | undefined> {
  return db.selectFrom('case_file').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Several cases by id, in id order (missing ones left out). */
export function findCases(db: Tx, ids: string[]): Promise<CaseRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('case_file').selectAll().where('id', 'in', ids).orderBy('id').execute();
}

export function findCaseByQueryHash(db: Tx, h: string): Promise<CaseRow | undefined> {
  return db.selectFrom('case_file').selectAll().where('query_code_hash', '=', h).executeTakeFirst();
}

export async function updateCase(t: TxContext, id: string, patch: Partial<CaseRow>): Promise<void> {
  await t.tx.updateTable('case_file').set(patch).where('id', '=', id).execute();
}

export type NewEvent = Omit<ChainedEvent, 'caseId' | 'seq'>;

/** Appends an event to the case's hash chain and moves the case's head; same transaction as the change. */
export async function appendEvent(
  t: TxContext,
  c: Pick<CaseRow, 'id' | 'event_count' | 'head_hash'>,
  e: NewEvent,
): Promise<{ seq: number; hash: string }> {
  const rows = chainEvents(c, [e]);
  await insertEvents(t, rows);
  await t.tx.updateTable('case_file').set({ event_count: c.event_count, head_hash: c.head_hash }).where('id', '=', c.id).execute();
  return { seq: rows[0]!.seq, hash: rows[0]!.hash };
}

/**
 * Links events onto a case's hash chain in memory, moving `c`'s head (event_count, head_hash) as
 * appendEvent does; the caller writes the rows (insertEvents) and the head in the same transaction.
 */
export function chainEvents(c: Pick<CaseRow, 'id' | 'event_count' | 'head_hash'>, events: NewEvent[]): EventRow[] {
  return events.map((e) => {
    const seq = c.event_count + 1;
    const hash = eventHash(c.head_hash, { ...e, caseId: c.id, seq });
    const row: EventRow = {
      case_id: c.id,
      seq,
      type: e.type,
      actor_kind: e.actorKind,
      actor_id: e.actorId,
      actor_unit_id: e.actorUnitId,
      at: e.at,
      visibility: e.visibility,
      payload: e.payload,
      prev_hash: c.head_hash,
      hash,
    };
    c.event_count = seq;
    c.head_hash = hash;
    return row;
  });
}

/** Writes chained event rows (chainEvents) in one statement. */
export async function insertEvents(t: TxContext, rows: EventRow[]): Promise<void> {
  if (rows.length > 0) await t.tx.insertInto('case_event').values(rows).execute();
}

export function listEvents(db: Tx, caseId: string): Promise<EventRow[]> {
  return db.selectFrom('case_event').selectAll().where('case_id', '=', caseId).orderBy('seq').execute();
}

export async function addCaseUnit(t: TxContext, caseId: string, unitId: string, unitPath: string, role: string): Promise<void> {
  const exists = await t.tx
    .selectFrom('case_unit')
    .select('case_id')
    .where('case_id', '=', caseId)
    .where('unit_id', '=', unitId)
    .where('role', '=', role)
    .executeTakeFirst();
  if (exists) return;
  const joined = await insertCaseUnit(t, caseId, unitId, unitPath, role);
  // The case joined jurisdictions: its full-text entry is found in them too (migration 022).
  if (joined > 0) {
    const c = await t.tx.selectFrom('case_file').select('seq_no').where('id', '=', caseId).executeTakeFirstOrThrow();
    await retagCase(t, c.seq_no);
  }
}

/**
 * Links a unit to a case known not to hold that link yet (a case being created). On SQLite the case
 * joins the jurisdictions of the unit and every unit above it (case_reach, migration 021), in the
 * same transaction. Not by a trigger on case_unit: a statement that fires a trigger runs in a
 * statement journal, whose savepoint makes FTS5 write out the full-text entries pending in the
 * transaction, one segment per submission of a group commit instead of one per group (0.6 ms of
 * SQL per submission). INSERT OR IGNORE into a table without foreign keys cannot abort, so this
 * statement needs no journal; a row already there (a second link below the same unit) is kept.
 * Returns how many jurisdictions the case joined (0 on PostgreSQL).
 */
export async function insertCaseUnit(t: TxContext, caseId: string, unitId: string, unitPath: string, role: string): Promise<number> {
  await t.tx.insertInto('case_unit').values({ case_id: caseId, unit_id: unitId, unit_path: unitPath, role }).execute();
  if (t.dialect !== 'sqlite') return 0;
  const r = await sql`insert or ignore into case_reach (scope_path, id, ${sql.raw(reachColumns.join(', '))})
    select a.path, c.id, ${sql.raw(reachColumns.map((c) => `c.${c}`).join(', '))}
    from unit_ancestor a join case_file c on c.id = ${caseId} where a.unit_id = ${unitId}`.execute(t.tx);
  return Number(r.numAffectedRows ?? 0);
}

export async function insertAssignment(t: TxContext, row: AssignmentRow): Promise<void> {
  await t.tx.insertInto('assignment').values(row).execute();
}

export async function updateAssignment(t: TxContext, id: string, patch: Partial<AssignmentRow>): Promise<void> {
  await t.tx.updateTable('assignment').set(patch).where('id', '=', id).execute();
}

export function listAssignments(db: Tx, caseId: string): Promise<AssignmentRow[]> {
  return db.selectFrom('assignment').selectAll().where('case_id', '=', caseId).orderBy('assigned_at').execute();
}

export async function insertAttachment(t: TxContext, row: AttachmentRow): Promise<void> {
  await t.tx.insertInto('attachment').values(row).execute();
}

export function listAttachments(db: Tx, caseId: string): Promise<AttachmentRow[]> {
  return db.selectFrom('attachment').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute();
}

/** The given attachments of a case, each with the unit of the staff member who uploaded it (null for citizens). */
export function attachmentsWithUploaderUnit(db: Tx, caseId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('attachment')
    .leftJoin('account', 'account.id', 'attachment.uploaded_by')
    .select(['attachment.id', 'attachment.purpose', 'account.unit_id'])
    .where('attachment.case_id', '=', caseId)
    .where('attachment.id', 'in', ids)
    .execute();
}

export async function countAttachments(db: Tx, caseId: string, purpose: string): Promise<number> {
  const r = await db
    .selectFrom('attachment')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('case_id', '=', caseId)
    .where('purpose', '=', purpose)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export function findIdempotency(db: Tx, accountId: string, key: string) {
  return db.selectFrom('idempotency').selectAll().where('account_id', '=', accountId).where('key', '=', key).executeTakeFirst();
}

export async function insertIdempotency(t: TxContext, accountId: string, key: string, requestHash: string, caseId: string, at: string) {
  await t.tx.insertInto('idempotency').values({ account_id: accountId, key, request_hash: requestHash, case_id: caseId, created_at: at }).execute();
}

export function listCasesOfPetitioner(db: Kysely<Database>, petitionerId: string, limit: number): Promise<CaseRow[]> {
  return db
    .selectFrom('case_file')
    .selectAll()
    .where('petitioner_id', '=', petitionerId)
    .orderBy('submitted_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export interface QueueFilter extends WorkbenchFilter {
  scopePath: string;
  excludeAccusedPaths: string[];
  states?: string[];
  dueBefore?: string;
  overdueOn?: string;
  q?: string;
  unitPath?: string;
  categoryCode?: string;
  channel?: string;
  limit: number;
  offset: number;
  scopeMode?: ScopeMode | undefined;
  /** The total is counted no further than this (default 1,000). */
  countCap?: number | undefined;
  scopeTuning?: ScopeTuning | undefined;
}

/**
 * Up to this many matches a search's total is counted by reading each match (about 3 µs: its
 * covering index row by seq_no and its links), rather than a city's links (13,000, about 2 µs each).
 */
export function searchCountUpTo(cap: number): number {
  return 10 * (cap + 1);
}

/**
 * What a list shows of a case (services/case-view.ts listItem): its page reads these columns only,
 * not the content and the encrypted personal data (20 rows: 0.12 against 0.31 ms).
 */
export const listColumns = [
  'id',
  'seq_no',
  'received_date',
  'title',
  'state',
  'review_level',
  'category_code',
  'region_code',
  'channel',
  'current_unit_id',
  'submitted_at',
  'supervised',
  'is_denunciation',
  'due_accept',
  'due_assign',
  'due_return',
  'due_reply',
  'due_review_request',
  'due_review_decision',
] as const satisfies readonly (keyof CaseRow)[];
export type ListColumn = (typeof listColumns)[number];
export type ListRow = Pick<CaseRow, ListColumn>;

/**
 * A search whose matches in the jurisdiction (counted by the full-text index alone) are no more than
 * this drives its page from them, each looked up by seq_no; more are probed along the page's order.
 */
export const driveMatchesUpTo = 200;

/**
 * The office queue: cases touching the caller's jurisdiction, newest first, with a total counted up
 * to `countCap` (totalCapped: there are more).
 */
export async function queueCases<C extends keyof CaseRow = ListColumn>(
  db: Kysely<Database>,
  f: QueueFilter,
  columns: readonly C[] = listColumns as readonly ListColumn[] as readonly C[],
): Promise<{ rows: Pick<CaseRow, C>[]; total: number; totalCapped: boolean }> {
  const cap = f.countCap ?? defaultCountCap;
  // Jurisdiction ('/' = the whole tree) and the unit filter: cases with a unit in the subtree. A unit
  // inside the jurisdiction narrows it (its cases touch the jurisdiction too), so one subtree test
  // is left, the narrower; only a unit outside it (no case, or nested the other way) keeps both.
  let path = f.scopePath;
  let mode = f.scopeMode;
  let outside: string | undefined;
  if (f.unitPath && f.unitPath !== f.scopePath) {
    if (f.unitPath.startsWith(f.scopePath)) {
      path = f.unitPath;
      mode = undefined;
    } else if (!f.scopePath.startsWith(f.unitPath)) {
      outside = f.unitPath;
    }
  }
  mode ??= await scopeMode(db, path);
  let q = queueSource(db, { scopePath: path, excludeAccusedPaths: f.excludeAccusedPaths, scopeMode: mode });
  if (outside) q = q.where(caseInSubtree(db, outside, await scopeMode(db, outside)));
  // A denunciation naming the caller's unit (or one above it) never reaches it (unscopedCases).
  if (f.states && f.states.length > 0) q = q.where('case_file.state', 'in', f.states);
  if (f.channel) q = q.where('case_file.channel', '=', f.channel);
  q = applyWorkbenchFilters(q, f);
  // Staff's next deadline on or before a day / before a day, on the indexed key ('~' = none).
  if (f.dueBefore) q = q.where(staffDueKey, '<=', f.dueBefore);
  if (f.overdueOn) q = q.where(staffDueKey, '<', f.overdueOn);
  // A category: the count reads the category's index (as the planner likes); the page is added its
  // condition below, once the count says how common the category is.
  const category = f.categoryCode;
  const withCategory = (x: typeof q, probe = false) => (!category ? x : probe ? x.where(sql<SqlBool>`+case_file.category_code = ${category}`) : x.where('case_file.category_code', '=', category));
  // Full text with Chinese words (jieba tokens in FTS5 / tsvector, migration 004), or a case number.
  // A word few cases hold drives the query from its matches; a common one is probed along the
  // order of the page. The count reads the matches themselves while they are not too many
  // (searchCountUpTo): every one of them, since a word rarely fills the cap inside a jurisdiction.
  let counted: ScopedCount;
  // A search and nothing else, over the whole tree or a jurisdiction case_reach holds (SQLite): the
  // full-text index counts the matches in the jurisdiction itself, its tags (migration 022) standing
  // for the jurisdiction and the hidden denunciations, and the page reads those matches only.
  const searchOnly = !outside && !category && !f.channel && !f.dueBefore && !f.overdueOn && !(f.states && f.states.length > 0) && !hasWorkbenchConditions(f);
  const tagged: SearchScope | undefined = f.q && searchOnly && (path === '/' || mode === 'reach') && !isPostgres(db) ? { path, excludeAccusedPaths: f.excludeAccusedPaths } : undefined;
  const found = tagged && f.q ? await scopedMatches(db, f.q, cap + 1, tagged) : null;
  if (f.q && tagged && found !== null) {
    const n = found.length;
    counted = { count: Math.min(n, cap), capped: n > cap };
    // Up to the cap the matches just read are all of them: the page takes them as they are, rather
    // than asking the full-text index again (0.1 against 0.3–0.6 ms); beyond it, they are only the first.
    q = q.where(n > cap ? searchCondition(db, f.q, { scope: tagged }) : seqNoIn(found, n <= (f.scopeTuning?.driveMatchesUpTo ?? driveMatchesUpTo)));
  } else if (f.q) {
    // Only a large jurisdiction (probe) is worth it: the whole tree counts to the cap along the
    // probed matches, and a small jurisdiction's own set drives.
    const large = path !== '/' && mode === 'probe';
    const matches = await countMatches(db, f.q, (large ? searchCountUpTo(cap) : cap) + 1);
    const drive = matches !== null && matches <= cap;
    const readMatches = large && matches !== null && matches <= searchCountUpTo(cap);
    const sampleRows = readMatches && !drive ? matches + 1 : undefined;
    // The whole tree keeps nearly every match (only denunciations against the caller's units go), so
    // its count reads the matches in order and stops at the cap, however many there are.
    const whole = path === '/' && matches !== null;
    const countQ = withCategory(q.where(searchCondition(db, f.q, { drive: drive || readMatches || whole })));
    counted = await countInScope(db, path, mode, countQ, cap, { sampleRows, ...f.scopeTuning });
    q = q.where(searchCondition(db, f.q, { drive }));
  } else {
    counted = await countInScope(db, path, mode, withCategory(q), cap, f.scopeTuning);
  }
  const { count: total, capped: totalCapped } = counted;
  // Nothing counted, or the page lies past an exact total: no page to read.
  if (total === 0 || (!totalCapped && f.offset >= total)) return { rows: [], total, totalCapped };
  // A common category (its count reached the cap: one case in a hundred or more) on a list by
  // submission time: the page reads the cases in that order and tests the category, a few hundred
  // rows at most, instead of reading every case of the category and sorting them (SQLite's choice,
  // 8.6 ms for 12,000 cases of 劳动和社会保障 in the province). A jurisdiction's rows (reach) are read so
  // in any order their indexes hold (by due date too), not from the category index (migration 023)
  // that counted them: 0.04 against 0.3–1 ms for a city's thousand cases of a category.
  const bySubmission = f.sort === undefined || f.sort === '-submitted' || f.sort === 'submitted';
  q = withCategory(q, totalCapped && (bySubmission || mode === 'reach') && !f.q && !isPostgres(db));
  q = q.where(pageScope(db, path, mode, counted, f.offset + f.limit, f.scopeTuning));
  // Order and page over the narrow queue index first, then read the page's rows: the listed columns (listColumns) unless asked for more.
  const page = await orderQueue(q.select('case_file.id'), f.sort).limit(f.limit).offset(f.offset).execute();
  const ids = page.map((r) => r.id);
  const wanted = columns.includes('id' as C) ? columns : [...columns, 'id' as C];
  const full = ids.length ? ((await db.selectFrom('case_file').select(wanted).where('id', 'in', ids).execute()) as unknown as Pick<CaseRow, C | 'id'>[]) : [];
  const byId = new Map(full.map((r) => [r.id, r as Pick<CaseRow, C>]));
  const rows = ids.map((id) => byId.get(id)).filter((r): r is Pick<CaseRow, C> => r !== undefined);
  return { rows, total, totalCapped };
}
