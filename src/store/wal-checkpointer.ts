/**
 * WAL checkpoints off the serving thread. In WAL mode SQLite copies the log back into the database
 * file ("checkpoint") inside whichever COMMIT makes the log pass wal_autocheckpoint pages (1,000 by
 * default): under a steady stream of submissions that is every group commit, and the thread that
 * answers requests then spends as long copying and fsyncing the database file as it did writing.
 * Here a worker thread with its own connection checkpoints every `everyMs` (PASSIVE: it never waits
 * for or blocks the writer and readers) and, once all is copied, lets SQLite start the log over; the
 * serving connection keeps autocheckpoint only as a safety net far above what the worker lets the
 * log reach. Durability is unchanged: a COMMIT is
 * still fsynced to the WAL (synchronous=FULL) before anyone is answered.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

export interface WalCheckpointer {
  /** A last checkpoint, then the thread ends. */
  stop(): Promise<void>;
}

/** Pages at which the serving connection would checkpoint itself, should the worker fall behind (~40 MB). */
export const safetyNetPages = 10_000;

/** Every `everyMs`: copy the log; once it holds `restartFrames` pages (4 MB) all copied, start it over. */
export function startWalCheckpointer(file: string, everyMs = 200, restartFrames = 1_000): WalCheckpointer {
  const worker = new Worker(new URL('./wal-checkpoint.worker.mjs', import.meta.url), { workerData: { file, everyMs, restartFrames } });
  worker.unref();
  worker.on('message', (m: { error?: string }) => {
    if (m.error) console.warn(`SQLite 检查点线程出错（由写入连接兜底）：${m.error}`);
  });
  worker.on('error', (err) => console.warn(`SQLite 检查点线程中止（由写入连接兜底）：${err.message}`));
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        // Held again while it ends: an unreferenced worker's exit would not keep the process alive
        // for whatever follows the close (a CLI command prints its result after it).
        worker.ref();
        const exited = once(worker, 'exit');
        worker.postMessage('stop');
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 5_000)));
        const how = await Promise.race([exited.then(() => 'exited' as const), timeout]);
        clearTimeout(timer);
        if (how === 'timeout') await worker.terminate();
      })();
      return stopped;
    },
  };
}
