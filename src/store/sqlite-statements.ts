/**
 * Kysely's SQLite driver calls `prepare(sql)` for every query it runs; better-sqlite3 compiles the
 * statement anew each time, which costs more than running a primary-key lookup. Kysely always binds
 * values as parameters, so the same few hundred SQL strings recur: this wrapper keeps their compiled
 * statements (least recently used dropped beyond `max`). Statements are re-prepared by SQLite itself
 * after a schema change, and a statement still busy in an iteration is never handed out twice.
 */
import type { Database as SqliteHandle, Statement } from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

export function withStatementCache(db: SqliteHandle, max = 1000): SqliteDatabase {
  const cache = new Map<string, Statement>();
  return {
    close: () => {
      cache.clear();
      db.close();
    },
    prepare(sql: string): SqliteStatement {
      const hit = cache.get(sql);
      if (hit && !hit.busy) {
        // Refresh recency: Map iteration order is insertion order.
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const stmt = db.prepare(sql);
      if (hit) return stmt; // the cached one is mid-iteration: use a fresh one once
      cache.set(sql, stmt);
      if (cache.size > max) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return stmt;
    },
  };
}
