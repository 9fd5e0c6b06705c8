/**
 * node --import tsx bench/explain-queues.ts <xinfang.db> [user …]
 * Runs the office's queue reads (workbench counts, queue pages, filters, search) as the given staff
 * against a data file, printing each SQL statement's time and SQLite's EXPLAIN QUERY PLAN.
 */
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { loadConfig } from '../src/config.js';
import type { Database } from '../src/store/schema.js';
import { createContext } from '../src/services/context.js';
import { staffPrincipal } from '../src/services/seed.service.js';
import { workbench } from '../src/services/workbench.service.js';
import { queue } from '../src/services/office.service.js';

const file = process.argv[2];
if (!file) throw new Error('usage: explain-queues.ts <xinfang.db> [user …]');
const users = process.argv.slice(3).length ? process.argv.slice(3) : ['prov.acceptor', 'sjz.acceptor', 'zd.acceptor'];
const raw = new SQLite(file, { readonly: true });
raw.pragma('cache_size = -65536');
const plans = process.env.PLANS !== '0';
const db = new Kysely<Database>({
  dialect: new SqliteDialect({ database: raw }),
  log: (e) => {
    if (e.level !== 'query') return;
    const text = e.query.sql;
    console.log(`    ${e.queryDurationMillis.toFixed(1)} ms  ${text.replace(/\s+/g, ' ').slice(0, plans ? 400 : 160)}`);
    if (plans && !/^select \* from "unit"|calendar/.test(text)) {
      for (const r of raw.prepare(`explain query plan ${text}`).all(...(e.query.parameters as unknown[])) as { detail: string }[]) console.log(`        | ${r.detail}`);
    }
  },
});
const config = loadConfig({ XINFANG_DATA_DIR: '/tmp/queue4-scratch', XINFANG_DEMO: '0' });
const ctx = await createContext(config, { db, dialect: 'sqlite', close: () => db.destroy() }, Buffer.alloc(32));
const only = process.env.ONLY?.split(',');
for (const u of users) {
  const p = await staffPrincipal(ctx, u);
  const run = async (name: string, f: () => Promise<unknown>) => {
    if (only && !only.includes(name)) return;
    console.log(`${u} ${name}`);
    const t = performance.now();
    await f();
    console.log(`  = ${(performance.now() - t).toFixed(1)} ms`);
  };
  const base = { page: 1, pageSize: 20 };
  await run('workbench', () => workbench(ctx, p));
  await run('accept', () => queue(ctx, p, { ...base, queue: 'accept', sort: 'due' }));
  await run('accept-deep', () => queue(ctx, p, { ...base, page: 50, queue: 'accept', sort: 'due' }));
  await run('due_soon', () => queue(ctx, p, { ...base, queue: 'due_soon', sort: 'due' }));
  await run('overdue', () => queue(ctx, p, { ...base, queue: 'overdue', sort: 'due' }));
  await run('handling', () => queue(ctx, p, { ...base, queue: 'handling', sort: 'due' }));
  await run('category', () => queue(ctx, p, { ...base, category: 'labour', sort: '-submitted' }));
  await run('region', () => queue(ctx, p, { ...base, region: '130123', sort: '-submitted' }));
  await run('unit', () => queue(ctx, p, { ...base, unit: '130123-xfj', sort: '-submitted' }));
  await run('target', () => queue(ctx, p, { ...base, target: 'mailbox:130100', sort: '-submitted' }));
  await run('q-common', () => queue(ctx, p, { ...base, q: '工资', sort: '-submitted' }));
  await run('q-rare', () => queue(ctx, p, { ...base, q: '高铁站', sort: '-submitted' }));
}
await db.destroy();
