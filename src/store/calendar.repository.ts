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

/** Replaces one year's imported days in one transaction. */
export async function replaceYear(
  db: Kysely<Database>,
  year: number,
  source: string,
  days: { date: string; kind: 'holiday' | 'workday'; note: string | null }[],
  at: string,
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('calendar_day').where('year', '=', year).execute();
    await tx.deleteFrom('calendar_year').where('year', '=', year).execute();
    if (days.length > 0) await tx.insertInto('calendar_day').values(days.map((d) => ({ ...d, year, source }))).execute();
    await tx.insertInto('calendar_year').values({ year, source, imported_at: at }).execute();
  });
}
