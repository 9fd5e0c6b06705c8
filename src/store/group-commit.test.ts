import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from './db.js';
import { inGroupCommit } from './group-commit.js';
import type { TxContext } from './tx.js';

let dir: string;
let file: string;
let store: Store;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-gc-'));
  file = path.join(dir, 'gc.db');
  store = openStore(`sqlite:${file}`);
  await sql`create table t (id integer primary key, v text not null unique)`.execute(store.db);
});

afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const insert = (v: string) => (t: TxContext) => sql`insert into t (v) values (${v})`.execute(t.tx).then(() => v);

/** What another connection sees: only committed rows. */
function committed(): string[] {
  const other = new SQLite(file, { readonly: true });
  try {
    return (other.prepare('select v from t order by v').all() as { v: string }[]).map((r) => r.v);
  } finally {
    other.close();
  }
}

describe('inGroupCommit (SQLite)', () => {
  it('runs units submitted together in one transaction and answers only after the commit', async () => {
    const txs = new Set<unknown>();
    const seen: string[][] = [];
    const units = Array.from({ length: 10 }, (_, i) =>
      inGroupCommit(store, async (t) => {
        txs.add(t.tx);
        return insert(`v${i}`)(t);
      }).then((v) => {
        seen.push(committed()); // already durable when the caller hears of it
        return v;
      }),
    );
    expect(await Promise.all(units)).toEqual(Array.from({ length: 10 }, (_, i) => `v${i}`));
    expect(txs.size).toBe(1);
    for (const s of seen) expect(s).toHaveLength(10);
  });

  it('rolls back only the unit that fails; the others commit', async () => {
    const results = await Promise.allSettled([
      inGroupCommit(store, insert('a')),
      inGroupCommit(store, async (t) => {
        await insert('b')(t);
        await insert('a')(t); // unique violation after a write of its own
      }),
      inGroupCommit(store, insert('c')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(committed()).toEqual(['a', 'c']);
  });

  it('a unit alone keeps plain transaction semantics', async () => {
    await expect(
      inGroupCommit(store, async (t) => {
        await insert('x')(t);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(committed()).toEqual([]);
    expect(await inGroupCommit(store, insert('y'))).toBe('y');
    expect(committed()).toEqual(['y']);
  });

  it('later arrivals form the next batch', async () => {
    const first = inGroupCommit(store, insert('1'));
    await first;
    const next = await Promise.all([inGroupCommit(store, insert('2')), inGroupCommit(store, insert('3'))]);
    expect(next).toEqual(['2', '3']);
    expect(committed()).toEqual(['1', '2', '3']);
  });
});
