import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from './sqlite-statements.js';

describe('withStatementCache', () => {
  it('reuses the compiled statement for the same SQL and drops the least recently used', () => {
    const db = new SQLite(':memory:');
    const cached = withStatementCache(db, 2);
    const a = cached.prepare('select 1 as n');
    expect(cached.prepare('select 1 as n')).toBe(a);
    cached.prepare('select 2 as n');
    cached.prepare('select 1 as n'); // touch a
    cached.prepare('select 3 as n'); // evicts 'select 2'
    expect(cached.prepare('select 1 as n')).toBe(a);
    expect(a.all([])).toEqual([{ n: 1 }]);
    cached.close();
    expect(db.open).toBe(false);
  });

  it('never hands out a statement that is still iterating', () => {
    const db = new SQLite(':memory:');
    db.exec('create table t (n integer); insert into t values (1), (2)');
    const cached = withStatementCache(db);
    const s = cached.prepare('select n from t');
    const it1 = s.iterate([]);
    it1.next();
    const s2 = cached.prepare('select n from t');
    expect(s2).not.toBe(s);
    expect(s2.all([])).toEqual([{ n: 1 }, { n: 2 }]);
    it1.return?.();
    cached.close();
  });

  it('sees schema changes (SQLite re-prepares)', () => {
    const db = new SQLite(':memory:');
    db.exec('create table t (a integer)');
    const cached = withStatementCache(db);
    expect(cached.prepare('select * from t').all([])).toEqual([]);
    db.exec("alter table t add column b text; insert into t values (1, 'x')");
    expect(cached.prepare('select * from t').all([])).toEqual([{ a: 1, b: 'x' }]);
    cached.close();
  });
});
