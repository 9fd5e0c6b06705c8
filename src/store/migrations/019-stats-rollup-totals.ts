/**
 * 019: statistics rollups over all counties (stats_rollup_total: the rows of stats_rollup summed
 * over region, with the county as a grouping dimension of its own), so statistics without a region
 * filter read a few hundred rows for a province's year instead of tens of thousands. A confirmed
 * repeat that staff split off into its own case no longer counts on the case it had joined either.
 * Both change what the rollups hold: on a database with cases they are emptied and built again in
 * the background, chunk by chunk (statistics are counted from the cases meanwhile).
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  // On SQLite both rollup tables are clustered on their key (WITHOUT ROWID): a sum reads the key's
  // range and the counts beside it, instead of an index and then each row (half the time).
  const table = (name: string, keyColumns: string[]) =>
    sql`create table ${sql.table(name)} (
      ${sql.raw(keyColumns.map((c) => `${c} text not null`).join(', '))},
      n integer not null default 0, hit integer not null default 0, hit2 integer not null default 0, pending integer not null default 0,
      constraint ${sql.raw(`${name}_pk`)} primary key (${sql.raw(keyColumns.join(', '))})
    )${dialect === 'sqlite' ? sql` without rowid` : sql``}`.execute(db);
  await table('stats_rollup_total', ['node', 'dim', 'kind', 'month', 'key', 'den']);
  const anyCase = await sql<{ n: number }>`select count(*) as n from (select 1 from case_file limit 1) x`.execute(db);
  const hasCases = Number(anyCase.rows[0]?.n ?? 0) > 0;
  if (dialect === 'sqlite') {
    // Rows exist only for cases, and with cases they are rebuilt below anyway: recreate it clustered.
    await sql`drop table stats_rollup`.execute(db);
    await table('stats_rollup', ['node', 'dim', 'kind', 'month', 'key', 'region', 'den']);
  } else if (hasCases) {
    await sql`delete from stats_rollup`.execute(db);
  }
  if (hasCases) await sql`update stats_rollup_state set built = 0, built_at = null, upto = '' where id = 1`.execute(db);
}
