/** xinfang: serve, migrate, seed, audit verify. */
import { loadConfig } from '../config.js';
import { openStore, migrate } from '../store/db.js';
import { optimizeStore } from '../store/optimize.js';
import { loadKeyring } from '../security/field-crypto.js';
import { auditAnchorCommand, backupCommand, keysRotateCommand, reportAnchors, restoreCommand } from './integrity-commands.js';
import { createContext } from '../services/context.js';
import { seedDemo, seedUnits } from '../services/seed.service.js';
import { buildApp } from '../http/app.js';
import { verifyAll } from '../services/audit.service.js';
import { calendarYearSchema } from '../services/calendar.service.js';
import fs from 'node:fs';
import path from 'node:path';
import { printOutbox, startBackground } from '../jobs/runtime.js';
import { importIcs, importYearAndRecompute } from '../services/calendar-admin.service.js';
import { rebuildTracking } from '../services/tracking.service.js';
import { buildStatsRollups, offlineBuild, rebuildStatsRollups } from '../services/stats-rollup.service.js';

async function boot() {
  const config = loadConfig();
  const store = openStore(config.databaseUrl, { walCheckpointer: true });
  await migrate(store);
  await optimizeStore(store, 'startup');
  const ctx = await createContext(config, store, loadKeyring(process.env, config.dataDir));
  await seedUnits(ctx);
  // Cases whose tracking projection is missing or of an older format (after a change to the view).
  const rebuilt = await rebuildTracking(ctx, ctx.store.db);
  if (rebuilt > 0) console.log(`已重建 ${rebuilt} 件信访件的查询视图`);
  return ctx;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, sub] = argv;
  switch (cmd) {
    case undefined:
    case 'serve': {
      const ctx = await boot();
      if (ctx.config.demoData && (await seedDemo(ctx))) console.log('已载入演示数据（演示账号见 README）');
      const app = await buildApp(ctx, { logger: true });
      const background = await startBackground(ctx);
      const close = async () => {
        await background.stop();
        await app.close();
        await ctx.store.close();
        process.exit(0);
      };
      process.on('SIGINT', () => void close());
      process.on('SIGTERM', () => void close());
      await app.listen({ port: ctx.config.port, host: ctx.config.host });
      console.log(`Xinfang 已启动：http://localhost:${ctx.config.port}  数据库：${ctx.store.dialect}  接口文档：/api/docs`);
      return -1;
    }
    case 'jobs': {
      // The scheduler alone, e.g. beside servers started with XINFANG_JOBS=0; safe to run several on PostgreSQL.
      const ctx = await boot();
      const background = await startBackground(ctx, process.env, true);
      const stop = async () => {
        await background.stop();
        await ctx.store.close();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop());
      process.on('SIGTERM', () => void stop());
      return -1;
    }
    case 'outbox': {
      const ctx = await boot();
      await printOutbox(ctx, sub);
      await ctx.store.close();
      return 0;
    }
    case 'migrate': {
      const ctx = await boot();
      console.log('迁移完成');
      await ctx.store.close();
      return 0;
    }
    case 'seed': {
      const ctx = await boot();
      console.log((await seedDemo(ctx)) ? '已载入演示数据' : '演示数据已存在');
      await ctx.store.close();
      return 0;
    }
    case 'audit': {
      if (sub === 'anchor') {
        const ctx = await boot();
        const code = await auditAnchorCommand(ctx, argv[2]);
        await ctx.store.close();
        return code;
      }
      if (sub !== 'verify') break;
      const ctx = await boot();
      const r = await verifyAll(ctx);
      const anchorBreaks = await reportAnchors(ctx);
      await ctx.store.close();
      if (anchorBreaks > 0 && r.broken.length === 0) return 1;
      if (r.broken.length === 0) {
        console.log(`审计校验通过：${r.cases} 件信访件，${r.events} 个事件，哈希链完整`);
        return 0;
      }
      for (const b of r.broken) console.log(`断链：信访件 ${b.caseId} 第 ${b.seq} 个事件：${b.reason}`);
      return 1;
    }
    case 'calendar': {
      const file = argv[2];
      if (sub !== 'import' || !file) break;
      // JSON as calendarYearSchema, or an .ics calendar with the year to take from it.
      if (/\.ics$/i.test(file)) {
        const year = Number(argv[3]);
        if (!Number.isInteger(year) || year < 2000 || year > 2100) {
          console.error('用法：xinfang calendar import <文件.ics> <年份>，例如 2027');
          return 2;
        }
        const ctx = await boot();
        try {
          const r = await importIcs(ctx, year, argv[4] ?? `日历文件 ${path.basename(file)}`, fs.readFileSync(file, 'utf8'));
          console.log(`已导入 ${year} 年工作日历：${r.days} 个调整日（其他年份 ${r.ignoredDays} 天未导入），${r.summary.moved} 件在办信访件期限已重算`);
        } catch (err) {
          console.error(err instanceof Error ? err.message : String(err));
          return 2;
        } finally {
          await ctx.store.close();
        }
        return 0;
      }
      const parsed = calendarYearSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
      if (!parsed.success) {
        console.error(`日历文件格式不正确：${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('；')}`);
        return 2;
      }
      const ctx = await boot();
      const r = await importYearAndRecompute(ctx, parsed.data);
      console.log(`已导入 ${r.year} 年工作日历：${r.days} 个调整日，${r.summary.moved} 件在办信访件期限已重算`);
      await ctx.store.close();
      return 0;
    }
    case 'keys': {
      if (sub !== 'rotate') break;
      const ctx = await boot();
      const code = await keysRotateCommand(ctx);
      await ctx.store.close();
      return code;
    }
    case 'stats': {
      // stats build: finish the rollups' build from where it stopped; stats rebuild: empty them and build again.
      // Both in large chunks (offlineBuild): a server's writes on the same database wait for each, seconds.
      if (sub !== 'build' && sub !== 'rebuild') break;
      const ctx = await boot();
      const started = Date.now();
      if (sub === 'rebuild') {
        const r = await rebuildStatsRollups(ctx, offlineBuild);
        console.log(`统计汇总已重建：${r.cases} 件，${r.rows} 行，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒`);
      } else {
        const r = await buildStatsRollups(ctx, offlineBuild);
        console.log(`统计汇总已构建：本次 ${r.cases} 件，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒`);
      }
      await ctx.store.close();
      return 0;
    }
    case 'backup':
      return backupCommand(loadConfig(), sub);
    case 'restore':
      return restoreCommand(loadConfig(), sub);
    default:
      break;
  }
  console.error('用法：xinfang [serve|migrate|seed|audit verify|audit anchor [日期]|keys rotate|backup <文件>|restore <文件>|calendar import <file.json | file.ics 年份>|jobs|outbox [list|failed|sink]|stats build|stats rebuild]');
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    // exitCode, not exit(): a pipe must drain before the process ends.
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
