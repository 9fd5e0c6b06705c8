/**
 * 016: statistics rollups — monthly counts per measure anchor, jurisdiction node, grouping
 * dimension, county and denunciation accusations (domain/stats-rollup.ts), kept in step with the
 * cases in the transaction that changes them; the hotspot clusters supervisors were notified of;
 * indexes for the drill-down lists (a county's, a
 * category's or a unit's cases, newest first) and for the cases overdue now.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const int = (c: import('kysely').ColumnDefinitionBuilder) => c.notNull().defaultTo(0);
  await db.schema
    .createTable('stats_rollup')
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('dim', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('den', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', int)
    .addColumn('hit', 'integer', int)
    .addColumn('hit2', 'integer', int)
    .addColumn('pending', 'integer', int)
    .addPrimaryKeyConstraint('stats_rollup_pk', ['node', 'dim', 'kind', 'month', 'key', 'region', 'den'])
    .execute();
  // Whether the rollups hold every case: true on a database without cases; otherwise the scheduler
  // (or the first statistics request, or `xinfang stats rebuild`) builds them in chunks of cases by
  // id, each chunk one transaction that also moves the watermark `upto`.
  await db.schema
    .createTable('stats_rollup_state')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('built', 'integer', (c) => c.notNull())
    .addColumn('built_at', 'text')
    .addColumn('upto', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  const anyCase = await sql<{ n: number }>`select count(*) as n from (select 1 from case_file limit 1) x`.execute(db);
  const built = Number(anyCase.rows[0]?.n ?? 0) === 0 ? 1 : 0;
  await sql`insert into stats_rollup_state (id, built, built_at) values (1, ${built}, null)`.execute(db);

  // Drill-down lists: newest first within a county, a category, a unit; and the open cases by state.
  await sql`create index case_drill_region_idx on case_file (region_code, received_date, seq_no)`.execute(db);
  await sql`create index case_drill_category_idx on case_file (category_code, received_date, seq_no)`.execute(db);
  await sql`create index case_drill_unit_idx on case_file (current_unit_id, received_date, seq_no)`.execute(db);
  await sql`create index case_drill_receiving_idx on case_file (receiving_unit_id, received_date, seq_no)`.execute(db);
  await sql`create index case_drill_recent_idx on case_file (received_date, seq_no)`.execute(db);

  // 热点: the clusters supervisors were told about (to notify once per change) and how far the watch read.
  await db.schema
    .createTable('hotspot_cluster')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('case_ids', 'text', (c) => c.notNull())
    .addColumn('petitioners', 'integer', (c) => c.notNull())
    .addColumn('words', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('hotspot_cluster_region_idx').on('hotspot_cluster').columns(['region', 'updated_at']).execute();
  await db.schema
    .createTable('hotspot_watch')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('last_submitted_at', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into hotspot_watch (id, last_submitted_at) values (1, '')`.execute(db);
  void dialect;
}
