/**
 * Integration harness: a real server (fastify inject) on a real database — a fresh SQLite file
 * always, and a fresh PostgreSQL database per app when XINFANG_TEST_PG is set.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../../src/config.js';
import { migrate, openStore } from '../../src/store/db.js';
import { createContext, type AppContext } from '../../src/services/context.js';
import { seedDemoStaff, seedUnits, demoPassword } from '../../src/services/seed.service.js';
import { buildApp } from '../../src/http/app.js';
import { csrfHeader, csrfValue } from '../../src/http/security.js';
import { makeIdNumber } from '../../src/domain/id-number.js';
import type { StaffAction } from '../../src/domain/case-state.js';
import { allRollups, rollupBuilt } from '../../src/store/stats-rollup.repository.js';
import { flushRollups, rollupsFromCases } from '../../src/services/stats-rollup.service.js';
import { reachColumns } from '../../src/store/migrations/021-case-reach.js';
import { tagsSql } from '../../src/store/migrations/022-search-tags.js';
import { isSearchTag } from '../../src/store/search.repository.js';
import { sql } from 'kysely';

export type DbKind = 'sqlite' | 'postgres';

/** The databases this run covers: SQLite always, PostgreSQL when XINFANG_TEST_PG names a server. */
export const databases: DbKind[] = process.env.XINFANG_TEST_PG ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestApp {
  kind: DbKind;
  app: FastifyInstance;
  ctx: AppContext;
  /** Moves the server's clock. */
  setNow(iso: string): void;
  close(): Promise<void>;
  /** Sends the SPA's CSRF header (X-Requested-With: xinfang) unless `csrf: false`. */
  request(method: string, url: string, opts?: { cookie?: string; body?: unknown; headers?: Record<string, string>; csrf?: boolean }): Promise<LightMyRequestResponse>;
  /** Logs in a demo staff account (e.g. 'zd.acceptor') and returns its cookie. */
  staff(username: string): Promise<string>;
  /** Registers a new citizen and returns its cookie and phone. */
  citizen(): Promise<{ cookie: string; phone: string; idNumber: string; name: string }>;
}

let citizenSeq = 0;

/**
 * Throws when the statistics rollups kept in step with the changes (migration 016) differ from what
 * the cases make: run when a test app closes, so every kind of action any test takes is checked.
 */
export async function checkRollups(ctx: AppContext): Promise<void> {
  if (!(await rollupBuilt(ctx.store.db))) return;
  // New cases wait in the rollups' queue until a flush (as every statistics read does first).
  await flushRollups(ctx);
  const key = (r: { node: string; dim: string; kind: string; month: string; key: string; region: string; den: string }) => [r.node, r.dim, r.kind, r.month, r.key, r.region, r.den].join(' ');
  const kept = new Map((await allRollups(ctx.store.db)).map((r) => [key(r), `${Number(r.n)}/${Number(r.hit)}/${Number(r.hit2)}/${Number(r.pending)}`]));
  const want = new Map((await rollupsFromCases(ctx)).map((r) => [key(r), `${r.n}/${r.hit}/${r.hit2}/${r.pending}`]));
  const diff: string[] = [];
  for (const [k, v] of want) if (kept.get(k) !== v) diff.push(`${k}: kept ${kept.get(k) ?? 'none'}, cases make ${v}`);
  for (const [k, v] of kept) if (!want.has(k)) diff.push(`${k}: kept ${v}, cases make none`);
  if (diff.length > 0) throw new Error(`statistics rollups differ from the cases (${diff.length} rows):\n${diff.slice(0, 20).join('\n')}`);
}

/**
 * Throws when case_reach (migration 021, SQLite) differs from what the cases and their units make:
 * one row per case and unit at or above one of its units (the top of the tree left out), with the
 * case's current queue columns. Run when a test app closes, like checkRollups.
 */
export async function checkReach(ctx: AppContext): Promise<void> {
  if (ctx.store.dialect !== 'sqlite') return;
  const cols = ['id', ...reachColumns].join(', ');
  const want = `select distinct a.path as scope_path, ${['id', ...reachColumns].map((c) => `c.${c}`).join(', ')}
    from case_unit cu join unit a on substr(cu.unit_path, 1, length(a.path)) = a.path and a.parent_id is not null join case_file c on c.id = cu.case_id`;
  const kept = `select scope_path, ${cols} from case_reach`;
  const missing = await sql.raw<{ scope_path: string; id: string }>(`${want} except ${kept} limit 20`).execute(ctx.store.db);
  const extra = await sql.raw<{ scope_path: string; id: string }>(`${kept} except ${want} limit 20`).execute(ctx.store.db);
  if (missing.rows.length + extra.rows.length > 0) {
    const show = (r: { scope_path: string; id: string }) => `${r.id} @ ${r.scope_path}: ${JSON.stringify(r)}`;
    throw new Error(`case_reach differs from the cases:\nmissing or stale:\n${missing.rows.map(show).join('\n')}\nextra or stale:\n${extra.rows.map(show).join('\n')}`);
  }
}

/**
 * SQLite: every case's full-text entry holds exactly the tags (migration 022) its jurisdictions
 * (case_reach) and, for a denunciation, its accused units make. Run when a test app closes.
 */
export async function checkSearchTags(ctx: AppContext): Promise<void> {
  if (ctx.store.dialect !== 'sqlite') return;
  const want = await sql.raw<{ seq_no: number; tags: string }>(`select c.seq_no, trim(${tagsSql('c.seq_no')}) as tags from case_file c`).execute(ctx.store.db);
  const kept = await sql.raw<{ seq_no: number; body: string }>(`select rowid as seq_no, body from case_search`).execute(ctx.store.db);
  const bodies = new Map(kept.rows.map((r) => [Number(r.seq_no), r.body]));
  const wrong: string[] = [];
  for (const w of want.rows) {
    const body = bodies.get(Number(w.seq_no));
    const expected = w.tags.split(' ').filter(Boolean).sort().join(' ');
    const found = body === undefined ? '(no entry)' : body.split(' ').filter(isSearchTag).sort().join(' ');
    if (found !== expected) wrong.push(`case ${w.seq_no}: tags ${found || '(none)'}, expected ${expected || '(none)'}`);
  }
  if (wrong.length > 0) throw new Error(`case_search tags differ from the cases:\n${wrong.slice(0, 20).join('\n')}`);
}

async function freshDatabaseUrl(kind: DbKind): Promise<{ url: string; drop: () => Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-test-'));
    return { url: `sqlite:${path.join(dir, 'test.db')}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const admin = process.env.XINFANG_TEST_PG!;
  const name = `xf_t_${crypto.randomBytes(6).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`drop database if exists ${name} with (force)`);
      await d.end();
    },
  };
}

/** Starts the app on a fresh database with the unit tree and the demo staff accounts. */
export async function startTestApp(kind: DbKind, opts: { now?: string; env?: Record<string, string> } = {}): Promise<TestApp> {
  const { url, drop } = await freshDatabaseUrl(kind);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-data-'));
  // Request limits are off unless a test turns them on: the suite makes many requests from one address.
  const config = loadConfig({ XINFANG_DATA_DIR: dataDir, XINFANG_DATABASE_URL: url, XINFANG_RATE_LIMIT: '0', XINFANG_REPEAT_THRESHOLD: '0', ...opts.env }); // 重复信访 detection only where a test turns it on
  const store = openStore(config.databaseUrl);
  await migrate(store);
  let now = new Date(opts.now ?? '2026-03-02T02:00:00Z');
  const ctx = await createContext(config, store, crypto.randomBytes(32), { now: () => now });
  await seedUnits(ctx);
  await seedDemoStaff(ctx);
  const app = await buildApp(ctx);
  await app.ready();
  // Every test request speaks like the SPA (the CSRF header), including tests that call app.inject directly.
  const rawInject = app.inject.bind(app) as (o: InjectOptions) => Promise<LightMyRequestResponse>;
  (app as unknown as { inject: (o: InjectOptions) => Promise<LightMyRequestResponse> }).inject = (o: InjectOptions) =>
    rawInject({ ...o, headers: { [csrfHeader]: csrfValue, ...(o.headers ?? {}) } });
  const t: TestApp = {
    kind,
    app,
    ctx,
    setNow(iso) {
      now = new Date(iso);
    },
    async close() {
      // Every test that changes cases also checks the statistics rollups and case_reach kept in step with them.
      const checked = await checkRollups(ctx)
        .then(() => checkReach(ctx))
        .then(() => checkSearchTags(ctx))
        .then(
          () => null,
          (err: unknown) => err,
        );
      await app.close();
      await store.close();
      await drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (checked) throw checked;
    },
    request(method, url, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.cookie) headers.cookie = o.cookie;
      return (o.csrf === false ? rawInject : app.inject.bind(app))({
        method: method as 'GET',
        url,
        headers,
        ...(o.body !== undefined ? (typeof o.body === 'string' ? { payload: o.body } : { payload: o.body as object }) : {}),
      });
    },
    async staff(username) {
      const r = await t.request('POST', '/api/auth/login', { body: { login: username, password: demoPassword } });
      if (r.statusCode !== 200) throw new Error(`login ${username}: ${r.statusCode} ${r.body}`);
      return cookieOf(r);
    },
    async citizen() {
      citizenSeq++;
      const n = process.pid * 1000 + citizenSeq;
      const phone = `139${String(n % 100_000_000).padStart(8, '0')}`;
      const idNumber = makeIdNumber('130123', '19800101', String(citizenSeq % 1000).padStart(3, '0'));
      const name = '王小明';
      const r = await t.request('POST', '/api/auth/register', { body: { name, idNumber: idNumber.replace(/^(.{14})/, `$1`), phone, password: 'Passw0rd!' } });
      if (r.statusCode !== 201) throw new Error(`register: ${r.statusCode} ${r.body}`);
      return { cookie: cookieOf(r), phone, idNumber, name };
    },
  };
  return t;
}

/** The session cookie a response set, as a Cookie header value. */
export function cookieOf(r: LightMyRequestResponse): string {
  const c = r.cookies.find((x) => x.name === 'xf_session');
  if (!c) throw new Error(`no session cookie in ${r.statusCode} ${r.body}`);
  return `xf_session=${c.value}`;
}

/** A valid submission body; override what a test cares about. */
export function newCaseBody(over: Record<string, unknown> = {}) {
  return {
    target: 'bureau',
    categoryCode: 'labour',
    regionCode: '130123',
    address: '正定县城关镇常山路 1 号',
    title: '建筑工地拖欠工资',
    content: '本人在工地务工三个月，工资一万元至今未付，多次讨要无果，请求处理。',
    ...over,
  };
}

/** Submits a case as a fresh citizen; returns ids and the citizen's cookie. */
export async function newCase(t: TestApp, over: Record<string, unknown> = {}) {
  const c = await t.citizen();
  const r = await t.request('POST', '/api/cases', { cookie: c.cookie, body: newCaseBody(over) });
  if (r.statusCode !== 201) throw new Error(`submit: ${r.statusCode} ${r.body}`);
  const body = r.json<{ id: string; queryCode: string }>();
  return { id: body.id, queryCode: body.queryCode, citizen: c };
}

/** Runs a staff action and returns the response. */
export function act(t: TestApp, cookie: string, caseId: string, action: string, body: Record<string, unknown> = {}) {
  return t.request('POST', `/api/office/cases/${caseId}/actions/${action}`, { cookie, body });
}

/**
 * A case of 正定县 taken through the office by the demo staff: accepted, assigned to 正定县住房和城乡建设局
 * (130123-zj), signed there and, given `reply`, answered. Returns its id and number.
 */
export async function caseAtCountyHousingBureau(t: TestApp, over: Record<string, unknown>, o: { reply?: string } = {}): Promise<{ id: string; caseNo: string }> {
  const c = await newCase(t, over);
  const handler = await t.staff('zd.handler');
  const steps: [string, string, string, Record<string, unknown>][] = [
    ['zd.acceptor', await t.staff('zd.acceptor'), 'accept', {}],
    ['zd.dispatcher', await t.staff('zd.dispatcher'), 'assign', { unitId: '130123-zj' }],
    ['zd.handler', handler, 'sign', {}],
  ];
  if (o.reply) steps.push(['zd.handler', handler, 'reply', { text: o.reply }]);
  for (const [who, cookie, action, body] of steps) {
    const r = await act(t, cookie, c.id, action, body);
    if (r.statusCode !== 200) throw new Error(`${who} ${action}: ${r.statusCode} ${r.body}`);
  }
  const detail = await t.request('GET', `/api/office/cases/${c.id}`, { cookie: handler });
  return { id: c.id, caseNo: detail.json<{ caseNo: string }>().caseNo };
}

/** A valid body for every staff action (merge needs the earlier case to merge into). */
export function bodyFor(action: StaffAction, intoCaseId: string): Record<string, unknown> {
  switch (action) {
    case 'accept':
    case 'sign':
    case 'approve-extension':
    case 'close':
      return {};
    case 'reject':
      return { reasonCode: 'not_our_authority', guidanceChannel: 'other_authority' };
    case 'assign':
    case 'forward':
      return { unitId: '130123-rs' };
    case 'return':
      return { reason: '该事项属于人社部门职责，不属于本单位职权范围' };
    case 'urge':
    case 'supervise':
      return { message: '请抓紧办理，按期答复信访人' };
    case 'request-extension':
      return { days: 10, reason: '需要现场勘验并协调多个部门' };
    case 'reply':
      return { text: '经核查，已责令有关单位限期整改，特此答复。' };
    case 'review-decision':
      return { outcome: 'upheld', text: '经复查，原处理意见认定事实清楚，予以维持。' };
    case 'merge':
      return { intoCaseId };
    case 'unmerge':
      return { reason: '合并有误：两件反映的不是同一事项' };
    case 'note':
      return { text: '内部批注：已电话联系信访人' };
  }
}
