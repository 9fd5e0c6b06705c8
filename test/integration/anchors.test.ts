/**
 * Daily anchors over all case heads, chained and published; an attacker with database access who
 * rewrites a case and recomputes its whole chain passes the per-case check but not the anchor.
 * And an event that cannot be written fails the whole action, leaving the case as it was.
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
import { anchorRoot, createDailyAnchor, verifyAnchors } from '../../src/services/anchor.service.js';
import { eventHash, genesisHash } from '../../src/domain/event-chain.js';
import { openStore } from '../../src/store/db.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe.each(databases)('daily anchors (%s)', (kind) => {
  let t: TestApp;
  const ids: string[] = [];
  const db = () => t.ctx.store.db;

  beforeAll(async () => {
    t = await startTestApp(kind);
    const acceptor = await t.staff('zd.acceptor');
    for (let i = 0; i < 4; i++) {
      const { id } = await newCase(t, { title: `锚点测试 ${i}` });
      expect((await act(t, acceptor, id, 'accept')).statusCode).toBe(200);
      ids.push(id);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  /** Rewrites one event's payload and recomputes every later hash and the head, as a careful forger would. */
  async function forgeWholeChain(caseId: string, seq: number, replace: [string, string]) {
    const evs = await db().selectFrom('case_event').selectAll().where('case_id', '=', caseId).orderBy('seq').execute();
    let prev = genesisHash;
    for (const e of evs) {
      const payload = Number(e.seq) === seq ? e.payload.replace(replace[0], replace[1]) : e.payload;
      const hash = eventHash(prev, { caseId, seq: Number(e.seq), type: e.type, actorKind: e.actor_kind, actorId: e.actor_id, actorUnitId: e.actor_unit_id, at: e.at, visibility: e.visibility, payload });
      await db().updateTable('case_event').set({ payload, prev_hash: prev, hash }).where('case_id', '=', caseId).where('seq', '=', e.seq).execute();
      prev = hash;
    }
    await db().updateTable('case_file').set({ head_hash: prev }).where('id', '=', caseId).execute();
  }

  it('anchors every case head, chained day to day, idempotent per date, and published', async () => {
    const a1 = await createDailyAnchor(t.ctx, '2026-03-02');
    expect(a1.created).toBe(true);
    expect(a1.anchor).toMatchObject({ caseCount: 4, prevHash: genesisHash });
    const heads = await db().selectFrom('case_file').select(['id', 'head_hash']).execute();
    expect(a1.anchor.root).toBe(anchorRoot(heads.map((h) => ({ caseId: h.id, headHash: h.head_hash }))));
    expect((await createDailyAnchor(t.ctx, '2026-03-02')).created).toBe(false);
    // New events after the anchor are fine: the anchor covers the heads as they were.
    const dispatcher = await t.staff('zd.dispatcher');
    expect((await act(t, dispatcher, ids[0]!, 'assign', { unitId: '130123-zj' })).statusCode).toBe(200);
    const a2 = await createDailyAnchor(t.ctx, '2026-03-03');
    expect(a2.anchor.prevHash).toBe(a1.anchor.hash);
    expect(a2.anchor.root).not.toBe(a1.anchor.root);
    expect(await verifyAnchors(t.ctx)).toEqual({ anchors: 2, broken: [] });
    await expect(createDailyAnchor(t.ctx, '2026-03-01')).rejects.toThrow(/更晚日期/);

    const pub = await t.request('GET', '/api/public/anchors?limit=5');
    expect(pub.statusCode).toBe(200);
    const items = pub.json<{ items: { date: string; root: string; caseCount: number; hash: string; prevHash: string }[] }>().items;
    expect(items.map((i) => i.date)).toEqual(['2026-03-03', '2026-03-02']);
    expect(items[0]).toMatchObject({ root: a2.anchor.root, caseCount: 4, prevHash: a1.anchor.hash });
    expect((await t.request('GET', '/api/public/anchors?limit=0')).statusCode).toBe(400);
  });

  it('a case whose whole chain was recomputed passes verifyAll but is named by the anchor', async () => {
    const id = ids[1]!;
    await forgeWholeChain(id, 1, ['{', '{"forged":true,']);
    expect((await verifyAll(t.ctx)).broken).toEqual([]);
    const r = await verifyAnchors(t.ctx);
    expect(r.broken.filter((b) => b.caseId === id).map((b) => b.date).sort()).toEqual(['2026-03-02', '2026-03-03']);
    expect(r.broken.every((b) => b.caseId === id)).toBe(true);
  });

  it('an edited, deleted or reordered anchor breaks the anchor chain', async () => {
    const before = (await verifyAnchors(t.ctx)).broken.length;
    await sql`update audit_anchor set root = ${'0'.repeat(64)} where date = '2026-03-02'`.execute(db());
    const edited = (await verifyAnchors(t.ctx)).broken.filter((b) => b.caseId === null);
    expect(edited.map((b) => b.date)).toContain('2026-03-02');
    expect(edited.some((b) => b.reason.includes('锚点内容与其哈希不符'))).toBe(true);
    await sql`delete from audit_anchor_head where anchor_date = '2026-03-02'`.execute(db());
    await sql`delete from audit_anchor where date = '2026-03-02'`.execute(db());
    const deleted = (await verifyAnchors(t.ctx)).broken;
    expect(deleted).toContainEqual({ date: '2026-03-03', caseId: null, reason: '锚点链断裂：前一锚点哈希不符（锚点被删除、插入或改写）' });
    expect(deleted.length).toBeGreaterThan(0);
    expect(before).toBeGreaterThan(0);
  });

  it('an event that cannot be written fails the whole action and leaves the case unchanged', async () => {
    const { id } = await newCase(t, { title: '事件写入失败测试' });
    const before = await db().selectFrom('case_file').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    if (kind === 'sqlite') {
      await sql`create trigger fail_event before insert on case_event when new.type = 'accepted' begin select raise(abort, 'event store unavailable'); end`.execute(db());
    } else {
      await sql`create function fail_event() returns trigger language plpgsql as $$ begin if new.type = 'accepted' then raise exception 'event store unavailable'; end if; return new; end $$`.execute(db());
      await sql`create trigger fail_event before insert on case_event for each row execute function fail_event()`.execute(db());
    }
    const acceptor = await t.staff('zd.acceptor');
    const r = await act(t, acceptor, id, 'accept');
    expect(r.statusCode).toBeGreaterThanOrEqual(500);
    expect(r.body).not.toContain('event store unavailable');
    const after = await db().selectFrom('case_file').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(after).toEqual(before);
    expect(after.state).toBe('submitted');
    const docs = await db().selectFrom('document').select('id').where('case_id', '=', id).execute();
    expect(docs).toEqual([]);
    const outbox = await db().selectFrom('outbox').select('id').where('case_id', '=', id).where('template', '=', 'case_accepted').execute();
    expect(outbox).toEqual([]);
    await sql`drop trigger fail_event${sql.raw(kind === 'postgres' ? ' on case_event' : '')}`.execute(db());
    expect((await act(t, acceptor, id, 'accept')).statusCode).toBe(200);
  });
});

function cli(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, XINFANG_DATA_DIR: dataDir, XINFANG_DEMO: '1', XINFANG_LOG_LEVEL: 'warn' };
  delete env.XINFANG_DATABASE_URL;
  delete env.XINFANG_DATA_KEY;
  delete env.XINFANG_KEY_FILE;
  delete env.XINFANG_CIPHER;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, env, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('xinfang audit anchor and audit verify, the commands (sqlite)', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-anchor-cli-'));
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('anchors the seeded cases, verifies clean, then names a recomputed chain (exit 1)', async () => {
    expect((await cli(dataDir, 'seed')).code).toBe(0);
    const a = await cli(dataDir, 'audit', 'anchor', '2026-03-02');
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/已生成锚点 2026-03-02：[1-9]\d* 件信访件，根哈希 [0-9a-f]{64}/);
    const ok = await cli(dataDir, 'audit', 'verify');
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain('锚点校验通过：1 个每日锚点');

    const store = openStore(`sqlite:${path.join(dataDir, 'xinfang.db')}`);
    const c = await store.db.selectFrom('case_file').select(['id']).orderBy('event_count', 'desc').executeTakeFirstOrThrow();
    const evs = await store.db.selectFrom('case_event').selectAll().where('case_id', '=', c.id).orderBy('seq').execute();
    let prev = genesisHash;
    for (const e of evs) {
      const payload = Number(e.seq) === 1 ? e.payload.replace(/"[^"]*"/, '"x"') : e.payload;
      const hash = eventHash(prev, { caseId: c.id, seq: Number(e.seq), type: e.type, actorKind: e.actor_kind, actorId: e.actor_id, actorUnitId: e.actor_unit_id, at: e.at, visibility: e.visibility, payload });
      await store.db.updateTable('case_event').set({ payload, prev_hash: prev, hash }).where('case_id', '=', c.id).where('seq', '=', e.seq).execute();
      prev = hash;
    }
    await store.db.updateTable('case_file').set({ head_hash: prev }).where('id', '=', c.id).execute();
    await store.close();
    const bad = await cli(dataDir, 'audit', 'verify');
    expect(bad.code, bad.stdout + bad.stderr).toBe(1);
    expect(bad.stdout).toContain(`锚点不符：2026-03-02 信访件 ${c.id}`);
  });
});
