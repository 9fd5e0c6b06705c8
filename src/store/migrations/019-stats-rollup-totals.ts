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

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  const int = (c: import('kysely').ColumnDefinitionBuilder) => c.notNull().defaultTo(0);
  await db.schema
    .createTable('stats_rollup_total')
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('dim', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('den', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', int)
    .addColumn('hit', 'integer', int)
    .addColumn('hit2', 'integer', int)
    .addColumn('pending', 'integer', int)
    .addPrimaryKeyConstraint('stats_rollup_total_pk', ['node', 'dim', 'kind', 'month', 'key', 'den'])
    .execute();
  const anyCase = await sql<{ n: number }>`select count(*) as n from (select 1 from case_file limit 1) x`.execute(db);
  if (Number(anyCase.rows[0]?.n ?? 0) > 0) {
    await sql`delete from stats_rollup`.execute(db);
    await sql`update stats_rollup_state set built = 0, built_at = null, upto = '' where id = 1`.execute(db);
  }
}
