/**
 * npm run bench [-- --reuse]
 *
 * Generates (or, with --reuse / BENCH_REUSE=1, reuses) a data directory with BENCH_CASES genuine
 * cases (default 100,000), starts the real server (`src/cli/main.ts serve`, SQLite, WAL,
 * synchronous=FULL) and the bare fastify + better-sqlite3 baseline as child processes on 127.0.0.1,
 * and measures with autocannon (50 connections, BENCH_SECONDS each, default 10, after a short
 * warm-up):
 *   - tracking by query code   GET  /api/track/{code}  vs  baseline GET  /t/{code}  (primary-key read)
 *   - submitting cases         POST /api/cases         vs  baseline POST /s         (durable insert)
 * and prints req/s, p50/p99 latency, non-2xx, the ratio to the baseline and the target verdict.
 *
 * Tracking requests alternate between all codes and the codes of the handled subset (cases taken
 * through accept … reply with their documents; see generate.ts), so half the reads are long timelines.
 *
 * Env: BENCH_CASES, BENCH_HANDLED (default 2000), BENCH_SECONDS, BENCH_WARMUP (s, default 2), BENCH_CONNECTIONS (default 50),
 *      BENCH_DIR (default $TMPDIR/xinfang-bench), BENCH_REUSE=1, BENCH_PROFILE=1 (server --cpu-prof),
 *      BENCH_TIMEOUT (s, whole run, default 900), BENCH_SCENARIOS=track,submit (default both),
 *      BENCH_SERVER_ROOT (run the server from another checkout of the project, for A/B comparisons),
 *      BENCH_CITIZENS (citizens registered through the API for the submit load, default 50).
 *      BENCH_SCENARIOS=mixed: tracking at BENCH_MIXED_TRACKERS connections (default 5) while submissions run at
 *      BENCH_CONNECTIONS, at the same time: how long a citizen waits for tracking while the intake is busy (no target).
 *      BENCH_SCENARIOS=stats: the statistics benchmark of bench/stats.ts (BENCH_STATS_CASES, default 1,000,000).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import SQLite from 'better-sqlite3';
import { defaultBenchDir, generate, topics, type BenchMeta } from './generate.js';
import { makeIdNumber } from '../src/domain/id-number.js';
import { benchWorkbench, printQueueTable } from './workbench.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function intEnv(name: string, def: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return def;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${v}"`);
  return n;
}

const CASES = Math.round(intEnv('BENCH_CASES', 100_000));
const HANDLED = Math.round(intEnv('BENCH_HANDLED', 2000));
const SECONDS = intEnv('BENCH_SECONDS', 10);
const WARMUP = intEnv('BENCH_WARMUP', 2);
const CONNECTIONS = Math.round(intEnv('BENCH_CONNECTIONS', 50));
const TIMEOUT = intEnv('BENCH_TIMEOUT', 900);
const DIR = path.resolve(process.env.BENCH_DIR ?? defaultBenchDir);
const REUSE = process.argv.includes('--reuse') || process.env.BENCH_REUSE === '1';
const PROFILE = process.env.BENCH_PROFILE === '1';
const SERVER_ROOT = path.resolve(process.env.BENCH_SERVER_ROOT ?? root);
const SCENARIOS = new Set((process.env.BENCH_SCENARIOS ?? 'track,submit').split(',').map((s) => s.trim()));
const CITIZENS = Math.max(1, Math.round(intEnv('BENCH_CITIZENS', 50)));
const HOST = '127.0.0.1';

const targets = { trackingRatio: 0.5, submitRate: 1000, submitP99: 100 };

// ---------------------------------------------------------------- child processes

interface Child {
  name: string;
  proc: ChildProcess;
  tail: string[];
  exited: Promise<number | null>;
}

const children: Child[] = [];

function startChild(name: string, args: string[], env: NodeJS.ProcessEnv, cwd = root): Child {
  const proc = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > 40) tail.shift();
    }
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const c: Child = { name, proc, tail, exited };
  children.push(c);
  return c;
}

/** SIGTERM (the server closes cleanly and, with --cpu-prof, writes its profile), SIGKILL after 10 s. */
async function stopChild(c: Child): Promise<void> {
  if (c.proc.exitCode !== null || c.proc.signalCode !== null) return;
  c.proc.kill('SIGTERM');
  const timer = setTimeout(() => c.proc.kill('SIGKILL'), 10_000);
  await c.exited;
  clearTimeout(timer);
}

function killAllNow(): void {
  for (const c of children) {
    if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
  }
}
process.on('exit', killAllNow);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    killAllNow();
    process.exit(130);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, HOST, () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function waitHealthy(c: Child, url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (c.proc.exitCode !== null) throw new Error(`${c.name} exited with ${c.proc.exitCode}:\n${c.tail.join('\n')}`);
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${c.name} did not become healthy within ${timeoutMs / 1000} s:\n${c.tail.join('\n')}`);
}

// ---------------------------------------------------------------- load

interface Measured {
  scenario: string;
  rps: number; // 2xx responses per second
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  ok: number;
  created: number; // 201 responses
  /** Server CPU time per answered request (ms), when /proc tells it. */
  cpuPerReq: number | null;
}

function cannon(opts: autocannon.Options, seconds: number, connections = CONNECTIONS): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const hard = setTimeout(() => reject(new Error(`autocannon did not finish within ${seconds + 30} s`)), (seconds + 30) * 1000);
    autocannon({ ...opts, duration: seconds, connections, timeout: 10 }, (err, result) => {
      clearTimeout(hard);
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else resolve(result);
    });
  });
}

/** A warm-up (not recorded) and a measured run with the same request generator. */
/**
 * CPU time (user + system, all threads) a process has used, in ms, from /proc (Linux); null elsewhere.
 * Unlike requests/s it hardly depends on what else the machine is doing, so CPU per request is the
 * figure to compare when other work shares the cores.
 */
function cpuMsOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of proc(5) (utime, stime), counted from after the command name (field 3 here is index 0).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return null;
  }
}
const clockTicks = 100; // USER_HZ: 100 on every Linux this runs on

async function measure(scenario: string, url: string, requests: autocannon.Request[], child?: Child): Promise<Measured & { warmCreated: number }> {
  let warmCreated = 0;
  if (WARMUP > 0) {
    const w = await cannon({ url, requests }, WARMUP);
    warmCreated = w.statusCodeStats?.['201']?.count ?? 0;
  }
  process.stdout.write(`  ${scenario} … `);
  const cpu0 = cpuMsOf(child?.proc.pid);
  const r = await cannon({ url, requests }, SECONDS);
  const cpu1 = cpuMsOf(child?.proc.pid);
  const ok = r['2xx'];
  const m = {
    scenario,
    rps: ok / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    ok,
    created: r.statusCodeStats?.['201']?.count ?? 0,
    warmCreated,
    cpuPerReq: cpu0 !== null && cpu1 !== null && ok + r.non2xx > 0 ? (cpu1 - cpu0) / (ok + r.non2xx) : null,
  };
  const codes = Object.entries(r.statusCodeStats ?? {})
    .map(([k, v]) => `${k}×${v.count ?? 0}`)
    .join(' ');
  const cpu = m.cpuPerReq === null ? '' : `, server CPU ${m.cpuPerReq.toFixed(3)} ms/req`;
  console.log(`${m.rps.toFixed(0)} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms${cpu} [${codes}${r.errors ? `, ${r.errors} errors, ${r.timeouts} timeouts` : ''}]`);
  return m;
}

function rotating(items: readonly string[], make: (item: string, req: autocannon.Request) => autocannon.Request): autocannon.Request[] {
  let i = 0;
  return [
    {
      setupRequest: (req: autocannon.Request) => {
        const item = items[i++ % items.length]!;
        return make(item, req);
      },
    },
  ];
}

// ---------------------------------------------------------------- citizens

function sessionCookie(r: Response): string {
  for (const c of r.headers.getSetCookie()) {
    const m = /^(xf_session=[^;]+)/.exec(c);
    if (m) return m[1]!;
  }
  throw new Error(`no session cookie (HTTP ${r.status})`);
}

/** Registers citizens through the API (argon2 on the server: done before anything is measured). */
async function registerCitizens(base: string, n: number): Promise<string[]> {
  const cookies: string[] = [];
  const one = async (): Promise<string> => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const rnd = crypto.randomInt(0, 100_000_000);
      const phone = `158${String(rnd).padStart(8, '0')}`;
      const birth = `19${60 + crypto.randomInt(0, 40)}0${1 + crypto.randomInt(0, 9)}1${crypto.randomInt(0, 10)}`;
      const idNumber = makeIdNumber('130102', birth, String(crypto.randomInt(0, 1000)).padStart(3, '0'));
      const r = await fetch(`${base}/api/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: '李建华', idNumber, phone, password: 'Bench#2026' }),
        signal: AbortSignal.timeout(20_000),
      });
      if (r.status === 201) return sessionCookie(r);
      if (r.status !== 409) throw new Error(`register: HTTP ${r.status} ${await r.text()}`);
    }
    throw new Error('register: five collisions in a row');
  };
  for (let i = 0; i < n; i += 4) {
    cookies.push(...(await Promise.all(Array.from({ length: Math.min(4, n - i) }, one))));
  }
  return cookies;
}

interface Catalog {
  categories: { code: string }[];
  regions: { code: string; children?: { code: string; children?: { code: string }[] }[] }[];
}

async function countiesAndCategories(base: string): Promise<{ counties: string[]; categories: string[] }> {
  const r = await fetch(`${base}/api/catalog`, { signal: AbortSignal.timeout(10_000) });
  const c = (await r.json()) as Catalog;
  const counties = c.regions.flatMap((p) => (p.children ?? []).flatMap((city) => (city.children ?? []).map((x) => x.code)));
  return { counties: counties.slice(0, 60), categories: c.categories.map((x) => x.code) };
}

// ---------------------------------------------------------------- report

function pad(s: string, n: number, left = false): string {
  const w = [...s].reduce((a, ch) => a + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
  const fill = ' '.repeat(Math.max(0, n - w));
  return left ? fill + s : s + fill;
}

function printTable(rows: { m: Measured; ratio: string; target: string; verdict: string }[]): void {
  const head = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'vs baseline', 'CPU ms/req', 'target', 'verdict'];
  const widths = [34, 9, 8, 8, 8, 12, 10, 30, 8];
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!, i >= 1 && i <= 6)).join('  ');
  console.log('');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) {
    console.log(
      line([r.m.scenario, r.m.rps.toFixed(0), String(r.m.p50), String(r.m.p99), String(r.m.non2xx + r.m.errors), r.ratio, r.m.cpuPerReq === null ? '—' : r.m.cpuPerReq.toFixed(3), r.target, r.verdict]),
    );
  }
  console.log('');
}

// ---------------------------------------------------------------- main

function countCases(dbFile: string): number {
  const db = new SQLite(dbFile, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('select count(*) as n from case_file').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  const t0 = performance.now();
  if (SCENARIOS.has('stats')) {
    // Statistics at 1,000,000 cases (bench/stats.ts): its own data under BENCH_DIR/stats, SQLite and PostgreSQL.
    const { runStatsBench } = await import('./stats.js');
    await runStatsBench({ dir: path.join(DIR, 'stats'), cases: Number(process.env.BENCH_STATS_CASES ?? 1_000_000), dbs: ['sqlite', 'postgres'], reuse: REUSE, iterations: 20 });
    if ([...SCENARIOS].every((s) => s === 'stats')) return;
  }
  console.log(`Xinfang benchmark: ${CASES.toLocaleString('en')} cases, ${CONNECTIONS} connections, ${SECONDS} s per scenario (+${WARMUP} s warm-up), dir ${DIR}`);

  // 1. Data.
  const metaFile = path.join(DIR, 'meta.json');
  let meta: BenchMeta | undefined;
  if (REUSE && fs.existsSync(metaFile)) {
    meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as BenchMeta;
    if (meta.cases !== CASES || meta.handled !== Math.min(HANDLED, Math.floor(CASES * 0.6))) meta = undefined;
  }
  if (meta) console.log(`reusing ${DIR} (${meta.cases.toLocaleString('en')} generated cases)`);
  else {
    console.log('generating data (fast pragmas for loading only; the server runs with synchronous=FULL) …');
    await generate({ dir: DIR, cases: CASES, handled: HANDLED });
  }
  const dataDir = path.join(DIR, 'data');
  const dbFile = path.join(dataDir, 'xinfang.db');
  const codes = fs.readFileSync(path.join(DIR, 'codes.txt'), 'utf8').split('\n').filter(Boolean);
  const handledCodes = fs.readFileSync(path.join(DIR, 'handled-codes.txt'), 'utf8').split('\n').filter(Boolean);
  // Every other tracking request reads a handled case (long timeline, documents).
  const trackCodes = codes.map((c, i) => (i % 2 === 1 && handledCodes.length > 0 ? handledCodes[i % handledCodes.length]! : c));
  const casesBefore = countCases(dbFile);

  // 2. Servers.
  const [appPort, basePort] = await Promise.all([freePort(), freePort()]);
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('XINFANG_')) delete env[k];
  const profDir = path.join(DIR, 'prof');
  const server = startChild(
    'xinfang',
    [...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), '--import', 'tsx', 'src/cli/main.ts', 'serve'],
    {
      ...env,
      XINFANG_DATA_DIR: dataDir,
      XINFANG_DEMO: '0',
      XINFANG_PORT: String(appPort),
      XINFANG_HOST: HOST,
      XINFANG_LOG_LEVEL: 'warn',
      // Every request comes from one address (127.0.0.1): the per-address request limits would answer
      // 429 to almost all of them. They are an admission policy, not capacity; off for the measurement.
      XINFANG_RATE_LIMIT: '0',
      // The scheduler (deadline sweep, outbox delivery) runs as its own `xinfang jobs` process here: on a
      // fresh data set it first works through ~100k pending notifications and overdue cases, which
      // would be measured instead of the requests (and kept /api/health unanswered for ~2 minutes).
      XINFANG_JOBS: '0',
      NODE_ENV: 'production',
    },
    SERVER_ROOT,
  );
  if (SERVER_ROOT !== root) console.log(`server from ${SERVER_ROOT}`);
  const baseline = startChild('baseline', ['--import', 'tsx', 'bench/baseline.ts'], {
    ...env,
    BASELINE_DB: path.join(DIR, 'baseline.db'),
    BASELINE_CODES: path.join(DIR, 'codes.txt'),
    BASELINE_PORT: String(basePort),
    NODE_ENV: 'production',
  });
  const app = `http://${HOST}:${appPort}`;
  const base = `http://${HOST}:${basePort}`;
  await Promise.all([waitHealthy(server, `${app}/api/health`, 60_000), waitHealthy(baseline, `${base}/t/${encodeURIComponent(codes[0]!)}`, 60_000)]);

  // Sanity: a tracked code answers before we measure.
  const probe = await fetch(`${app}/api/track/${codes[0]!}`);
  if (probe.status !== 200) throw new Error(`tracking probe: HTTP ${probe.status} ${await probe.text()}`);

  // 3. Citizens (argon2, before measuring) and submission bodies.
  const tc = performance.now();
  const cookies = await registerCitizens(app, CITIZENS);
  console.log(`registered ${cookies.length} citizens through the API in ${((performance.now() - tc) / 1000).toFixed(1)} s`);
  const { counties, categories } = await countiesAndCategories(app);
  const runId = crypto.randomBytes(4).toString('hex');
  let seq = 0;
  // Submissions: the petitions of generate.ts, each about its own category (so the body validates
  // against the catalogue), in many counties, with per-request detail. Fifty citizens file thousands
  // of cases in a run, so each soon has many open cases and the 重复信访 check (services/repeat.service.ts)
  // finds look-alikes: a real petitioner then confirms 'new'; the bench says so up front instead of
  // taking the 409 round trip. The check itself (up to 50 open cases compared) still runs every time.
  const petitions = categories.flatMap((code) => (topics[code]?.items ?? []).map((item) => ({ code, ...item })));
  if (petitions.length === 0) throw new Error('no petition texts for the catalogue categories');
  const body = (n: number) => {
    const p = petitions[n % petitions.length]!;
    return JSON.stringify({
      target: 'bureau',
      categoryCode: p.code,
      regionCode: counties[Math.floor(n / petitions.length) % counties.length],
      address: `${['城关镇', '新城镇', '东关村', '西街社区'][n % 4]}${1 + (n % 300)} 号`,
      title: p.title,
      content: `${p.content}（压测 ${runId}-${n}）`,
      repeatDecision: 'new',
    });
  };

  const submissions = () =>
    rotating(cookies, (cookie, req) => {
      const n = seq++;
      return {
        ...req,
        method: 'POST',
        path: '/api/cases',
        // x-requested-with: the CSRF header every cookie-authenticated write carries (src/http/security.ts).
        headers: { 'content-type': 'application/json', cookie, 'x-requested-with': 'xinfang', 'idempotency-key': `bench-${runId}-${n}` },
        body: body(n),
      };
    });

  // 4. Measure. Other work on this machine skews every figure: say how busy it is.
  const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(`measuring (load average before: ${load()} on ${os.cpus().length} CPUs):`);
  if (os.loadavg()[0]! > os.cpus().length * 0.5) console.log('  warning: the machine is busy with other work; figures will be low and noisy');
  type Row = { m: Measured; ratio: string; target: string; verdict: string };
  const rows: Row[] = [];
  const ratio = (a: Measured, b: Measured) => (b.rps > 0 ? `${((100 * a.rps) / b.rps).toFixed(0)} %` : 'n/a');
  let allOk = true;
  if (SCENARIOS.has('track')) {
    const readBase = await measure('baseline  GET  /t/:code (pk read)', base, rotating(trackCodes, (c, req) => ({ ...req, method: 'GET', path: `/t/${c}` })), baseline);
    const readApp = await measure('xinfang   GET  /api/track/:code', app, rotating(trackCodes, (c, req) => ({ ...req, method: 'GET', path: `/api/track/${c}` })), server);
    const ok = readBase.rps > 0 && readApp.rps / readBase.rps >= targets.trackingRatio && readApp.non2xx + readApp.errors === 0;
    allOk &&= ok;
    rows.push({ m: readBase, ratio: '100 %', target: '—', verdict: '' });
    rows.push({ m: readApp, ratio: ratio(readApp, readBase), target: `≥ ${targets.trackingRatio * 100} % of baseline`, verdict: ok ? 'PASS' : 'MISS' });
  }
  let submit: { writeApp: Measured & { warmCreated: number }; writeBase: Measured } | undefined;
  if (SCENARIOS.has('submit')) {
    const writeBase = await measure(
      'baseline  POST /s (durable insert)',
      base,
      rotating(['x'], (_x, req) => ({ ...req, method: 'POST', path: '/s', headers: { 'content-type': 'application/json' }, body: body(seq++) })),
      baseline,
    );
    const writeApp = await measure('xinfang   POST /api/cases', app, submissions(), server);
    submit = { writeApp, writeBase };
  }

  // Citizens following their cases while the intake is busy (BENCH_SCENARIOS=mixed, no target): tracking
  // at BENCH_MIXED_TRACKERS connections (default 5) beside submissions at BENCH_CONNECTIONS, at once.
  let mixedCreated = 0;
  let mixedLines: string[] = [];
  if (SCENARIOS.has('mixed')) {
    process.stdout.write('  mixed: tracking beside submissions … ');
    const trackers = Math.max(1, Math.round(intEnv('BENCH_MIXED_TRACKERS', 5)));
    const both = (seconds: number) =>
      Promise.all([
        cannon({ url: app, requests: submissions() }, seconds),
        cannon({ url: app, requests: rotating(trackCodes, (c, req) => ({ ...req, method: 'GET', path: `/api/track/${c}` })) }, seconds, trackers),
      ]);
    const created = (x: autocannon.Result) => x.statusCodeStats?.['201']?.count ?? 0;
    if (WARMUP > 0) mixedCreated += created((await both(WARMUP))[0]);
    const [w, r] = await both(SECONDS);
    mixedCreated += created(w);
    const line = (what: string, x: autocannon.Result) =>
      `${what}: ${(x['2xx'] / x.duration).toFixed(0)} req/s, p50 ${x.latency.p50} ms, p99 ${x.latency.p99} ms, max ${x.latency.max} ms${x.non2xx + x.errors > 0 ? `, ${x.non2xx} non-2xx, ${x.errors} errors` : ''}`;
    mixedLines = [line(`  tracking, ${trackers} connections`, r), line(`  submissions, ${CONNECTIONS} connections`, w)];
    console.log('done');
    allOk &&= r.non2xx + r.errors + w.non2xx + w.errors === 0;
  }

  // The staff office at 10 concurrent users (BENCH_SCENARIOS=queue; bench/workbench.ts, also runnable alone).
  const queueRun = SCENARIOS.has('queue') ? await benchWorkbench({ app, seconds: SECONDS, warmup: WARMUP, connections: intEnv('BENCH_QUEUE_CONNECTIONS', 10) }) : undefined;
  allOk &&= queueRun?.ok ?? true;

  // 5. Stop, then check that every acknowledged submission is in the file.
  await stopChild(server);
  await stopChild(baseline);
  let durability = '';
  let durable = true;
  if (submit || mixedCreated > 0) {
    const casesAfter = countCases(dbFile);
    const acked = (submit ? submit.writeApp.created + submit.writeApp.warmCreated : 0) + mixedCreated;
    durable = casesAfter - casesBefore >= acked;
    allOk &&= durable;
    durability = `durability: ${acked} submissions acknowledged with 201 (${[...(submit ? ['submit scenario, warm-up included'] : []), ...(mixedCreated > 0 ? ['mixed scenario, warm-up included'] : [])].join(' + ')}), ${casesAfter - casesBefore} new cases in the file after shutdown → ${durable ? 'every acknowledged case is present' : 'ACKNOWLEDGED CASES MISSING'}`;
  }
  if (submit) {
    const { writeApp, writeBase } = submit;
    const ok = writeApp.rps >= targets.submitRate && writeApp.p99 < targets.submitP99 && writeApp.non2xx + writeApp.errors === 0 && durable;
    allOk &&= ok;
    rows.push({ m: writeBase, ratio: '100 %', target: '—', verdict: '' });
    rows.push({ m: writeApp, ratio: ratio(writeApp, writeBase), target: `≥ ${targets.submitRate}/s, p99 < ${targets.submitP99} ms`, verdict: ok ? 'PASS' : 'MISS' });
  }
  printTable(rows);
  // On a busy machine requests/s mostly measures the share of the cores each process got; CPU per
  // request does not: the rate each side would reach with the cores to itself is 1 / (CPU per request).
  for (let i = 0; i + 1 < rows.length; i += 2) {
    const b = rows[i]!.m;
    const a = rows[i + 1]!.m;
    if (a.cpuPerReq && b.cpuPerReq) {
      console.log(`CPU per request: ${a.scenario.trim()} ${a.cpuPerReq.toFixed(3)} ms vs baseline ${b.cpuPerReq.toFixed(3)} ms → ${((100 * b.cpuPerReq) / a.cpuPerReq).toFixed(0)} % of the baseline's rate per core`);
    }
  }
  if (mixedLines.length > 0) console.log(['tracking beside submissions (at the same time):', ...mixedLines].join('\n'));
  if (queueRun) printQueueTable(queueRun.rows);
  console.log(`load average after: ${load()}; node ${process.version}; ${CONNECTIONS} connections, ${SECONDS} s per scenario`);
  if (durability) console.log(durability);
  if (PROFILE) console.log(`server CPU profile: ${profDir}`);
  console.log(`total bench time ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  if (!allOk) process.exitCode = 1;
}

const watchdog = setTimeout(() => {
  console.error(`bench: exceeded BENCH_TIMEOUT (${TIMEOUT} s); stopping`);
  killAllNow();
  process.exit(2);
}, TIMEOUT * 1000);
watchdog.unref();

main()
  .catch((e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exitCode = 1;
  })
  .finally(async () => {
    await Promise.all(children.map(stopChild));
    clearTimeout(watchdog);
  });
