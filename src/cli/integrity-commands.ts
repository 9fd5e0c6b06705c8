/** xinfang audit anchor | keys rotate | backup <file> | restore <file>. */
import type { Config } from '../config.js';
import type { AppContext } from '../services/context.js';
import { createDailyAnchor, verifyAnchors } from '../services/anchor.service.js';
import { reencryptAll } from '../services/keys.service.js';
import { backupDatabase, restoreDatabase } from '../services/backup.service.js';
import { addRotatedKey, FieldCrypto, loadKeyring } from '../security/field-crypto.js';

/** Today's date in China (UTC+8), the day an anchor is named after. */
export function chinaDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export async function auditAnchorCommand(ctx: AppContext, date?: string): Promise<number> {
  const { anchor, created } = await createDailyAnchor(ctx, date ?? chinaDate(ctx.clock.now()));
  console.log(`${created ? '已生成' : '已存在'}锚点 ${anchor.date}：${anchor.caseCount} 件信访件，根哈希 ${anchor.root}，锚点哈希 ${anchor.hash}`);
  return 0;
}

/** Prints anchor breaks; returns how many. */
export async function reportAnchors(ctx: AppContext): Promise<number> {
  const r = await verifyAnchors(ctx);
  for (const b of r.broken) console.log(`锚点不符：${b.date}${b.caseId ? ` 信访件 ${b.caseId}` : ''}：${b.reason}`);
  if (r.broken.length === 0) console.log(`锚点校验通过：${r.anchors} 个每日锚点`);
  return r.broken.length;
}

export async function keysRotateCommand(ctx: AppContext): Promise<number> {
  const ring = loadKeyring(process.env, ctx.config.dataDir);
  const id = addRotatedKey(process.env, ctx.config.dataDir, ring);
  ctx.crypto = new FieldCrypto(ring);
  const r = await reencryptAll(ctx);
  for (const c of r.columns) console.log(`${c.table}.${c.column}：重新加密 ${c.rewritten} 条`);
  console.log(`已启用 ${id} 号密钥（${ctx.crypto.currentTag}），共重新加密 ${r.total} 条。1 号密钥保留为查询哈希密钥；运行中的服务需重启以使用新密钥。`);
  return 0;
}

export async function backupCommand(config: Config, file: string | undefined): Promise<number> {
  if (!file) {
    console.error('用法：xinfang backup <文件>');
    return 2;
  }
  const r = await backupDatabase(config.databaseUrl, file);
  console.log(`已备份 ${r.kind} 数据库到 ${file}（${r.bytes} 字节）。请另行妥善保管数据密钥（密钥文件或 XINFANG_DATA_KEY），备份中不含密钥。`);
  return 0;
}

export async function restoreCommand(config: Config, file: string | undefined): Promise<number> {
  if (!file) {
    console.error('用法：xinfang restore <文件>');
    return 2;
  }
  const r = await restoreDatabase(config.databaseUrl, file);
  console.log(`已从 ${file} 恢复 ${r.kind} 数据库。请运行 xinfang audit verify 校验审计链。`);
  return 0;
}
