import { describe, expect, it } from 'vitest';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrate } from './db.js';
import type { Database } from './schema.js';
import { caseLinkedUnder, countInScope, pageScope, unscopedCases } from './workbench.repository.js';

/** A migrated, empty SQLite database whose statements are recorded with their parameters. */
async function recordingDb() {
  const raw = new SQLite(':memory:');
  const seen: { sql: string; parameters: readonly unknown[] }[] = [];
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: raw }),
    log: (e) => {
      if (e.level === 'query') seen.push({ sql: e.query.sql, parameters: e.query.parameters });
    },
  });
  await migrate({ db, dialect: 'sqlite', close: () => db.destroy() });
  seen.length = 0;
  const plan = (s: { sql: string; parameters: readonly unknown[] }) =>
    (raw.prepare(`explain query plan ${s.sql}`).all(...(s.parameters as unknown[])) as { detail: string }[]).map((r) => r.detail).join('; ');
  return { db, seen, plan };
}

const city = '/130000/130100/';

describe('counting a large jurisdiction without building its set of cases (SQLite)', () => {
  it('tests each case of the queue by its own links, then drives from the links in path order', async () => {
    const { db, seen, plan } = await recordingDb();
    const queue = unscopedCases(db, ['/130000/']).where('case_file.state', 'in', ['submitted']);
    // sampleRows 0: the first pass is always "full", so the second one runs too.
    expect(await countInScope(db, city, 'probe', queue, 10, { sampleRows: 0 })).toMatchObject({ count: 0, capped: false });
    expect(seen).toHaveLength(2);
    const [first, second] = seen.map(plan);
    // First pass: the case_unit key (case_id, unit_id, role) per case, the subtree's units once.
    expect(first).toContain('USING COVERING INDEX sqlite_autoindex_case_unit_1 (case_id=?)');
    expect(first).not.toContain('unit_path');
    // Second pass: the links in path order, each case looked up by id (the query flattened, not
    // materialised), distinct cases counted as they come.
    expect(second).toMatch(/SEARCH cu USING COVERING INDEX case_unit_path_idx \(unit_path>\? AND unit_path<\?\).*SEARCH case_file USING .*INDEX \w+ \(id=\?/);
    expect(second).not.toMatch(/MATERIALIZE|CO-ROUTINE r\b|SCAN case_file/);
    await db.destroy();
  });

  it('reads a near page case by case, a far one by probing the subtree set', async () => {
    const { db } = await recordingDb();
    const sql = (e: ReturnType<typeof pageScope>) => db.selectFrom('case_file').select('id').where(e).compile().sql;
    const linked = db.selectFrom('case_file').select('id').where(caseLinkedUnder(city)).compile().sql;
    // The first pass saw the whole queue: any page of it is near.
    expect(sql(pageScope(db, city, 'probe', { count: 5, capped: false, sample: { seen: 5, inScope: 5, limit: 22 } }, 10_000))).toBe(linked);
    // One case in ten lies in the subtree: page 1 (20 cases) costs some 200 cases, the thousandth
    // case some 10,000, beyond which the subtree's set is cheaper.
    const sample = { seen: 2002, inScope: 200, limit: 2002 };
    expect(sql(pageScope(db, city, 'probe', { count: 1000, capped: true, sample }, 20))).toBe(linked);
    expect(sql(pageScope(db, city, 'probe', { count: 1000, capped: true, sample }, 1000))).toContain('+case_file.id in (select case_id from case_unit');
    // A small jurisdiction keeps driving from its set.
    expect(sql(pageScope(db, city, 'drive', { count: 3, capped: false }, 20))).toContain('case_file.id in (select case_id from case_unit');
    await db.destroy();
  });
});
