/**
 * The hash chain holds against someone with database access: cases are built over HTTP, then
 * their events are rewritten, deleted, reordered and truncated with plain SQL, and both
 * verifyAll() and the `xinfang audit verify` command name the broken case and event.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, databases, newCase, startTestApp, type TestApp } from '../support/harness.js';
import { verifyAll } from '../../src/services/audit.service.js';
import { eventHash } from '../../src/domain/event-chain.js';
import { openStore, type Store } from '../../src/store/db.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe.each(databases)('audit verify (%s)', (kind) => {
  let t: TestApp;
  /** Cases with at least five events each, by name. */
  const built: Record<'payload' | 'rehashed' | 'middle' | 'swap' | 'tail' | 'untouched', string> = {
    payload: '',
    rehashed: '',
    middle: '',
    swap: '',
    tail: '',
    untouched: '',
  };
  let shortCase = '';

  const db = () => t.ctx.store.db;
  const eventsOf = (caseId: string) => db().selectFrom('case_event').selectAll().where('case_id', '=', caseId).orderBy('seq').execute();
  const eventCount = async (caseId: string) => Number((await db().selectFrom('case_file').select('event_count').where('id', '=', caseId).executeTakeFirstOrThrow()).event_count);
  const brokenFor = async (caseId: string) => (await verifyAll(t.ctx)).broken.filter((b) => b.caseId === caseId);

  beforeAll(async () => {
    t = await startTestApp(kind);
    const acceptor = await t.staff('zd.acceptor');
    const dispatcher = await t.staff('zd.dispatcher');
    const handler = await t.staff('zd.handler');
    const supervisor = await t.staff('zd.supervisor');
    for (const name of Object.keys(built) as (keyof typeof built)[]) {
      const { id, citizen } = await newCase(t, { title: `审计测试案件 ${name}` });
      for (const [cookie, action, body] of [
        [acceptor, 'accept', {}],
        [dispatcher, 'assign', { unitId: '130123-zj', instructions: '请依法办理' }],
        [handler, 'sign', {}],
        [supervisor, 'urge', { message: '请按期答复' }],
        [handler, 'reply', { text: '经核查，问题已经解决，特此答复。' }],
      ] as const) {
        const r = await act(t, cookie, id, action, body);
        expect(r.statusCode, r.body).toBe(200);
      }
      const m = await t.request('POST', `/api/cases/${id}/messages`, { cookie: citizen.cookie, body: { text: '已收到答复，谢谢' } });
      expect(m.statusCode).toBe(201);
      built[name] = id;
    }
    // A case with a single event (just submitted).
    shortCase = (await newCase(t, { title: '审计测试：刚登记' })).id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('an untampered database verifies clean, counting every case and event', async () => {
    const r = await verifyAll(t.ctx);
    expect(r.broken).toEqual([]);
    expect(r.cases).toBe(7);
    let events = 0;
    for (const id of [...Object.values(built), shortCase]) events += await eventCount(id);
    expect(r.events).toBe(events);
    expect(await eventCount(built.payload)).toBeGreaterThanOrEqual(9);
  });

  it('a rewritten payload is named by case and event', async () => {
    const id = built.payload;
    const target = (await eventsOf(id)).find((e) => e.type === 'replied')!;
    const forged = target.payload.replace('问题已经解决', '问题不属实，不予处理');
    expect(forged).not.toBe(target.payload);
    await sql`update case_event set payload = ${forged} where case_id = ${id} and seq = ${target.seq}`.execute(db());
    expect(await brokenFor(id)).toEqual([{ caseId: id, seq: Number(target.seq), reason: '事件内容与哈希不符（事件被改写）' }]);
  });

  it('a rewritten event whose own hash was recomputed breaks the next link', async () => {
    const id = built.rehashed;
    const e = (await eventsOf(id)).find((x) => x.type === 'assigned')!;
    const payload = e.payload.replace('130123-zj', '130123-rs');
    expect(payload).not.toBe(e.payload);
    const hash = eventHash(e.prev_hash, {
      caseId: e.case_id,
      seq: Number(e.seq),
      type: e.type,
      actorKind: e.actor_kind,
      actorId: e.actor_id,
      actorUnitId: e.actor_unit_id,
      at: e.at,
      visibility: e.visibility,
      payload,
    });
    await db().updateTable('case_event').set({ payload, hash }).where('case_id', '=', id).where('seq', '=', e.seq).execute();
    expect(await brokenFor(id)).toEqual([{ caseId: id, seq: Number(e.seq) + 1, reason: '前一哈希不符（事件被删除、插入或重排）' }]);
  });

  it('a deleted middle event is reported', async () => {
    const id = built.middle;
    await sql`delete from case_event where case_id = ${id} and seq = 4`.execute(db());
    expect(await brokenFor(id)).toEqual([{ caseId: id, seq: 5, reason: '序号不连续：应为 4' }]);
  });

  it('two events swapped in order are reported', async () => {
    const id = built.swap;
    const a = Number((await eventsOf(id)).find((x) => x.type === 'assigned')!.seq);
    const b = Number((await eventsOf(id)).find((x) => x.type === 'signed')!.seq);
    expect(b).toBeGreaterThan(a);
    // Through a free number, as (case_id, seq) is the primary key.
    await db().updateTable('case_event').set({ seq: 1000 }).where('case_id', '=', id).where('seq', '=', a).execute();
    await db().updateTable('case_event').set({ seq: a }).where('case_id', '=', id).where('seq', '=', b).execute();
    await db().updateTable('case_event').set({ seq: b }).where('case_id', '=', id).where('seq', '=', 1000).execute();
    const types = new Map((await eventsOf(id)).map((e) => [Number(e.seq), e.type]));
    expect([types.get(a), types.get(b)]).toEqual(['signed', 'assigned']);
    expect(await brokenFor(id)).toEqual([{ caseId: id, seq: a, reason: '前一哈希不符（事件被删除、插入或重排）' }]);
  });

  it('a deleted last event is caught by the case’s head hash', async () => {
    const id = built.tail;
    const n = await eventCount(id);
    await sql`delete from case_event where case_id = ${id} and seq = ${n}`.execute(db());
    expect(await brokenFor(id)).toEqual([{ caseId: id, seq: n, reason: '案件头哈希与最后一个事件不符（尾部事件被删除）' }]);
  });

  it('verifyAll names exactly the tampered cases, each at its first break, and no other', async () => {
    const r = await verifyAll(t.ctx);
    expect(r.cases).toBe(7);
    expect(new Set(r.broken.map((b) => b.caseId))).toEqual(new Set([built.payload, built.rehashed, built.middle, built.swap, built.tail]));
    expect(r.broken).toHaveLength(5);
    expect(r.broken.map((b) => b.caseId)).not.toContain(built.untouched);
    expect(r.broken.map((b) => b.caseId)).not.toContain(shortCase);
  });
});

/** Runs the real command line against a data directory, as an operator would. */
function cli(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, XINFANG_DATA_DIR: dataDir, XINFANG_DEMO: '1', XINFANG_LOG_LEVEL: 'warn' };
  delete env.XINFANG_DATABASE_URL;
  delete env.XINFANG_DATA_KEY;
  delete env.XINFANG_KEY_FILE;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, env, timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('xinfang audit verify, the command (sqlite data directory)', () => {
  let dataDir: string;
  let store: Store | undefined;

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-audit-cli-'));
  });
  afterAll(async () => {
    await store?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('seeds, verifies clean (exit 0), then names the tampered cases in Chinese (exit 1)', async () => {
    const seeded = await cli(dataDir, 'seed');
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(seeded.stdout).toContain('已载入演示数据');

    const clean = await cli(dataDir, 'audit', 'verify');
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
    expect(clean.stdout).toMatch(/审计校验通过：[1-9]\d* 件信访件，[1-9]\d* 个事件，哈希链完整/);

    store = openStore(`sqlite:${path.join(dataDir, 'xinfang.db')}`);
    const cases = await store.db.selectFrom('case_file').select(['id', 'event_count']).orderBy('event_count', 'desc').execute();
    expect(cases.length).toBeGreaterThanOrEqual(2);
    const [rewritten, truncated] = [cases[0]!, cases[1]!];
    await sql`update case_event set payload = ${'{"forged":true}'} where case_id = ${rewritten.id} and seq = 2`.execute(store.db);
    const last = Number(truncated.event_count);
    await sql`delete from case_event where case_id = ${truncated.id} and seq = ${last}`.execute(store.db);
    await store.close();
    store = undefined;

    const bad = await cli(dataDir, 'audit', 'verify');
    expect(bad.code, bad.stdout + bad.stderr).toBe(1);
    expect(bad.stdout).toContain(`断链：信访件 ${rewritten.id} 第 2 个事件：事件内容与哈希不符（事件被改写）`);
    expect(bad.stdout).toContain(`断链：信访件 ${truncated.id} 第 ${last} 个事件：案件头哈希与最后一个事件不符（尾部事件被删除）`);
    expect(bad.stdout).not.toContain('审计校验通过');
    expect(bad.stdout.trim().split('\n').filter((l) => l.startsWith('断链'))).toHaveLength(2);
  });
});
