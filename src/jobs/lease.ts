/** Job leases: one row per periodic job; an instance runs the job only while it holds an unexpired lease. */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

/** Takes or renews the lease; true when `owner` holds it until now + ttl. Atomic on both databases. */
export async function tryLease(db: Kysely<Database>, name: string, owner: string, ttlMs: number, now: Date): Promise<boolean> {
  const nowIso = now.toISOString();
  const until = new Date(now.getTime() + ttlMs).toISOString();
  await db.insertInto('job_lease').values({ name, owner: null, expires_at: nowIso, last_run_at: null, last_result: null }).onConflict((oc) => oc.column('name').doNothing()).execute();
  const r = await db
    .updateTable('job_lease')
    .set({ owner, expires_at: until })
    .where('name', '=', name)
    .where((eb) => eb.or([eb('expires_at', '<=', nowIso), eb('owner', '=', owner), eb('owner', 'is', null)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Gives the lease back and records the outcome of the run. */
export async function releaseLease(db: Kysely<Database>, name: string, owner: string, now: Date, resultText: string): Promise<void> {
  await db
    .updateTable('job_lease')
    .set({ owner: null, expires_at: now.toISOString(), last_run_at: now.toISOString(), last_result: resultText.slice(0, 500) })
    .where('name', '=', name)
    .where('owner', '=', owner)
    .execute();
}
