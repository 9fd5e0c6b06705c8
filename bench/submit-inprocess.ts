/**
 * Submissions in one process, without sockets or a load generator (issue #2): the app answers
 * POST /api/cases through fastify's inject, C at a time, on a copy of a data set made by
 * bench/generate.ts. It prints submissions/s, CPU per submission (the whole process and its serving
 * thread alone), latency p50/p99, and the SQL time per statement shape — figures that hold up on a
 * busy machine far better than autocannon's, for paired A/B runs of two checkouts.
 *
 *   cp -r /tmp/sp10k /tmp/sp-run && BENCH_DATA=/tmp/sp-run/data node --import tsx bench/submit-inprocess.ts
 *
 * Env: BENCH_DATA (a data directory; it is written to: use a copy), N (measured submissions, default
 * 1,500), C (in flight, default 50), WARM (unmeasured first submissions, default 300),
 * CKPT=worker (WAL checkpoints on their own thread, as the server runs them) or auto (SQLite's own,
 * inside COMMITs; the default), FLUSH=0 (skip applying the statistics queue at the end),
 * FRAMES=1 (no checkpoints at all: counts the pages the submissions wrote to the WAL, warm-up included,
 * and which table or index each belongs to — what a COMMIT and the checkpoints after it have to write).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { loadConfig } from '../src/config.js';
import { loadKeyring } from '../src/security/field-crypto.js';
import { createContext } from '../src/services/context.js';
import { migrate, openSqliteFile, type Store } from '../src/store/db.js';
import type { Database } from '../src/store/schema.js';
import { withStatementCache } from '../src/store/sqlite-statements.js';
import { safetyNetPages, startWalCheckpointer, type WalCheckpointer } from '../src/store/wal-checkpointer.js';
import { flushRollups } from '../src/services/stats-rollup.service.js';
import { buildApp } from '../src/http/app.js';
import { makeIdNumber } from '../src/domain/id-number.js';
import { topics } from './generate.js';

const dataDir = path.resolve(process.env.BENCH_DATA ?? '/tmp/sp-run/data');
const file = path.join(dataDir, 'xinfang.db');
if (!fs.existsSync(file)) throw new Error(`no data set at ${file} (make one with bench/generate.ts, then copy it)`);
const N = Number(process.env.N ?? 1500);
const C = Number(process.env.C ?? 50);
const WARM = Number(process.env.WARM ?? 300);

// The same connection as openStore's, with every statement's time logged.
const sqlite = openSqliteFile(file);
let checkpointer: WalCheckpointer | undefined;
if (process.env.CKPT === 'worker') {
  sqlite.pragma(`wal_autocheckpoint = ${safetyNetPages}`);
  checkpointer = startWalCheckpointer(file);
}
const FRAMES = process.env.FRAMES === '1';
if (FRAMES) {
  if (checkpointer) throw new Error('FRAMES=1 counts the WAL: run it without CKPT=worker');
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.pragma('wal_autocheckpoint = 0');
}
let measuring = false;
const statements = new Map<string, { n: number; ms: number }>();
const db = new Kysely<Database>({
  dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
  log: (e) => {
    if (!measuring) return;
    const k = e.query.sql.replace(/\s+/g, ' ').slice(0, 140);
    const s = statements.get(k) ?? { n: 0, ms: 0 };
    s.n++;
    s.ms += e.queryDurationMillis;
    statements.set(k, s);
  },
});
const store: Store = { db, dialect: 'sqlite', close: () => db.destroy() };
await migrate(store);
const config = loadConfig({ XINFANG_DATA_DIR: dataDir, XINFANG_DEMO: '0', XINFANG_RATE_LIMIT: '0', XINFANG_JOBS: '0' });
const ctx = await createContext(config, store, loadKeyring(process.env, dataDir));
const app = await buildApp(ctx, {});

// Fifty citizens registered through the API, as bench/run.ts does.
const cookies: string[] = [];
for (let i = 0; cookies.length < 50 && i < 200; i++) {
  const phone = `158${String(crypto.randomInt(0, 1e8)).padStart(8, '0')}`;
  const idNumber = makeIdNumber('130102', '19700101', String(crypto.randomInt(0, 1000)).padStart(3, '0'));
  const r = await app.inject({ method: 'POST', url: '/api/auth/register', payload: { name: '李建华', idNumber, phone, password: 'Bench#2026' } });
  const m = /xf_session=[^;]+/.exec(String(r.headers['set-cookie'] ?? ''));
  if (r.statusCode === 201 && m) cookies.push(m[0]);
}
if (cookies.length === 0) throw new Error('could not register any citizen');

const petitions = Object.entries(topics).flatMap(([code, t]) => t.items.map((item) => ({ code, ...item })));
const runId = crypto.randomBytes(3).toString('hex');
let next = 0;
const latencies: number[] = [];
let refused = 0;
const submitOne = async () => {
  const k = next++;
  const p = petitions[k % petitions.length]!;
  const t0 = performance.now();
  const r = await app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: { cookie: cookies[k % cookies.length]!, 'content-type': 'application/json', 'x-requested-with': 'xinfang', 'idempotency-key': `inproc-${runId}-${k}` },
    payload: JSON.stringify({ target: 'bureau', categoryCode: p.code, regionCode: '130123', address: `城关镇${1 + (k % 300)} 号`, title: p.title, content: `${p.content}（压测 ${runId}-${k}）`, repeatDecision: 'new' }),
  });
  if (r.statusCode !== 201) refused++;
  if (measuring) latencies.push(performance.now() - t0);
};
const run = async (count: number) => {
  const end = next + count;
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (next < end) await submitOne();
    }),
  );
};

/** CPU time of the serving (main) thread, ms, from /proc (Linux). */
const mainThreadCpu = (): number => {
  const fields = fs.readFileSync(`/proc/${process.pid}/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

await run(WARM);
measuring = true;
const main0 = mainThreadCpu();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await run(N);
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const mainMs = mainThreadCpu() - main0;
measuring = false;

latencies.sort((a, b) => a - b);
const pct = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))]!.toFixed(0);
console.log(`${N} submissions, ${C} in flight, checkpoints ${checkpointer ? 'on their own thread' : 'in COMMITs'}: ${(N / (wall / 1000)).toFixed(0)}/s, latency p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms${refused ? `, ${refused} not 201` : ''}`);
console.log(`CPU ${((cpu.user + cpu.system) / 1000 / N).toFixed(3)} ms per submission (serving thread ${(mainMs / N).toFixed(3)} ms)`);
let sqlMs = 0;
for (const s of statements.values()) sqlMs += s.ms;
console.log(`SQL ${(sqlMs / N).toFixed(3)} ms per submission:`);
for (const [k, s] of [...statements.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15)) console.log(`  ${(s.ms / N).toFixed(3).padStart(7)} ms  ×${(s.n / N).toFixed(2)}  ${k}`);
if (FRAMES) {
  // Each WAL frame is a 24-byte header (page number first) and one page, after a 32-byte file header.
  const wal = fs.readFileSync(`${file}-wal`);
  const pageSize = wal.readUInt32BE(8);
  const pages = new Map<number, number>();
  let frames = 0;
  for (let off = 32; off + 24 + pageSize <= wal.length; off += 24 + pageSize, frames++) pages.set(wal.readUInt32BE(off), (pages.get(wal.readUInt32BE(off)) ?? 0) + 1);
  const owner = new Map<number, string>();
  for (const r of sqlite.prepare('select name, pageno from dbstat').iterate() as Iterable<{ name: string; pageno: number }>) if (pages.has(r.pageno)) owner.set(r.pageno, r.name);
  const byTree = new Map<string, { frames: number; pages: number }>();
  for (const [page, n] of pages) {
    const t = byTree.get(owner.get(page) ?? '(free list)') ?? { frames: 0, pages: 0 };
    t.frames += n;
    t.pages++;
    byTree.set(owner.get(page) ?? '(free list)', t);
  }
  const all = WARM + N;
  console.log(`WAL: ${frames} pages written for ${all} submissions (${(frames / all).toFixed(1)} each), ${pages.size} distinct; by table or index:`);
  for (const [name, t] of [...byTree].sort((a, b) => b[1].frames - a[1].frames).slice(0, 25)) console.log(`  ${(t.frames / all).toFixed(2).padStart(6)} per submission  ${String(t.pages).padStart(6)} pages  ${name}`);
}
if (process.env.FLUSH !== '0') {
  const f0 = process.cpuUsage();
  const ft = performance.now();
  const cases = await flushRollups(ctx);
  const fc = process.cpuUsage(f0);
  console.log(`statistics queue: ${cases} cases applied in ${(performance.now() - ft).toFixed(0)} ms, CPU ${((fc.user + fc.system) / 1000 / Math.max(1, cases)).toFixed(3)} ms per case`);
}
await app.close();
await store.close();
await checkpointer?.stop();
