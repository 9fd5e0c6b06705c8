/**
 * Group commit for SQLite. With synchronous=FULL every COMMIT waits for an fsync of the WAL, and
 * SQLite has one writer, so one transaction per submission caps submissions at the disk's fsync
 * rate (a few hundred to a few thousand a second on this kind of disk, shared by everything else).
 *
 * Here the units of work that arrive together (all requests whose bytes were read in one turn of
 * the event loop) run in ONE transaction, each inside its own SAVEPOINT:
 * - each unit is still atomic: a unit that throws is rolled back to its savepoint alone and its
 *   caller gets its error; the others are unaffected;
 * - nobody is answered before the COMMIT — and its fsync — has returned: an acknowledged unit is
 *   as durable as with its own transaction (synchronous stays FULL);
 * - if the COMMIT itself fails, every unit of the batch fails (none was acknowledged).
 * Units run one after another, exactly as separate transactions would on SQLite's single writer.
 * On PostgreSQL (concurrent writers, its own group commit) a unit is simply its own transaction.
 */
import { sql } from 'kysely';
import type { Store } from './db.js';
import { inTransaction, type TxContext } from './tx.js';

type Work = (t: TxContext) => Promise<unknown>;

interface Unit {
  fn: Work;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Most units in one transaction; bounds the latency a batch adds and its rollback work. */
const maxBatch = 64;

class GroupCommitter {
  private queue: Unit[] = [];
  private scheduled = false;
  private running = false;

  constructor(private readonly store: Store) {}

  run<T>(fn: (t: TxContext) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running || this.queue.length === 0) return;
    this.scheduled = true;
    // After the current I/O phase: every request already read gets to join this batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.running = true;
    const batch = this.queue.splice(0, maxBatch);
    const outcomes: Outcome[] = [];
    try {
      await inTransaction(this.store, async (t) => {
        if (batch.length === 1) {
          outcomes.push({ ok: true, value: await batch[0]!.fn(t) }); // alone: its error aborts the transaction
          return;
        }
        for (const unit of batch) {
          await sql`savepoint group_unit`.execute(t.tx);
          try {
            const value = await unit.fn(t);
            await sql`release group_unit`.execute(t.tx);
            outcomes.push({ ok: true, value });
          } catch (error) {
            await sql`rollback to group_unit`.execute(t.tx);
            await sql`release group_unit`.execute(t.tx);
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // BEGIN, a savepoint command or the COMMIT failed: nothing of this batch is durable.
      for (const unit of batch) unit.reject(error);
      this.finish();
      return;
    }
    batch.forEach((unit, i) => {
      const o = outcomes[i]!;
      if (o.ok) unit.resolve(o.value);
      else unit.reject(o.error);
    });
    this.finish();
  }

  private finish(): void {
    this.running = false;
    this.schedule();
  }
}

const committers = new WeakMap<Store, GroupCommitter>();

/**
 * Runs `fn` in a transaction that, on SQLite, may be shared with other units submitted at the same
 * moment (see above). `fn` must use only `t` (never the store directly) and must not depend on
 * being the only work in its transaction. Resolves after the durable COMMIT.
 */
export function inGroupCommit<T>(store: Store, fn: (t: TxContext) => Promise<T>): Promise<T> {
  if (store.dialect !== 'sqlite') return inTransaction(store, fn);
  let c = committers.get(store);
  if (!c) {
    c = new GroupCommitter(store);
    committers.set(store, c);
  }
  return c.run(fn);
}
