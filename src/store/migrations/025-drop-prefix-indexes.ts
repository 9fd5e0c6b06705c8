/**
 * 025: three indexes of case_file that wider ones already begin with (issue #2: every index is one
 * more write per new case and per change of its columns):
 * - case_state_idx (state, submitted_at): case_queue_idx begins with the same two columns;
 * - case_received_idx (received_date): case_drill_recent_idx and case_stats_received_idx begin with it;
 * - case_replied_idx (replied_at): case_stats_replied_idx begins with it.
 * A query the narrow index served reads the same range of the wider one.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.js';

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  for (const name of ['case_state_idx', 'case_received_idx', 'case_replied_idx']) await sql`drop index if exists ${sql.raw(name)}`.execute(db);
}
