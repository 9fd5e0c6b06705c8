/** Imported working-day overrides (calendar_day) and which years they cover (calendar_year). */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export async function loadCalendarOverrides(db: Kysely<Database>) {
  const days = await db.selectFrom('calendar_day').select(['date', 'kind']).orderBy('date').execute();
  const years = await db.selectFrom('calendar_year').select('year').execute();
  return {
    overrides: days.map((d) => ({ date: d.date, kind: d.kind as 'holiday' | 'workday' })),
    years: years.map((y) => Number(y.year)),
  };
}
