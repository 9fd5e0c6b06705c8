/** 阳光信访: published (redacted) cases and the public figures counted from the case table. */
import { sql, type Kysely } from 'kysely';
import type { Database, PublicationTable } from './schema.js';
import type { Tx, TxContext } from './tx.js';

export type PublicationRow = PublicationTable;

export function findPublication(db: Tx, caseId: string): Promise<PublicationRow | undefined> {
  return db.selectFrom('publication').selectAll().where('case_id', '=', caseId).executeTakeFirst();
}

/** Inserts or replaces the publication of a case (one row per case; a re-publication bumps the revision). */
export async function savePublication(t: TxContext, row: PublicationRow): Promise<void> {
  const existing = await findPublication(t.tx, row.case_id);
  if (existing) {
    const { case_id: _id, published_at: _first, published_by: _by, ...patch } = row;
    await t.tx.updateTable('publication').set(patch).where('case_id', '=', row.case_id).execute();
  } else {
    await t.tx.insertInto('publication').values(row).execute();
  }
}

export async function setPublicationStatus(t: TxContext, caseId: string, status: 'published' | 'withdrawn', at: string): Promise<void> {
  await t.tx.updateTable('publication').set({ status, updated_at: at }).where('case_id', '=', caseId).execute();
}

export interface PublishedItem extends PublicationRow {
  evaluation: string | null;
  state: string;
}

/** One page of published cases, newest first, with the total. */
export async function listPublished(
  db: Kysely<Database>,
  f: { categoryCode?: string | undefined; limit: number; offset: number },
): Promise<{ rows: PublishedItem[]; total: number }> {
  let q = db.selectFrom('publication').innerJoin('case_file', 'case_file.id', 'publication.case_id').where('publication.status', '=', 'published');
  if (f.categoryCode) q = q.where('publication.category_code', '=', f.categoryCode);
  const totalRow = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const rows = await q
    .selectAll('publication')
    .select(['case_file.evaluation', 'case_file.state'])
    .orderBy('publication.published_at', 'desc')
    .orderBy('publication.case_id')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  return { rows, total: Number(totalRow?.n ?? 0) };
}

export interface YearFigures {
  received: number;
  replied: number;
  repliedOnTime: number;
  overdueUnreplied: number;
  evaluated: number;
  satisfied: number;
  published: number;
}

/**
 * Counts for one year. Dates: received_date and due_reply are China dates; replied_at is a UTC
 * timestamp, so "replied by the due date" means replied_at < due_reply + 'T16:00:00.000Z'
 * (midnight after the due date in UTC+8), and the year starts at (year-1)-12-31T16:00Z.
 */
export async function yearFigures(db: Kysely<Database>, year: number, today: string): Promise<YearFigures> {
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const fromUtc = `${year - 1}-12-31T16:00:00.000Z`;
  const toUtc = `${year}-12-31T16:00:00.000Z`;
  const received = await db
    .selectFrom('case_file')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('received_date', '>=', from)
    .where('received_date', '<=', to)
    .executeTakeFirst();
  const replied = await db
    .selectFrom('case_file')
    .select([
      sql<number>`count(*)`.as('replied'),
      sql<number>`coalesce(sum(case when due_reply is not null and replied_at < (due_reply || 'T16:00:00.000Z') then 1 else 0 end), 0)`.as('on_time'),
      sql<number>`coalesce(sum(case when evaluation is not null then 1 else 0 end), 0)`.as('evaluated'),
      sql<number>`coalesce(sum(case when evaluation in ('satisfied', 'basically_satisfied') then 1 else 0 end), 0)`.as('satisfied'),
    ])
    .where('replied_at', '>=', fromUtc)
    .where('replied_at', '<', toUtc)
    .executeTakeFirst();
  // Replies that fell due this year and are still missing count against the on-time rate.
  const overdue = await db
    .selectFrom('case_file')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('replied_at', 'is', null)
    .where('state', 'in', ['accepted', 'assigned', 'in_progress', 'returned'])
    .where('due_reply', '>=', from)
    .where('due_reply', '<', today)
    .executeTakeFirst();
  const published = await db
    .selectFrom('publication')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'published')
    .executeTakeFirst();
  return {
    received: Number(received?.n ?? 0),
    replied: Number(replied?.replied ?? 0),
    repliedOnTime: Number(replied?.on_time ?? 0),
    overdueUnreplied: Number(overdue?.n ?? 0),
    evaluated: Number(replied?.evaluated ?? 0),
    satisfied: Number(replied?.satisfied ?? 0),
    published: Number(published?.n ?? 0),
  };
}
