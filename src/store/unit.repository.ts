/** Units (单位): the organisation tree, read mostly from an in-memory snapshot. */
import type { Kysely } from 'kysely';
import type { Database, UnitTable } from './schema.js';

export type UnitRow = UnitTable;

/** Inserts the unit tree (parents first) in batches. */
export async function insertUnits(db: Kysely<Database>, rows: UnitRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    await db.insertInto('unit').values(rows.slice(i, i + 200)).execute();
  }
}

/** All units, ordered for display. */
export function listUnits(db: Kysely<Database>): Promise<UnitRow[]> {
  return db.selectFrom('unit').selectAll().orderBy('path').execute();
}

/** Number of units (0 on a fresh database). */
export async function countUnits(db: Kysely<Database>): Promise<number> {
  const r = await db.selectFrom('unit').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}
