/**
 * The staff office under load (issue #4): "with 100,000 cases, the workbench queue and a full-text
 * search answer in p95 < 50 ms at 10 concurrent users on SQLite".
 *
 *   node --import tsx bench/workbench.ts            (alone: generates or reuses BENCH_DIR, starts the server)
 *   BENCH_SCENARIOS=queue npm run bench -- --reuse  (inside bench/run.ts, against its server)
 *
 * Staff of the three demo sites log in through the API — the provincial bureau (prov.*: the whole
 * province), the city of 石家庄 (sjz.*: its ~13 % of the cases) and the county 正定 (zd.*: <1 %) —
 * as acceptor, dispatcher, handler and supervisor, and BENCH_CONNECTIONS (default 10) users per
 * level ask, each for BENCH_SECONDS after a warm-up, what the office asks:
 *   - 工作台 counts        GET /api/office/workbench (on every office page, and every minute)
 *   - a queue, page 1     GET /api/office/cases?queue=<each queue of the role>&sort=due&page=1&pageSize=20
 *   - a queue, deep page  the same on the queue's last page (at most page BENCH_DEEP_PAGE, default 500)
 *   - filters             category / region / unit / channel / target, over all cases (sort -submitted)
 *   - search, common word q=工资, 楼道照明, 拖欠工资, 补偿 … (thousands of matches in the province)
 *   - search, rare word   a case's own number word, 随迁子女 in one county, words no case holds
 * and prints p50 / p95 / p99 with the verdict against 50 ms at p95.
 *
 * Env: BENCH_DIR, BENCH_CASES, BENCH_HANDLED, BENCH_REUSE=1 / --reuse, BENCH_SECONDS (default 5),
 *      BENCH_WARMUP (default 1), BENCH_CONNECTIONS (default 10), BENCH_LEVELS=prov,sjz,zd,
 *      BENCH_DEEP_PAGE (default 500), BENCH_SERVER_ROOT (A/B against another checkout).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { defaultBenchDir, generate, type BenchMeta } from './generate.js';

export const queueTarget = { p95: 50 };

export interface QueueRow {
  level: string;
  scenario: string;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  bad: number;
  verdict: 'PASS' | 'MISS';
}

export interface QueueBenchOptions {
  /** Base URL of a running server (rate limits off, as bench/run.ts and this file start it). */
  app: string;
  seconds: number;
  warmup: number;
  connections: number;
  levels?: string[];
  deepPage?: number;
  log?: (s: string) => void;
}

const password = 'Xinfang@2026';
const roles = ['acceptor', 'dispatcher', 'handler', 'supervisor'] as const;
const pageSize = 20;

/** Per demo site: a region and a unit inside its jurisdiction to filter by, and its own words. */
const levels: Record<string, { label: string; region: string; unit: string; target: string }> = {
  prov: { label: '省 prov', region: '130100', unit: '130100', target: 'mailbox:130100' },
  sjz: { label: '市 sjz', region: '130123', unit: '130123-xfj', target: 'mailbox:130100' },
  zd: { label: '县 zd', region: '130123', unit: '130123-xfj', target: 'bureau' },
};

const commonWords = ['工资', '楼道照明', '拖欠工资', '补偿', '小区 物业'];
/** 随迁子女 is one petition of twelve categories; 高铁站 and 非法集资 are in no generated case. */
const rareWords = ['随迁子女 入学', '高铁站', '非法集资', '宅基地 审批'];

function sessionCookie(r: Response): string {
  for (const c of r.headers.getSetCookie()) {
    const m = /^(xf_session=[^;]+)/.exec(c);
    if (m) return m[1]!;
  }
  throw new Error(`no session cookie (HTTP ${r.status})`);
}

async function login(app: string, username: string): Promise<string> {
  const r = await fetch(`${app}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: username, password }),
    signal: AbortSignal.timeout(20_000),
  });
  if (r.status !== 200) throw new Error(`login ${username}: HTTP ${r.status} ${await r.text()}`);
  return sessionCookie(r);
}

async function getJson<T>(app: string, cookie: string, p: string): Promise<T> {
  const r = await fetch(`${app}${p}`, { headers: { cookie }, signal: AbortSignal.timeout(60_000) });
  if (r.status !== 200) throw new Error(`GET ${p}: HTTP ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

interface Workbench {
  queues: { key: string; label: string; count: number | string; capped?: boolean }[];
}

interface Page {
  total: number;
  items: unknown[];
}

/** A request: which session and which path. */
type Req = [cookie: string, path: string];

interface Run {
  result: autocannon.Result;
  /** Every response's time in ms, from the tracker's events (autocannon reports no p95 itself). */
  times: number[];
}

function cannon(app: string, reqs: Req[], seconds: number, connections: number): Promise<Run> {
  let i = 0;
  const times: number[] = [];
  return new Promise((resolve, reject) => {
    const hard = setTimeout(() => reject(new Error(`autocannon did not finish within ${seconds + 60} s`)), (seconds + 60) * 1000);
    const tracker = autocannon(
      {
        url: app,
        duration: seconds,
        connections,
        timeout: 20,
        requests: [
          {
            setupRequest: (req: autocannon.Request) => {
              const [cookie, p] = reqs[i++ % reqs.length]!;
              return { ...req, method: 'GET', path: p, headers: { cookie } };
            },
          },
        ],
      },
      (err, result) => {
        clearTimeout(hard);
        if (err) reject(err instanceof Error ? err : new Error(String(err)));
        else resolve({ result, times });
      },
    );
    tracker.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
      times.push(ms);
    });
  });
}

/** Nearest-rank percentile of the sorted times, rounded to 0.1 ms. */
function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const k = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[k]! * 10) / 10;
}

function pad(s: string, n: number, left = false): string {
  const w = [...s].reduce((a, ch) => a + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
  const fill = ' '.repeat(Math.max(0, n - w));
  return left ? fill + s : s + fill;
}

export function printQueueTable(rows: QueueRow[], log: (s: string) => void = console.log): void {
  const head = ['level', 'scenario', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'non-2xx', 'verdict'];
  const widths = [8, 34, 9, 7, 7, 7, 7, 8, 8];
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!, i >= 2 && i <= 7)).join('  ');
  log('');
  log(line(head));
  log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) {
    log(line([r.level, r.scenario, String(r.requests), r.rps.toFixed(0), String(r.p50), String(r.p95), String(r.p99), String(r.bad), r.verdict]));
  }
  log(`target: p95 < ${queueTarget.p95} ms per scenario, every answer 2xx`);
  log('');
}

/** Logs the staff in, builds each level's request sets from what the server answers, and measures them. */
export async function benchWorkbench(o: QueueBenchOptions): Promise<{ rows: QueueRow[]; ok: boolean }> {
  const log = o.log ?? ((s: string) => console.log(s));
  const deepCap = o.deepPage ?? 500;
  const rows: QueueRow[] = [];
  for (const level of o.levels ?? Object.keys(levels)) {
    const site = levels[level];
    if (!site) throw new Error(`unknown level ${level} (prov, sjz, zd)`);
    const sessions: { role: string; cookie: string; queues: Workbench['queues'] }[] = [];
    for (const role of roles) {
      const cookie = await login(o.app, `${level}.${role}`);
      const wb = await getJson<Workbench>(o.app, cookie, '/api/office/workbench');
      sessions.push({ role, cookie, queues: wb.queues });
    }
    const counts = sessions.map((s) => `${s.role} ${s.queues.map((q) => `${q.key}=${q.count}`).join(' ')}`).join('; ');
    log(`${site.label}: ${counts}`);

    const workbenchReqs: Req[] = sessions.map((s) => [s.cookie, '/api/office/workbench']);
    const page1: Req[] = [];
    const deep: Req[] = [];
    for (const s of sessions) {
      for (const q of s.queues) {
        const base = `/api/office/cases?queue=${q.key}&sort=${q.key === 'evaluation' ? '-submitted' : 'due'}&pageSize=${pageSize}`;
        page1.push([s.cookie, `${base}&page=1`]);
        // The real number of the queue's cases (the badge may be capped): the list's own total.
        const { total } = await getJson<Page>(o.app, s.cookie, `${base}&page=1`);
        const last = Math.max(1, Math.ceil(total / pageSize));
        if (last > 1) deep.push([s.cookie, `${base}&page=${Math.min(last, deepCap)}`]);
      }
    }
    // Filters as the queue page offers them, by the roles that see every case of the jurisdiction.
    const wide = sessions.filter((s) => s.role !== 'handler');
    const filters = [`category=labour`, `region=${site.region}`, `unit=${encodeURIComponent(site.unit)}`, `channel=web`, `target=${encodeURIComponent(site.target)}`];
    const filterReqs: Req[] = wide.flatMap((s) => filters.map((f): Req => [s.cookie, `/api/office/cases?${f}&sort=-submitted&page=1&pageSize=${pageSize}`]));
    filterReqs.push(...wide.map((s): Req => [s.cookie, `/api/office/cases?queue=accept&category=construction&sort=due&page=1&pageSize=${pageSize}`]));
    const search = (words: string[]) =>
      sessions.flatMap((s) => words.map((w): Req => [s.cookie, `/api/office/cases?q=${encodeURIComponent(w)}&sort=-submitted&page=1&pageSize=${pageSize}`]));
    // A rare word: the number word of one case in this jurisdiction ("（第 N 件）" in every generated content).
    const rare = [...rareWords];
    const one = await getJson<{ items: { title: string; id: string }[] }>(o.app, sessions[0]!.cookie, `/api/office/cases?queue=accept&page=3&pageSize=1`);
    if (one.items[0]) {
      const full = await getJson<{ content: string }>(o.app, sessions[0]!.cookie, `/api/office/cases/${one.items[0].id}`);
      const n = /第 (\d+) 件/.exec(full.content)?.[1];
      if (n) rare.push(n);
    }

    const scenarios: [string, Req[]][] = [
      ['工作台 counts (4 roles)', workbenchReqs],
      [`queue page 1, sort due (${page1.length})`, page1],
      [`queue deep page (${deep.length})`, deep],
      [`filters (${filterReqs.length})`, filterReqs],
      ['search, common words', search(commonWords)],
      ['search, rare words', search(rare)],
    ];
    for (const [name, reqs] of scenarios) {
      if (reqs.length === 0) continue;
      if (o.warmup > 0) await cannon(o.app, reqs, o.warmup, o.connections);
      const { result: r, times } = await cannon(o.app, reqs, o.seconds, o.connections);
      const bad = r.non2xx + r.errors + r.timeouts;
      const sorted = times.sort((a, b) => a - b);
      const p95 = pct(sorted, 95);
      const row: QueueRow = {
        level: site.label,
        scenario: name,
        requests: sorted.length,
        rps: r['2xx'] / r.duration,
        p50: pct(sorted, 50),
        p95,
        p99: pct(sorted, 99),
        bad,
        verdict: bad === 0 && p95 < queueTarget.p95 ? 'PASS' : 'MISS',
      };
      log(`  ${site.label} ${name}: p50 ${row.p50} ms, p95 ${row.p95} ms, p99 ${row.p99} ms, ${row.rps.toFixed(0)} req/s${bad ? `, ${bad} bad` : ''}`);
      rows.push(row);
    }
  }
  return { rows, ok: rows.every((r) => r.verdict === 'PASS') };
}

// ---------------------------------------------------------------- standalone

function intEnv(name: string, def: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return def;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${v}"`);
  return n;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function standalone(): Promise<void> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const cases = Math.round(intEnv('BENCH_CASES', 100_000));
  const handled = Math.round(intEnv('BENCH_HANDLED', 2000));
  const dir = path.resolve(process.env.BENCH_DIR ?? defaultBenchDir);
  const reuse = process.argv.includes('--reuse') || process.env.BENCH_REUSE === '1';
  const seconds = intEnv('BENCH_SECONDS', 5);
  const warmup = intEnv('BENCH_WARMUP', 1);
  const connections = Math.round(intEnv('BENCH_CONNECTIONS', 10));
  const serverRoot = path.resolve(process.env.BENCH_SERVER_ROOT ?? root);
  const t0 = performance.now();
  console.log(`Xinfang office benchmark: ${cases.toLocaleString('en')} cases, ${connections} concurrent users, ${seconds} s per scenario (+${warmup} s warm-up), dir ${dir}`);

  const metaFile = path.join(dir, 'meta.json');
  let meta: BenchMeta | undefined;
  if (reuse && fs.existsSync(metaFile)) {
    meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as BenchMeta;
    if (meta.cases !== cases) meta = undefined;
  }
  if (meta) console.log(`reusing ${dir} (${meta.cases.toLocaleString('en')} generated cases: ${JSON.stringify(meta.states)})`);
  else await generate({ dir, cases, handled });

  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('XINFANG_')) delete env[k];
  const tail: string[] = [];
  const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
    cwd: serverRoot,
    env: {
      ...env,
      XINFANG_DATA_DIR: path.join(dir, 'data'),
      XINFANG_DEMO: '0',
      XINFANG_PORT: String(port),
      XINFANG_HOST: '127.0.0.1',
      XINFANG_LOG_LEVEL: 'warn',
      // Every request comes from 127.0.0.1: the per-address limits are admission policy, not capacity.
      XINFANG_RATE_LIMIT: '0',
      // The deadline sweep and outbox work through the generated backlog first; not what is measured.
      XINFANG_JOBS: '0',
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (b: Buffer) => {
    for (const l of b.toString('utf8').split('\n')) {
      if (!l.trim()) continue;
      tail.push(l);
      if (tail.length > 40) tail.shift();
    }
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const stop = () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
  };
  process.on('exit', stop);
  const app = `http://127.0.0.1:${port}`;
  try {
    const until = Date.now() + 120_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}:\n${tail.join('\n')}`);
      const ok = await fetch(`${app}/api/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > until) throw new Error(`server did not become healthy:\n${tail.join('\n')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    if (serverRoot !== root) console.log(`server from ${serverRoot}`);
    const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
    console.log(`measuring (load average before: ${load()} on ${os.cpus().length} CPUs)`);
    if (os.loadavg()[0]! > os.cpus().length * 0.5) console.log('  warning: the machine is busy with other work; figures will be high and noisy');
    const levelList = (process.env.BENCH_LEVELS ?? 'prov,sjz,zd').split(',').map((s) => s.trim()).filter(Boolean);
    const { rows, ok } = await benchWorkbench({ app, seconds, warmup, connections, levels: levelList, deepPage: intEnv('BENCH_DEEP_PAGE', 500) });
    printQueueTable(rows);
    console.log(`load average after: ${load()}; node ${process.version}; total ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    if (!ok) process.exitCode = 1;
  } finally {
    stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  standalone().catch((e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exitCode = 1;
  });
}
