// The SQLite WAL checkpointer's thread (see wal-checkpointer.ts). Its own connection copies the
// committed pages of the WAL into the database file every few hundred milliseconds. PASSIVE only:
// it never waits for, nor blocks, the writer or the readers. (A RESTART, which would let the log
// start over sooner, holds the write lock, and a transaction of the serving connection that read
// before it writes then fails with SQLITE_BUSY instead of waiting: never taken here.) The log
// starts over when the serving connection's own checkpoint, at the safety net, finds it copied.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.file);
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 0');
/** One pass: copy what the log holds and the database file lacks. */
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort?.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
  return workerData.everyMs;
};
let stopped = false;
let timer = setTimeout(function tick() {
  const next = checkpoint();
  if (!stopped) timer = setTimeout(tick, next);
}, workerData.everyMs);
parentPort?.on('message', (m) => {
  if (m !== 'stop') return;
  stopped = true;
  clearTimeout(timer);
  checkpoint();
  db.close();
  parentPort?.close();
});
