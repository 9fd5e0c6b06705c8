/**
 * 011: the public tracking projection (case_tracking; see services/tracking.service.ts): one row per
 * case holding its rendered public view, so tracking by query code is one indexed read. Existing
 * cases are rendered here, in batches.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';
import type { Database } from '../schema.js';
import { listUnits } from '../unit.repository.js';
import { UnitDirectory } from '../../services/units.js';
import { rebuildTracking } from '../../services/tracking.service.js';

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('case_tracking')
    .addColumn('case_id', 'text', (c) => c.primaryKey().references('case_file.id'))
    .addColumn('query_code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('view', 'text', (c) => c.notNull())
    .addColumn('clocks', 'text', (c) => c.notNull())
    .addColumn('format', 'integer', (c) => c.notNull())
    .execute();
  const typed = db as unknown as Kysely<Database>;
  await rebuildTracking({ units: new UnitDirectory(await listUnits(typed)) }, typed);
}
