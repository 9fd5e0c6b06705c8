/**
 * Opens the store: embedded SQLite by default, PostgreSQL when the URL says so.
 * Only store/ knows which one it is; services see the same Kysely<Database>.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './schema.js';
import { withStatementCache } from './sqlite-statements.js';
import { safetyNetPages, startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.js';
import * as m001 from './migrations/001-core.js';
import * as m002 from './migrations/002-publication.js';
import * as m003 from './migrations/003-documents.js';
import * as m004 from './migrations/004-search.js';
import * as m005 from './migrations/005-jobs.js';
import * as m008 from './migrations/008-stats.js';
import * as m007 from './migrations/007-integrity.js';
import * as m006 from './migrations/006-accounts.js';
import * as m014 from './migrations/014-account-duties.js';
import * as m015 from './migrations/015-calendar-changes.js';
import * as m009 from './migrations/009-supervision.js';
import * as m011 from './migrations/011-tracking.js';
import * as m010 from './migrations/010-assessment.js';
import * as m012 from './migrations/012-queue-indexes.js';
import * as m016 from './migrations/016-stats-rollup.js';
import * as m017 from './migrations/017-supervision-followup.js';
import * as m019 from './migrations/019-stats-rollup-totals.js';
import * as m018 from './migrations/018-sweep-index.js';
import * as m020 from './migrations/020-stats-rollup-pending.js';
import * as m021 from './migrations/021-case-reach.js';
import * as m022 from './migrations/022-search-tags.js';
import * as m023 from './migrations/023-reach-filter-indexes.js';
import * as m024 from './migrations/024-rollup-build-order.js';
import * as m025 from './migrations/025-drop-prefix-indexes.js';
import * as m026 from './migrations/026-stats-covering-indexes.js';
import * as m027 from './migrations/027-rollup-sum-covering.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /**
   * SQLite on a file: a second, read-only connection for the public tracking lookup (store/tracking.repository.ts
   * findPublicTracking), the most frequent request. Kysely's SQLite driver runs one query at a time on
   * the serving connection behind a promise lock held for the length of a transaction: a lookup through
   * it paid that lock and the query builder on every request (the server's CPU per tracking request:
   * 0.163 ms through Kysely, 0.135 ms here) and waited whenever a transaction stayed open across an
   * await of something else. This connection reads the last committed state at once (WAL lets readers run beside the
   * writer) and never an uncommitted one. Absent on PostgreSQL (its pool has separate connections)
   * and in memory.
   */
  reader?: SQLite.Database;
  close(): Promise<void>;
}

const migrations: Record<string, { up: (db: Kysely<unknown>, d: Dialect) => Promise<void> }> = {
  '001-core': m001,
  '002-publication': m002,
  '003-documents': m003,
  '004-search': m004,
  '005-jobs': m005,
  '008-stats': m008,
  '007-integrity': m007,
  '006-accounts': m006,
  '014-account-duties': m014,
  '015-calendar-changes': m015,
  '009-supervision': m009,
  '011-tracking': m011,
  '010-assessment': m010,
  '012-queue-indexes': m012,
  '016-stats-rollup': m016,
  '017-supervision-followup': m017,
  '019-stats-rollup-totals': m019,
  '018-sweep-index': m018,
  '020-stats-rollup-pending': m020,
  '021-case-reach': m021,
  '022-search-tags': m022,
  '023-reach-filter-indexes': m023,
  '024-rollup-build-order': m024,
  '025-drop-prefix-indexes': m025,
  '026-stats-covering-indexes': m026,
  '027-rollup-sum-covering': m027,
};

/**
 * Opens a database from a URL: 'postgres://…' or a SQLite file path ('sqlite:./data/x.db' or a bare path).
 * `walCheckpointer` (SQLite files): checkpoints run on a worker thread of their own (wal-checkpointer.ts)
 * instead of inside the serving thread's COMMITs — for the server; tools and tests keep SQLite's own.
 */
export function openStore(url: string, opts: { walCheckpointer?: boolean } = {}): Store {
  if (/^postgres(ql)?:\/\//.test(url)) {
    // Dates and numerics stay strings we control; int8 (counts) are parsed as numbers.
    pg.types.setTypeParser(20, (v) => Number(v));
    pg.types.setTypeParser(1700, (v) => Number(v));
    // JIT off: the planner's estimates for the statistics' correlated probes (a million cases) switch
    // it on, and compiling costs 25-320 ms per statement, more than the queries it would speed up.
    const pool = new pg.Pool({ connectionString: url, max: Number(process.env.XINFANG_PG_POOL ?? 10), options: '-c jit=off' });
    // An idle connection dropped by the server (restart, failover) must not take the process down;
    // the pool replaces it on the next checkout.
    pool.on('error', (err) => console.warn(`PostgreSQL 空闲连接中断：${err.message}`));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  const file = url.replace(/^sqlite:(\/\/)?/, '');
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = openSqliteFile(file);
  let checkpointer: WalCheckpointer | undefined;
  if (opts.walCheckpointer && file !== ':memory:') {
    sqlite.pragma(`wal_autocheckpoint = ${safetyNetPages}`);
    checkpointer = startWalCheckpointer(path.resolve(file));
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  const reader = file === ':memory:' ? undefined : openSqliteReader(file);
  return {
    db,
    dialect: 'sqlite',
    ...(reader ? { reader } : {}),
    close: async () => {
      reader?.close();
      await db.destroy();
      await checkpointer?.stop();
    },
  };
}

/** The serving connection to a SQLite file, as the server opens it (WAL, durable commits). */
export function openSqliteFile(file: string): SQLite.Database {
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // WAL's default NORMAL can lose an acknowledged commit on power loss; a petition must never be lost.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // 64 MB of page cache instead of 2 MB: the queue indexes of 100,000 cases stay in memory.
  sqlite.pragma('cache_size = -65536');
  return sqlite;
}

/** A read-only connection to a SQLite file the serving connection has opened (and put in WAL mode). */
function openSqliteReader(file: string): SQLite.Database {
  const reader = new SQLite(file, { readonly: true, fileMustExist: true });
  reader.pragma('busy_timeout = 5000');
  // The projection of 100,000 cases is ~110 MB; its index and the recently tracked rows fit in 32 MB.
  reader.pragma('cache_size = -32768');
  return reader;
}

/** Runs every numbered migration not yet applied; forward only. */
export async function migrate(store: Store): Promise<string[]> {
  const provider: MigrationProvider = {
    getMigrations: () =>
      Promise.resolve(
        Object.fromEntries(
          Object.entries(migrations).map(([name, m]): [string, Migration] => [
            name,
            { up: (db) => m.up(db, store.dialect) },
          ]),
        ),
      ),
  };
  // Numbers are reserved per piece of work and land in any order: a database that already ran a
  // higher number still gets a lower one that landed later.
  const migrator = new Migrator({ db: store.db, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
