/**
 * WAL checkpoints off the serving thread. In WAL mode SQLite copies the log back into the database
 * file ("checkpoint") inside whichever COMMIT makes the log pass wal_autocheckpoint pages (1,000 by
 * default): under a steady stream of submissions that is every group commit, and the thread that
 * answers requests then spends as long copying and fsyncing the database file as it did writing.
 * Here a worker thread with its own connection copies the log every `everyMs` (PASSIVE: it never
 * waits for or blocks the writer and readers), and the serving connection's autocheckpoint is raised
 * to a safety net (~40 MB of log): when it fires, the worker has already copied nearly everything, so
 * that checkpoint is short, and the log starts over. Durability is unchanged: a COMMIT is still
 * fsynced to the WAL (synchronous=FULL) before anyone is answered.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

export interface WalCheckpointer {
  /** A last checkpoint, then the thread ends. */
  stop(): Promise<void>;
}

/** Pages of log at which the serving connection checkpoints itself (finding it copied) and the log starts over (~40 MB). */
export const safetyNetPages = 10_000;

/** Every `everyMs`, the log copied into the database file. */
export function startWalCheckpointer(file: string, everyMs = 200): WalCheckpointer {
  const worker = new Worker(new URL('./wal-checkpoint.worker.mjs', import.meta.url), { workerData: { file, everyMs } });
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
