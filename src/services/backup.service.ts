/**
 * Backup and restore. SQLite: better-sqlite3's online backup API (consistent while the service
 * runs). PostgreSQL: pg_dump (custom format) and pg_restore from PATH. The data key is NOT in
 * the backup — keep the key file (or XINFANG_DATA_KEY) safe separately, or the personal data in a
 * restored database cannot be read (the audit chain still verifies without it).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';

function sqliteFile(url: string): string {
  return path.resolve(url.replace(/^sqlite:(\/\/)?/, ''));
}

const isPostgres = (url: string) => /^postgres(ql)?:\/\//.test(url);

/** Finds a PostgreSQL client tool on PATH (pg_dump, pg_restore), or null. */
export function findTool(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}

/** Writes a backup of the database at `url` to `file` (which must not exist). */
export async function backupDatabase(url: string, file: string): Promise<{ kind: 'sqlite' | 'postgres'; bytes: number }> {
  const out = path.resolve(file);
  if (fs.existsSync(out)) throw new Error(`备份文件已存在，不会覆盖：${out}`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  if (isPostgres(url)) {
    const tool = findTool('pg_dump');
    if (!tool) throw new Error('未找到 pg_dump：请安装 PostgreSQL 客户端工具（postgresql-client）并放入 PATH');
    const r = spawnSync(tool, ['--format=custom', '--no-owner', '--no-privileges', '--file', out, '--dbname', url], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`pg_dump 失败：${(r.stderr || r.error?.message || '').trim()}`);
    return { kind: 'postgres', bytes: fs.statSync(out).size };
  }
  const src = sqliteFile(url);
  if (!fs.existsSync(src)) throw new Error(`数据库文件不存在：${src}`);
  const db = new SQLite(src, { readonly: true, fileMustExist: true });
  try {
    await db.backup(out);
  } finally {
    db.close();
  }
  return { kind: 'sqlite', bytes: fs.statSync(out).size };
}

/** Restores `file` into the database at `url`, which must be empty (no SQLite file / no tables). */
export async function restoreDatabase(url: string, file: string): Promise<{ kind: 'sqlite' | 'postgres' }> {
  const src = path.resolve(file);
  if (!fs.existsSync(src)) throw new Error(`备份文件不存在：${src}`);
  if (isPostgres(url)) {
    const tool = findTool('pg_restore');
    if (!tool) throw new Error('未找到 pg_restore：请安装 PostgreSQL 客户端工具（postgresql-client）并放入 PATH');
    const { default: pg } = await import('pg');
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const r = await c.query<{ n: string }>(`select count(*) as n from information_schema.tables where table_schema = 'public'`);
      if (Number(r.rows[0]?.n ?? 0) > 0) throw new Error('目标 PostgreSQL 数据库不是空库，拒绝恢复（请新建空库）');
    } finally {
      await c.end();
    }
    const r = spawnSync(tool, ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', '--dbname', url, src], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`pg_restore 失败：${(r.stderr || r.error?.message || '').trim()}`);
    return { kind: 'postgres' };
  }
  const dest = sqliteFile(url);
  if (fs.existsSync(dest) && fs.statSync(dest).size > 0) throw new Error(`目标数据库文件已存在，拒绝覆盖：${dest}`);
  const check = new SQLite(src, { readonly: true, fileMustExist: true });
  try {
    const ok = check.pragma('integrity_check', { simple: true });
    if (ok !== 'ok') throw new Error(`备份文件校验失败：${String(ok)}`);
  } finally {
    check.close();
  }
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.copyFileSync(src, dest, fs.constants.COPYFILE_EXCL);
  return { kind: 'sqlite' };
}
