// The SQLite WAL checkpointer's thread (see wal-checkpointer.ts). Its own connection copies the
// committed pages of the WAL into the database file every few hundred milliseconds. PASSIVE never
// waits for, nor blocks, the writer or the readers — but while the writer keeps appending, the log is
// never found fully copied when a transaction starts, so SQLite would never start it over and it
// would grow. Once a PASSIVE pass has copied everything, a RESTART (nothing left to copy: it only
// marks the log for reuse, briefly holding the write lock; busy_timeout 0, so it never waits and
// is simply tried again next time) lets the next COMMIT write from the start of the file again.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.file);
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 0');
/** One pass; returns when to look again: soon while the log is long but could not be started over. */
const checkpoint = () => {
  try {
    const [p] = db.pragma('wal_checkpoint(PASSIVE)');
    if (p.log < workerData.restartFrames) return workerData.everyMs;
    if (p.busy !== 0 || p.checkpointed !== p.log) return 20; // the writer appended meanwhile
    const [r] = db.pragma('wal_checkpoint(RESTART)');
    return r.busy === 0 ? workerData.everyMs : 10; // a transaction was under way: between two, soon
  } catch (err) {
    parentPort?.postMessage({ error: err instanceof Error ? err.message : String(err) });
    return workerData.everyMs;
  }
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
