/** Tables and columns of migration 015; reach them through `calendarChangeDb(db)` so row types elsewhere stay unchanged. */
import type { Generated, Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { Tx } from './tx.js';

export interface CalendarChangeTable {
  id: Generated<number>;
  at: string;
  actor_id: string | null;
  kind: string;
  year: number | null;
  date: string | null;
  source: string;
  days_changed: number;
  cases_moved: number;
  summary: string;
}

export type CalendarChangeTables = {
  calendar_change: CalendarChangeTable;
  case_file: { petitioner_email_enc: string | null };
};

/** The handle with calendar_change and case_file.petitioner_email_enc. */
export function calendarChangeDb(db: Kysely<Database> | Tx) {
  return (db as Kysely<Database>).withTables<CalendarChangeTables>();
}
