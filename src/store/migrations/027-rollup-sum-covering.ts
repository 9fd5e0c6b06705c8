/**
 * 027: the statistics rollups' keys also hold their counts (PostgreSQL; issue #7).
 *
 * A dashboard sums the rollup rows of a node, a dimension and a kind over a range of months. Grouped
 * by unit, a province's year is some 32,000 rows of stats_rollup_total, found by the key and then
 * each read from the table (1,000,000 cases: a bitmap heap scan, 29.7 ms). With the counts in the
 * key's index (INCLUDE) the sum is an index-only scan of the key's range (11.2 ms; a city's sum by
 * category 2.0 -> 0.9 ms). SQLite needs nothing: both tables are clustered on their key there
 * (WITHOUT ROWID, migration 019). The price: an update of a count is no longer a heap-only (HOT)
 * update, it also writes the index entry. A full build of 100,000 cases took as long either way
 * (90.8 and 87.3 s with, 93.1 and 87.6 s without). Index-only scans need the pages marked
 * all-visible: autovacuum does that in service.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  const keys: [string, string[]][] = [
    ['stats_rollup_total', ['node', 'dim', 'kind', 'month', 'key', 'den']],
    ['stats_rollup', ['node', 'dim', 'kind', 'month', 'key', 'region', 'den']],
  ];
  for (const [table, columns] of keys) {
    const pk = sql.raw(`${table}_pk`);
    await sql`alter table ${sql.table(table)} drop constraint ${pk}, add constraint ${pk} primary key (${sql.raw(columns.join(', '))}) include (n, hit, hit2, pending)`.execute(db);
  }
}
