/**
 * Planner statistics. The queue queries choose between indexes (the jurisdiction's case set, the
 * state, the due-date key, the search matches) by how many rows each would read; without statistics
 * both databases guess, and a guess that drives a province-wide queue from the wrong index costs
 * hundreds of milliseconds. Run at startup (after the migrations) and periodically by the scheduler.
 */
import { sql } from 'kysely';
import type { Store } from './db.js';

/**
 * SQLite: PRAGMA optimize (ANALYZE of the tables whose statistics are missing or stale, with a
 * bounded sample); at startup over every table (0x10002), since a fresh connection has run no
 * query yet. PostgreSQL: ANALYZE of the tables the queues read (autovacuum does the same, later).
 */
export async function optimizeStore(store: Store, when: 'startup' | 'periodic' = 'periodic'): Promise<void> {
  if (store.dialect === 'postgres') {
    await sql`analyze case_file, case_unit, case_search, assignment`.execute(store.db);
    return;
  }
  if (when === 'startup') await sql`pragma optimize = 0x10002`.execute(store.db);
  else await sql`pragma optimize`.execute(store.db);
}
