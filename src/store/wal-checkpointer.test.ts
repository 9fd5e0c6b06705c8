/**
 * The WAL checkpointer thread: with it, a stream of commits never grows the log far (the worker
 * copies it back and SQLite starts the log over); without it, the same writes stay in the log until
 * the serving connection's safety net (~40 MB). Stopping it ends the thread.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openStore, type Store } from './db.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** ~24 MB in 48 transactions of 128 rows of 4 KB, pausing between them as a server does between batches. */
async function writeStream(store: Store): Promise<void> {
  await sql`create table blob_t (id integer primary key, b blob not null)`.execute(store.db);
  const row = Buffer.alloc(4000, 7);
  for (let t = 0; t < 48; t++) {
    await store.db.transaction().execute(async (tx) => {
      for (let i = 0; i < 128; i++) await sql`insert into blob_t (b) values (${row})`.execute(tx);
    });
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

async function walBytesAfterStream(checkpointer: boolean): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-wal-'));
  dirs.push(dir);
  const file = path.join(dir, 'x.db');
  const store = openStore(`sqlite:${file}`, { walCheckpointer: checkpointer });
  // Without the worker, the same safety net as with it: the serving connection alone checkpoints only at ~40 MB.
  if (!checkpointer) await sql`pragma wal_autocheckpoint = 10000`.execute(store.db);
  await writeStream(store);
  const size = fs.statSync(`${file}-wal`).size;
  await store.close();
  return size;
}

describe('WAL checkpoints on a worker thread', () => {
  it('keeps the log short under a stream of commits; without it the log holds them all', async () => {
    const withWorker = await walBytesAfterStream(true);
    const without = await walBytesAfterStream(false);
    expect(without).toBeGreaterThan(20_000_000);
    expect(withWorker).toBeLessThan(14_000_000);
  }, 60_000);

  it('stops: the database is whole and can be opened again', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-wal-'));
    dirs.push(dir);
    const file = path.join(dir, 'x.db');
    const store = openStore(`sqlite:${file}`, { walCheckpointer: true });
    await sql`create table t (x integer)`.execute(store.db);
    await sql`insert into t (x) values (1), (2), (3)`.execute(store.db);
    await store.close();
    const again = openStore(`sqlite:${file}`);
    const r = await sql<{ n: number }>`select count(*) as n from t`.execute(again.db);
    expect(Number(r.rows[0]!.n)).toBe(3);
    await again.close();
  });
});
