/**
 * Statistics benchmark (issue #7): 1,000,000 cases on SQLite and on PostgreSQL, then the p50/p95 of
 * the office dashboard for a year (the six requests StatsPage makes) and of drill-down lists, for a
 * province, a city and a county supervisor.
 *
 * The cases are bulk-inserted straight into case_file / case_unit / case_repeat (and the statistics
 * rollups, rebuilt by the product's own rebuild) with rows shaped as createCase and the office
 * actions write them — due dates from the real work calendar and clocks, units of the real Hebei
 * tree, encrypted personal fields from the real FieldCrypto — spread over two years, the counties,
 * channels, categories and states, with evaluations, extensions, rejections, withdrawals, merges,
 * confirmed repeats and denunciations. Events, documents and search entries are not generated: no
 * statistic reads them. Taking a million cases through the services would take days (see generate.ts).
 *
 * Usage: node --import tsx bench/stats.ts [--cases 1000000] [--db sqlite,postgres] [--reuse] [--iterations 20]
 *   BENCH_DIR (default /tmp/xinfang-stats-bench) holds the SQLite file; BENCH_PG_URL (default
 *   postgres://postgres@127.0.0.1:5432/postgres) is the server on which a fresh database
 *   xinfang_<basename of BENCH_DIR> is created. Also run by `BENCH_SCENARIOS=stats npm run bench`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { migrate, openStore, type Store } from '../src/store/db.js';
import { loadMasterKey } from '../src/security/field-crypto.js';
import { createContext, type AppContext } from '../src/services/context.js';
import { seedDemoStaff, seedUnits, staffPrincipal } from '../src/services/seed.service.js';
import { DueDates, today } from '../src/services/deadlines.js';
import { statistics, statsCases } from '../src/services/stats.service.js';
import { publicStatistics } from '../src/services/sunshine-stats.service.js';
import { addDays } from '../src/domain/calendar.js';
import { topics } from './generate.js';
import { buildStatsRollups, offlineBuild, rebuildStatsRollups } from '../src/services/stats-rollup.service.js';
import { rollupBuilt } from '../src/store/stats-rollup.repository.js';
import { reachBackfill } from '../src/store/migrations/021-case-reach.js';
import { seededRandom } from '../src/domain/seeded-random.js';

const DAY = 86_400_000;

function pickWeighted<T>(list: [T, number][], r: number): T {
  const total = list.reduce((n, [, w]) => n + w, 0);
  let x = r * total;
  for (const [v, w] of list) {
    if ((x -= w) < 0) return v;
  }
  return list[0]![0];
}

const channels: [string, number][] = [
  ['web', 52],
  ['email', 5],
  ['api', 2],
  ['letter', 14],
  ['visit', 12],
  ['call', 8],
];
const categoryWeights: [string, number][] = Object.keys(topics).map((c, i) => [c, 12 - (i % 6)]);

type Row = Record<string, string | number | null>;

interface Generated {
  cases: number;
  caseUnits: number;
  repeats: number;
  seconds: number;
}

/** Yields batches of rows for case_file, case_unit and case_repeat. */
function* caseRows(ctx: AppContext, n: number, citizens: string[], batch: number): Generator<{ cases: Row[]; units: Row[]; repeats: Row[] }> {
  const rnd = seededRandom(20261127);
  const nowMs = ctx.clock.now().getTime();
  const todayStr = today(ctx);
  const start = nowMs - 730 * DAY;
  const counties = ctx.units
    .all()
    .filter((u) => u.kind === 'bureau' && u.level === 'county')
    .map((u) => u.regionCode)
    .sort();
  const province = ctx.units.all().find((u) => u.kind === 'bureau' && u.level === 'province')!;
  const due = new DueDates(ctx);
  const memo = new Map<string, string>();
  const dueOf = (clock: 'acceptance' | 'assignment' | 'handling', d: string, extra = 0) => {
    const k = `${clock}|${d}|${extra}`;
    let v = memo.get(k);
    if (v === undefined) memo.set(k, (v = due.due(clock, d, extra)));
    return v;
  };
  const local = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
  const iso = (ms: number) => new Date(ms).toISOString();
  const enc = (s: string) => ctx.crypto.encrypt(s);
  const namePool = Array.from({ length: 64 }, (_, i) => enc(`王${'建国秀英德胜丽华'[i % 8]}${i}`));
  const phonePool = Array.from({ length: 64 }, (_, i) => enc(`137${String(i).padStart(8, '0')}`));
  const addrPool = Array.from({ length: 64 }, (_, i) => enc(`城关镇东关村${i + 1}号`));
  const codePool = Array.from({ length: 256 }, (_, i) => enc(`BENCH${String(i).padStart(11, '0')}`));
  const recent: { id: string; county: string; date: string }[] = [];
  let out = { cases: [] as Row[], units: [] as Row[], repeats: [] as Row[] };
  for (let k = 0; k < n; k++) {
    // Never after now (the last cases of the run would otherwise land on tomorrow in the hour before midnight).
    const submittedMs = Math.min(nowMs - 60_000, start + Math.floor((k / n) * 730 * DAY) + Math.floor(rnd() * 3600_000));
    const received = local(submittedMs);
    const id = crypto.randomUUID();
    const county = counties[Math.floor(rnd() * counties.length)]!;
    const city = `${county.slice(0, 4)}00`;
    let category = pickWeighted(categoryWeights, rnd());
    let channel = pickWeighted(channels, rnd());
    const toMailbox = rnd() < 0.06;
    const target = toMailbox ? `mailbox:${city}` : 'bureau';
    if (toMailbox) channel = 'mailbox';
    const rr = rnd();
    const receiving = toMailbox ? `${city}-mailbox` : rr < 0.85 ? `${county}-xfj` : rr < 0.96 ? `${city}-xfj` : province.id;
    const denunciation = rnd() < 0.02;
    if (denunciation) category = 'discipline';
    const topic = topics[category]!;
    const item = topic.items[k % topic.items.length]!;
    const dept = ctx.units.get(`${county}-${topic.dept}`) ? `${county}-${topic.dept}` : `${county}-xfj`;
    const staffEntry = channel === 'letter' || channel === 'visit' || channel === 'call';
    const dueAccept = dueOf('acceptance', received);
    const dueAssign = dueOf('assignment', received);
    const row: Row = {
      id,
      seq_no: k + 1,
      query_code_hash: ctx.crypto.lookupHash(`qc:bench-${k}`),
      query_code_enc: codePool[k % codePool.length]!,
      channel,
      target,
      receiving_unit_id: receiving,
      current_unit_id: receiving,
      petitioner_id: staffEntry ? null : citizens[k % citizens.length]!,
      petitioner_name_enc: namePool[k % 64]!,
      petitioner_phone_enc: phonePool[k % 64]!,
      category_code: category,
      region_code: county,
      address_enc: addrPool[k % 64]!,
      title: item.title,
      content: `${item.content}（第 ${k + 1} 件）`,
      co_petitioners_enc: null,
      co_petitioner_count: 0,
      public_consent: rnd() < 0.3 ? 1 : 0,
      is_denunciation: denunciation ? 1 : 0,
      accused_unit_ids: JSON.stringify(denunciation ? [ctx.units.get(rnd() < 0.5 ? dept : `${county}-xfj`)!.path] : []),
      state: 'submitted',
      review_level: 0,
      merged_into: null,
      submitted_at: iso(submittedMs),
      received_date: received,
      accepted_at: null,
      assigned_at: null,
      replied_at: null,
      reply_received_at: null,
      closed_at: null,
      due_accept: dueAccept,
      due_assign: dueAssign,
      due_return: null,
      due_reply: null,
      due_review_request: null,
      due_review_decision: null,
      extension_days: 0,
      pending_extension: null,
      supervised: 0,
      evaluation: null,
      uncovered_years: due.merged(null),
      event_count: 1,
      head_hash: crypto.createHash('sha256').update(id).digest('hex'),
      updated_at: iso(submittedMs),
      sweep_on: null,
    };
    out.units.push({ case_id: id, unit_id: receiving, unit_path: ctx.units.get(receiving)!.path, role: 'receiving' });
    // The lifecycle, each step only if it happened before now.
    let at = submittedMs;
    const step = (minDays: number, spreadDays: number) => {
      const next = at + minDays * DAY + Math.floor(rnd() * spreadDays * DAY);
      if (next >= nowMs) return false;
      at = next;
      return true;
    };
    const fate = rnd();
    const peers = recent.filter((r) => r.county === county);
    if (fate < 0.02 && peers.length > 0 && step(0.2, 2)) {
      row.state = 'withdrawn';
      row.closed_at = iso(at);
    } else if (fate < 0.05 && peers.length > 0 && step(0.5, 3)) {
      // 重复: merged into an earlier case of the same county and petitioner group.
      const into = peers[Math.floor(rnd() * peers.length)]!;
      row.state = 'merged';
      row.merged_into = into.id;
      row.closed_at = iso(at);
      out.repeats.push({ id: crypto.randomUUID(), case_id: into.id, new_case_id: id, petitioner_id: row.petitioner_id ?? null, decision: 'new', similarity: 0.7, staff_verdict: null, submitted_at: row.submitted_at ?? null, received_date: received });
    } else if (fate < 0.11 && step(0.1, 3)) {
      row.state = 'rejected';
      row.closed_at = iso(at);
    } else if (step(0.05, rnd() < 0.85 ? 2 : 6)) {
      row.state = 'accepted';
      row.accepted_at = iso(at);
      const acceptedDate = local(at);
      if (step(0.05, rnd() < 0.85 ? 3 : 9)) {
        const assignedDate = local(at);
        row.state = 'assigned';
        row.assigned_at = iso(at);
        row.current_unit_id = dept;
        row.due_return = dueOf('assignment', assignedDate);
        row.due_reply = dueOf('handling', acceptedDate);
        out.units.push({ case_id: id, unit_id: dept, unit_path: ctx.units.get(dept)!.path, role: 'assigned' });
        if (step(0.5, 2)) row.state = 'in_progress';
        if (rnd() < 0.05) {
          const days = 15 + Math.floor(rnd() * 16);
          row.extension_days = days;
          row.due_reply = dueOf('handling', acceptedDate, days);
        }
        const replyIn = rnd() < 0.88 ? 10 + rnd() * 45 : 55 + rnd() * 40;
        if (step(replyIn, 1)) {
          row.state = 'replied';
          row.replied_at = iso(at);
          row.reply_received_at = iso(at + 3600_000);
          row.due_review_request = addDays(local(at), 30);
          if (step(2, 20)) {
            const e = rnd();
            if (e < 0.72) row.evaluation = e < 0.45 ? 'satisfied' : e < 0.62 ? 'basically_satisfied' : 'unsatisfied';
          }
          if (step(30, 5)) {
            row.state = 'closed';
            row.closed_at = iso(at);
          }
        }
      }
    }
    // 重复信访 the petitioner confirmed as the same matter: a message on an open case, no case.
    if (!staffEntry && peers.length > 0 && rnd() < 0.02) {
      const into = peers[Math.floor(rnd() * peers.length)]!;
      out.repeats.push({ id: crypto.randomUUID(), case_id: into.id, new_case_id: null, petitioner_id: row.petitioner_id ?? null, decision: 'same', similarity: 0.8, staff_verdict: null, submitted_at: row.submitted_at ?? null, received_date: received });
    }
    row.updated_at = iso(at);
    if (received > todayStr) throw new Error('generated a case received after today');
    out.cases.push(row);
    if (row.state !== 'merged' && row.state !== 'withdrawn') {
      recent.push({ id, county, date: received });
      if (recent.length > 400) recent.splice(0, 100);
    }
    if (out.cases.length >= batch) {
      yield out;
      out = { cases: [], units: [], repeats: [] };
    }
  }
  if (out.cases.length > 0) yield out;
}

async function registerCitizens(ctx: AppContext, n: number): Promise<string[]> {
  const ids: string[] = [];
  const now = ctx.clock.now().toISOString();
  for (let i = 0; i < n; i++) {
    const id = crypto.randomUUID();
    ids.push(id);
    await ctx.store.db
      .insertInto('account')
      .values({
        id,
        kind: 'citizen',
        username: null,
        phone_hash: ctx.crypto.lookupHash(`phone:137${String(i).padStart(8, '0')}`),
        phone_enc: ctx.crypto.encrypt(`137${String(i).padStart(8, '0')}`),
        name_enc: ctx.crypto.encrypt(`王建国${i}`),
        id_number_hash: null,
        id_number_enc: null,
        password_hash: 'bench-no-login',
        unit_id: null,
        created_at: now,
      } as never)
      .execute();
  }
  return ids;
}

interface Target {
  kind: 'sqlite' | 'postgres';
  url: string;
}

/** Secondary indexes of the three tables (and SQLite's case_reach), dropped for the load and made again after it. */
async function withoutIndexes(store: Store, raw: { exec: (q: string) => Promise<unknown>; all: (q: string) => Promise<{ name: string; sql: string }[]> }, load: () => Promise<void>) {
  const tables = ['case_file', 'case_unit', 'case_repeat', 'case_reach'];
  const list =
    store.dialect === 'postgres'
      ? await raw.all(`select indexname as name, indexdef as sql from pg_indexes where tablename in ('case_file','case_unit','case_repeat') and indexname not like '%_pkey' and indexdef not like '%UNIQUE%'`)
      : await raw.all(`select name, sql from sqlite_master where type = 'index' and tbl_name in (${tables.map((t) => `'${t}'`).join(',')}) and sql is not null`);
  for (const i of list) await raw.exec(`drop index ${i.name}`);
  await load();
  const t0 = performance.now();
  for (const i of list) await raw.exec(i.sql);
  console.log(`  ${list.length} indexes rebuilt in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

async function generateInto(ctx: AppContext, target: Target, n: number): Promise<Generated> {
  const t0 = performance.now();
  const citizens = await registerCitizens(ctx, 60);
  let cases = 0;
  let caseUnits = 0;
  let repeats = 0;
  const cols = async (table: string): Promise<string[]> =>
    target.kind === 'postgres'
      ? (await sql<{ column_name: string }>`select column_name from information_schema.columns where table_name = ${table} order by ordinal_position`.execute(ctx.store.db)).rows.map((r) => r.column_name)
      : (await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(ctx.store.db)).rows.map((r) => r.name);
  const columns = { case_file: await cols('case_file'), case_unit: await cols('case_unit'), case_repeat: await cols('case_repeat') };
  const progress = (k: number) => {
    if (k % 100_000 < 5000) process.stdout.write(`  ${k.toLocaleString('en')} cases, ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  };
  if (target.kind === 'sqlite') {
    const file = target.url.replace(/^sqlite:(\/\/)?/, '');
    const db = new SQLite(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -262144');
    const stmt = (table: keyof typeof columns) => db.prepare(`insert into ${table} (${columns[table].join(',')}) values (${columns[table].map(() => '?').join(',')})`);
    await withoutIndexes(
      ctx.store,
      { exec: (q) => Promise.resolve(db.exec(q)), all: (q) => Promise.resolve(db.prepare(q).all() as { name: string; sql: string }[]) },
      () => {
        const ins = { case_file: stmt('case_file'), case_unit: stmt('case_unit'), case_repeat: stmt('case_repeat') };
        for (const b of caseRows(ctx, n, citizens, 5000)) {
          db.transaction(() => {
            for (const r of b.cases) ins.case_file.run(columns.case_file.map((c) => r[c] ?? null));
            for (const r of b.units) ins.case_unit.run(columns.case_unit.map((c) => r[c] ?? null));
            for (const r of b.repeats) ins.case_repeat.run(columns.case_repeat.map((c) => r[c] ?? null));
          })();
          cases += b.cases.length;
          caseUnits += b.units.length;
          repeats += b.repeats.length;
          progress(cases);
        }
        // The jurisdictions of the cases (migration 021), which the office's queues read on SQLite.
        const t1 = performance.now();
        db.exec(reachBackfill);
        console.log(`  case_reach filled in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
        return Promise.resolve();
      },
    );
    db.exec('analyze');
    db.close();
  } else {
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    const types = async (table: string) =>
      new Map((await client.query<{ column_name: string; data_type: string }>(`select column_name, data_type from information_schema.columns where table_name = $1`, [table])).rows.map((r) => [r.column_name, r.data_type === 'integer' ? 'int4' : r.data_type === 'bigint' ? 'int8' : r.data_type === 'double precision' ? 'float8' : 'text']));
    const typeMap = { case_file: await types('case_file'), case_unit: await types('case_unit'), case_repeat: await types('case_repeat') };
    const insert = async (table: keyof typeof columns, rows: Row[]) => {
      if (rows.length === 0) return;
      const cs = columns[table];
      const arrays = cs.map((c) => rows.map((r) => r[c] ?? null));
      await client.query(`insert into ${table} (${cs.join(',')}) select * from unnest(${cs.map((c, i) => `$${i + 1}::${typeMap[table].get(c)}[]`).join(',')})`, arrays);
    };
    await client.query('set synchronous_commit = off');
    await withoutIndexes(
      ctx.store,
      { exec: (q) => client.query(q), all: async (q) => (await client.query<{ name: string; sql: string }>(q)).rows },
      async () => {
        for (const b of caseRows(ctx, n, citizens, 5000)) {
          await client.query('begin');
          await insert('case_file', b.cases);
          await insert('case_unit', b.units);
          await insert('case_repeat', b.repeats);
          await client.query('commit');
          cases += b.cases.length;
          caseUnits += b.units.length;
          repeats += b.repeats.length;
          progress(cases);
        }
      },
    );
    // VACUUM too: a loaded table's pages are not yet marked all-visible, so every index-only scan
    // (a jurisdiction's links in case_unit) would still read the table. A database in service has
    // had autovacuum do this long ago.
    await client.query('vacuum analyze');
    await client.end();
  }
  return { cases, caseUnits, repeats, seconds: (performance.now() - t0) / 1000 };
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

interface Figure {
  db: string;
  viewer: string;
  what: string;
  n: number;
  p50: number;
  p95: number;
}

async function timeIt(n: number, budgetMs: number, fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm-up (statement cache, page cache)
  const out: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n && (i < 5 || performance.now() - t0 < budgetMs); i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

async function measure(ctx: AppContext, db: string, iterations: number): Promise<Figure[]> {
  const d = today(ctx);
  const from = addDays(d, -364);
  const figures: Figure[] = [];
  const viewers: [string, string, string][] = [
    ['province', 'prov.supervisor', '130123'],
    ['city', 'sjz.supervisor', '130123'],
    ['county', 'zd.supervisor', '130123'],
  ];
  const record = (viewer: string, what: string, xs: number[]) => {
    const f = { db, viewer, what, n: xs.length, p50: Math.round(percentile(xs, 50) * 10) / 10, p95: Math.round(percentile(xs, 95) * 10) / 10 };
    figures.push(f);
    console.log(`  ${db.padEnd(8)} ${viewer.padEnd(8)} ${what.padEnd(44)} n=${String(f.n).padStart(3)} p50 ${String(f.p50).padStart(7)} ms  p95 ${String(f.p95).padStart(7)} ms`);
  };
  for (const [viewer, username, county] of viewers) {
    const p = await staffPrincipal(ctx, username);
    const q = { from, to: d };
    // The six requests StatsPage makes for a period, in parallel as the browser sends them.
    const dashboard = () =>
      Promise.all(
        (['category', 'month', 'channel', 'category', 'region', 'unit'] as const).map((groupBy) => statistics(ctx, p, { ...q, groupBy })),
      );
    const rec = (what: string, xs: number[]) => record(viewer, what, xs);
    rec('dashboard, last 365 days (6 requests)', await timeIt(iterations, 60_000, dashboard));
    const drill = (extra: Record<string, unknown>) => () =>
      statsCases(ctx, p, { ...q, page: 1, pageSize: 20, part: 'miss', measure: 'completion', ...extra } as Parameters<typeof statsCases>[2]);
    rec('drill: completion misses of a county', await timeIt(iterations, 30_000, drill({ groupBy: 'region', level: 'county', key: county })));
    rec('drill: completion misses of a category', await timeIt(iterations, 30_000, drill({ groupBy: 'category', key: 'labour' })));
    rec('drill: completion misses of a unit', await timeIt(iterations, 30_000, drill({ groupBy: 'unit', key: `${county}-rs` })));
    rec('drill: volume of a county, page 50', await timeIt(iterations, 30_000, drill({ measure: 'volume', part: 'due', groupBy: 'region', level: 'county', key: county, page: 50 })));
    rec('drill: overdue now', await timeIt(iterations, 30_000, drill({ measure: 'overdue', part: 'due' })));
    rec('drill: overdue now of a county', await timeIt(iterations, 30_000, drill({ measure: 'overdue', part: 'due', groupBy: 'region', level: 'county', key: county })));
  }
  // 阳光信访: the public page's figures of the year (anyone may ask; counted for the whole province).
  record('public', 'public statistics of this year (阳光信访)', await timeIt(iterations, 30_000, () => publicStatistics(ctx)));
  return figures;
}

async function prepare(kind: 'sqlite' | 'postgres', dir: string, n: number, reuse: boolean): Promise<{ ctx: AppContext; close: () => Promise<void> }> {
  const dataDir = path.join(dir, `${kind}-data`);
  let url: string | undefined;
  const pgUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `xinfang_${path.basename(dir).replace(/[^a-z0-9]/gi, '_').toLowerCase()}`;
  let fresh = !reuse;
  if (kind === 'postgres') {
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    const exists = (await admin.query('select 1 from pg_database where datname = $1', [dbName])).rowCount! > 0;
    if (exists && fresh) await admin.query(`drop database ${dbName}`);
    if (!exists || fresh) {
      await admin.query(`create database ${dbName}`);
      fresh = true;
    }
    await admin.end();
    const u = new URL(pgUrl);
    u.pathname = `/${dbName}`;
    url = u.toString();
  } else {
    if (fresh) fs.rmSync(dataDir, { recursive: true, force: true });
    fresh = fresh || !fs.existsSync(path.join(dataDir, 'xinfang.db'));
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const config = loadConfig({ XINFANG_DATA_DIR: dataDir, XINFANG_DEMO: '0', ...(url ? { XINFANG_DATABASE_URL: url } : {}) });
  const store = openStore(config.databaseUrl);
  await migrate(store);
  const ctx = await createContext(config, store, loadMasterKey({}, dataDir));
  if (fresh) {
    console.log(`${kind}: generating ${n.toLocaleString('en')} cases into ${kind === 'sqlite' ? config.databaseUrl : dbName}`);
    await seedUnits(ctx);
    await seedDemoStaff(ctx);
    const g = await generateInto(ctx, { kind, url: config.databaseUrl }, n);
    console.log(`  ${g.cases.toLocaleString('en')} cases, ${g.caseUnits.toLocaleString('en')} case units, ${g.repeats.toLocaleString('en')} repeat links in ${g.seconds.toFixed(0)} s`);
  } else {
    console.log(`${kind}: reusing the generated database`);
  }
  // The generator writes the cases straight into the tables, past the rollups' hooks (the migration,
  // run on the empty database, marked them built): build them, in the product's chunks. A reused
  // database whose build stopped half way resumes it from its watermark.
  if (fresh || !(await rollupBuilt(store.db))) {
    const t0 = performance.now();
    if (fresh) {
      const r = await rebuildStatsRollups(ctx, offlineBuild);
      console.log(`  rollups built in chunks from ${r.cases.toLocaleString('en')} cases: ${r.rows.toLocaleString('en')} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } else {
      const r = await buildStatsRollups(ctx, offlineBuild);
      console.log(`  rollup build resumed: ${r.cases.toLocaleString('en')} more cases in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    // Each case's build updated rows written by earlier chunks: clear the dead row versions and plan
    // from the final tables, as autovacuum would on a database in service.
    if (kind === 'postgres') await sql`vacuum analyze stats_rollup, stats_rollup_total`.execute(store.db);
  }
  return { ctx, close: () => store.close() };
}

export async function runStatsBench(opts: { dir: string; cases: number; dbs: ('sqlite' | 'postgres')[]; reuse: boolean; iterations: number }): Promise<Figure[]> {
  fs.mkdirSync(opts.dir, { recursive: true });
  const all: Figure[] = [];
  for (const kind of opts.dbs) {
    const { ctx, close } = await prepare(kind, opts.dir, opts.cases, opts.reuse);
    try {
      all.push(...(await measure(ctx, kind, opts.iterations)));
    } finally {
      await close();
    }
  }
  console.log('\nTargets (SQLite): dashboard p95 < 500 ms, drill-down p95 < 100 ms');
  for (const f of all) {
    const target = f.what.startsWith('dashboard') || f.viewer === 'public' ? 500 : 100;
    console.log(`  ${f.db.padEnd(8)} ${f.viewer.padEnd(8)} ${f.what.padEnd(44)} p95 ${String(f.p95).padStart(7)} ms ${f.p95 < target ? 'ok' : 'SLOW'}`);
  }
  fs.writeFileSync(path.join(opts.dir, 'stats-results.json'), JSON.stringify({ cases: opts.cases, at: new Date().toISOString(), figures: all }, null, 2));
  return all;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  await runStatsBench({
    dir: path.resolve(process.env.BENCH_DIR ?? '/tmp/xinfang-stats-bench'),
    cases: Number(arg('cases') ?? 1_000_000),
    dbs: (arg('db') ?? 'sqlite,postgres').split(',') as ('sqlite' | 'postgres')[],
    reuse: process.argv.includes('--reuse'),
    iterations: Number(arg('iterations') ?? 20),
  });
  process.exit(0);
}
