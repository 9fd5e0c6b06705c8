/**
 * Backup and restore: SQLite through the online backup API, PostgreSQL through pg_dump/pg_restore.
 * A backup restored into a fresh location opens, verifies its whole audit chain (and anchors), and
 * still decrypts personal data with the same key.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, databases, newCase, startTestApp, type TestApp } from '../support/harness.js';
import { verifyAll } from '../../src/services/audit.service.js';
import { createDailyAnchor, verifyAnchors } from '../../src/services/anchor.service.js';
import { backupDatabase, findTool, restoreDatabase } from '../../src/services/backup.service.js';
import { openStore } from '../../src/store/db.js';
import { createContext } from '../../src/services/context.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pgToolsMissing = !findTool('pg_dump') || !findTool('pg_restore');

describe.each(databases)('backup and restore (%s)', (kind) => {
  let t: TestApp;
  let dir: string;
  const cleanups: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    t = await startTestApp(kind);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-backup-'));
    const acceptor = await t.staff('zd.acceptor');
    for (let i = 0; i < 3; i++) {
      const { id } = await newCase(t, { title: `备份测试 ${i}` });
      expect((await act(t, acceptor, id, 'accept')).statusCode).toBe(200);
    }
    await createDailyAnchor(t.ctx, '2026-03-02');
  });
  afterAll(async () => {
    for (const c of cleanups) await c();
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function freshTarget(): Promise<string> {
    if (kind === 'sqlite') return `sqlite:${path.join(dir, 'restored', 'xinfang.db')}`;
    const admin = process.env.XINFANG_TEST_PG!;
    const name = `xf_r_${crypto.randomBytes(6).toString('hex')}`;
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`create database ${name}`);
    await c.end();
    cleanups.push(async () => {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`drop database if exists ${name} with (force)`);
      await d.end();
    });
    const u = new URL(admin);
    u.pathname = `/${name}`;
    return u.toString();
  }

  it.skipIf(kind === 'postgres' && pgToolsMissing)('backs up, restores into an empty database, and the audit chain verifies', async () => {
    const file = path.join(dir, kind === 'sqlite' ? 'xinfang.backup.db' : 'xinfang.pgdump');
    const b = await backupDatabase(t.ctx.config.databaseUrl, file);
    expect(b.kind).toBe(kind);
    expect(b.bytes).toBeGreaterThan(1000);
    await expect(backupDatabase(t.ctx.config.databaseUrl, file)).rejects.toThrow(/已存在/);

    const target = await freshTarget();
    await restoreDatabase(target, file);
    // Never over a database that has data.
    await expect(restoreDatabase(target, file)).rejects.toThrow(/拒绝/);

    const store = openStore(target);
    try {
      const ctx = await createContext(t.ctx.config, store, crypto.randomBytes(32));
      const original = await verifyAll(t.ctx);
      const restored = await verifyAll(ctx);
      expect(restored.broken).toEqual([]);
      expect(restored.cases).toBe(original.cases);
      expect(restored.events).toBe(original.events);
      expect(restored.cases).toBeGreaterThanOrEqual(3);
      expect(await verifyAnchors(ctx)).toEqual({ anchors: 1, broken: [] });
      // With the original key the personal data reads back.
      const row = await store.db.selectFrom('case_file').select('petitioner_name_enc').limit(1).executeTakeFirstOrThrow();
      expect(t.ctx.crypto.decrypt(row.petitioner_name_enc!)).toBe('王小明');
    } finally {
      await store.close();
    }
  });

  it.runIf(kind === 'postgres' && pgToolsMissing)('PostgreSQL backup skipped: pg_dump / pg_restore not on PATH', () => {
    expect(pgToolsMissing).toBe(true);
  });
});

function cli(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, env, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('xinfang backup / restore, the commands (sqlite)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-backup-cli-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('seeds, backs up, restores into a new data directory, and audit verify passes there', async () => {
    const base: NodeJS.ProcessEnv = { ...process.env, XINFANG_DEMO: '1', XINFANG_LOG_LEVEL: 'warn' };
    delete base.XINFANG_DATABASE_URL;
    delete base.XINFANG_DATA_KEY;
    delete base.XINFANG_KEY_FILE;
    const a = { ...base, XINFANG_DATA_DIR: path.join(dir, 'a') };
    const b = { ...base, XINFANG_DATA_DIR: path.join(dir, 'b'), XINFANG_KEY_FILE: path.join(dir, 'a', 'keys', 'data.key') };
    expect((await cli(a, 'seed')).code).toBe(0);
    const file = path.join(dir, 'backup.db');
    const bk = await cli(a, 'backup', file);
    expect(bk.code, bk.stderr).toBe(0);
    expect(bk.stdout).toContain('已备份 sqlite 数据库');
    const rs = await cli(b, 'restore', file);
    expect(rs.code, rs.stderr).toBe(0);
    const v = await cli(b, 'audit', 'verify');
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.stdout).toMatch(/审计校验通过：[1-9]\d* 件信访件/);
    const again = await cli(b, 'restore', file);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('拒绝覆盖');
  }, 240_000);
});
