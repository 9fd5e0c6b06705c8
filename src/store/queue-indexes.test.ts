import { describe, expect, it } from 'vitest';
import { Kysely, SqliteDialect } from 'kysely';
import SQLite from 'better-sqlite3';
import { staffDueKey } from './workbench.repository.js';
import { staffDueKeyIndexExpression } from './migrations/012-queue-indexes.js';
import type { Database } from './schema.js';

const norm = (s: string) => s.replace(/case_file\./g, '').replace(/\s+/g, ' ').trim();

describe('the due-date key of the queues and its index (migration 012)', () => {
  it('is the very expression the index holds, so both databases read the index in order', () => {
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) });
    expect(norm(staffDueKey.compile(db).sql)).toBe(norm(staffDueKeyIndexExpression));
  });

  it('is used by SQLite for the order and for a range of the key', () => {
    const db = new SQLite(':memory:');
    db.exec(`create table case_file (id text primary key, state text, due_accept text, due_assign text, due_reply text, due_review_decision text, submitted_at text)`);
    db.exec(`create index case_due_idx on case_file (state, (${staffDueKeyIndexExpression}), submitted_at, id)`);
    const key = new Kysely<Database>({ dialect: new SqliteDialect({ database: db }) }).getExecutor();
    const expr = staffDueKey.compile({ getExecutor: () => key } as never).sql;
    const plan = (q: string) => (db.prepare(`explain query plan ${q}`).all() as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(plan(`select id from case_file where state = 'submitted' order by ${expr}, case_file.submitted_at limit 20`)).not.toContain('TEMP B-TREE');
    // The tie-breaker on id (same instant) is read from the index too.
    expect(plan(`select id from case_file where state = 'submitted' order by ${expr}, case_file.submitted_at, case_file.id limit 20`)).not.toContain('TEMP B-TREE');
    expect(plan(`select id from case_file where state = 'submitted' and ${expr} <= '2026-03-01'`)).toContain('<expr>');
  });

  it("sorts staff's deadlines first by date and cases without one last", () => {
    const db = new SQLite(':memory:');
    db.exec(`create table case_file (id text, state text, due_accept text, due_assign text, due_reply text, due_review_decision text, submitted_at text)`);
    const ins = db.prepare('insert into case_file values (?, ?, ?, ?, ?, ?, ?)');
    ins.run('closed', 'closed', '2026-01-01', null, null, null, '1');
    ins.run('late', 'in_progress', null, null, '2026-05-01', null, '2');
    ins.run('early', 'submitted', '2026-02-01', null, null, null, '3');
    ins.run('none', 'assigned', null, null, null, null, '4');
    const order = (db.prepare(`select id from case_file order by ${staffDueKeyIndexExpression}, submitted_at`).all() as { id: string }[]).map((r) => r.id);
    expect(order).toEqual(['early', 'late', 'closed', 'none']);
  });
});
