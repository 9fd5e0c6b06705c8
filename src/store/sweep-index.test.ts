import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kysely, SqliteDialect } from 'kysely';
import SQLite from 'better-sqlite3';
import { migrate, openStore } from './db.js';
import { sweepCandidatesQuery } from './sweep.repository.js';
import type { Database } from './schema.js';

/**
 * The sweep's candidate reads (migration 018) against the migrated schema, under the statistics
 * ANALYZE records at its worst moment: every case unswept (right after migration 005 or a calendar
 * reset), so sweep_on looks unselective. With case_sweep_idx alone, SQLite then read the
 * `sweep_on is null` pass by scanning all of case_file on every sweep (0.3-0.5 s at 1,000,000 cases).
 */
describe('the deadline sweep reads its candidates from index ranges (migration 018)', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-sweep-index-'));
    file = path.join(dir, 'x.db');
    const store = openStore(`sqlite:${file}`);
    await migrate(store);
    await store.close();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** The plans of both candidate reads, with the given sqlite_stat1 rows for case_file (none: no statistics). */
  function plans(stats: Record<string, string>): { due: string; unswept: string } {
    const raw = new SQLite(file);
    raw.exec('analyze sqlite_schema');
    raw.prepare(`delete from sqlite_stat1 where tbl = 'case_file'`).run();
    for (const [idx, stat] of Object.entries(stats)) raw.prepare(`insert into sqlite_stat1 (tbl, idx, stat) values ('case_file', ?, ?)`).run(idx === '' ? null : idx, stat);
    raw.close();
    // Statistics are loaded when a connection opens.
    const db = new SQLite(file);
    const k = new Kysely<Database>({ dialect: new SqliteDialect({ database: db }) });
    const plan = (q: { sql: string; parameters: readonly unknown[] }) =>
      (db.prepare(`explain query plan ${q.sql}`).all(...q.parameters) as { detail: string }[]).map((r) => r.detail).join('; ');
    const out = { due: plan(sweepCandidatesQuery(k, '2026-06-15', 500).compile()), unswept: plan(sweepCandidatesQuery(k, null, 500).compile()) };
    db.close();
    return out;
  }

  const n = 1_000_000;
  const cases = {
    'no statistics': {},
    'every case unswept': { '': `${n}`, case_sweep_idx: `${n} ${n}`, case_unswept_idx: `${n} ${n} 1 1 1 1 1 1 1`, sqlite_autoindex_case_file_1: `${n} 1` },
    'the steady state (dates spread over 60 days, none unswept)': { '': `${n}`, case_sweep_idx: `${n} ${n / 60}`, sqlite_autoindex_case_file_1: `${n} 1` },
  };
  for (const [name, stats] of Object.entries(cases)) {
    it(`${name}: the unswept from case_unswept_idx alone, the due from case_sweep_idx in its order`, () => {
      const p = plans(stats);
      expect(p.unswept).toBe('SEARCH case_file USING COVERING INDEX case_unswept_idx (sweep_on=?)');
      expect(p.due).toBe('SEARCH case_file USING INDEX case_sweep_idx (sweep_on<?)');
    });
  }
});
