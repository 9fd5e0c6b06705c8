/**
 * The WAL checkpointer thread: with it, committed rows reach the database file itself shortly after
 * their COMMIT, without the serving connection checkpointing; without it, they stay in the log until
 * the serving connection's safety net (~40 MB). Transactions that read before they write never meet
 * a lock of the checkpointer. Stopping it ends the thread.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openStore, type Store } from './db.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-wal-'));
  dirs.push(dir);
  return path.join(dir, 'x.db');
}

/** ~8 MB in 16 transactions of 128 rows of 4 KB, pausing between them as a server does between batches. */
async function writeStream(store: Store): Promise<void> {
  await sql`create table blob_t (id integer primary key, b blob not null)`.execute(store.db);
  const row = Buffer.alloc(4000, 7);
  for (let t = 0; t < 16; t++) {
    await store.db.transaction().execute(async (tx) => {
      for (let i = 0; i < 128; i++) await sql`insert into blob_t (b) values (${row})`.execute(tx);
    });
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

/** Rows the database file alone holds (a copy of it without its log). */
function rowsInDatabaseFile(file: string): number {
  const copy = `${file}.copy`;
  fs.copyFileSync(file, copy);
  const db = new SQLite(copy, { readonly: true });
  try {
    return Number((db.prepare(`select count(*) as n from sqlite_master where name = 'blob_t'`).get() as { n: number }).n) === 0
      ? 0
      : Number((db.prepare('select count(*) as n from blob_t').get() as { n: number }).n);
  } finally {
    db.close();
    fs.rmSync(copy, { force: true });
  }
}

async function rowsCopiedAfterStream(checkpointer: boolean): Promise<number> {
  const file = tempFile();
  const store = openStore(`sqlite:${file}`, { walCheckpointer: checkpointer });
  // Without the worker, the same safety net as with it: the serving connection checkpoints only at ~40 MB.
  if (!checkpointer) await sql`pragma wal_autocheckpoint = 10000`.execute(store.db);
  await writeStream(store);
  await new Promise((resolve) => setTimeout(resolve, 600));
  const n = rowsInDatabaseFile(file);
  await store.close();
  return n;
}

describe('WAL checkpoints on a worker thread', () => {
  it('copies committed rows into the database file without the serving connection; without it they stay in the log', async () => {
    expect(await rowsCopiedAfterStream(true)).toBe(16 * 128);
    expect(await rowsCopiedAfterStream(false)).toBe(0);
  }, 60_000);

  it('never makes a transaction that reads before it writes fail with "database is locked"', async () => {
    const file = tempFile();
    const store = openStore(`sqlite:${file}`, { walCheckpointer: true });
    await sql`create table t (id integer primary key, n integer not null, pad blob)`.execute(store.db);
    const pad = Buffer.alloc(2000, 1);
    for (let i = 0; i < 300; i++) {
      await store.db.transaction().execute(async (tx) => {
        const r = await sql<{ n: number }>`select count(*) as n from t`.execute(tx);
        await new Promise((resolve) => setImmediate(resolve));
        for (let k = 0; k < 20; k++) await sql`insert into t (n, pad) values (${Number(r.rows[0]!.n)}, ${pad})`.execute(tx);
      });
    }
    const r = await sql<{ n: number }>`select count(*) as n from t`.execute(store.db);
    expect(Number(r.rows[0]!.n)).toBe(300 * 20);
    await store.close();
  }, 60_000);

  it('stops: the database is whole and can be opened again', async () => {
    const file = tempFile();
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
