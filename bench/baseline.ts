/**
 * The baseline the product is measured against: bare fastify + better-sqlite3, one table, the same
 * pragmas as the product's store (WAL, synchronous=FULL). GET /t/:code is a primary-key read that
 * returns the row as JSON; POST /s is a durable insert (one autocommit transaction, fsync'd) of the
 * JSON body. No validation, no sessions, no encryption: the floor of what this stack can do here.
 *
 * Env: BASELINE_DB (file, recreated), BASELINE_CODES (one key a line, preloaded), BASELINE_PORT.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import Fastify from 'fastify';
import SQLite from 'better-sqlite3';

const file = process.env.BASELINE_DB;
const codesFile = process.env.BASELINE_CODES;
const port = Number(process.env.BASELINE_PORT ?? 0);
if (!file || !codesFile) throw new Error('BASELINE_DB and BASELINE_CODES are required');

for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
const db = new SQLite(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec(`create table item (
  code text primary key,
  title text not null,
  state text not null,
  submitted_at text not null,
  content text not null
)`);

// Preload one row per query code in one transaction (loading is not measured).
const codes = fs.readFileSync(codesFile, 'utf8').split('\n').filter(Boolean);
const insert = db.prepare('insert into item (code, title, state, submitted_at, content) values (?, ?, ?, ?, ?)');
const at = new Date().toISOString();
db.transaction(() => {
  for (const c of codes) insert.run(c, '建筑工地拖欠工资', 'submitted', at, '本人在工地务工三个月，工资一万元至今未付，多次讨要无果，请求处理。');
})();
db.pragma('wal_checkpoint(TRUNCATE)');

const read = db.prepare('select * from item where code = ?');

const app = Fastify({ logger: false });
app.get<{ Params: { code: string } }>('/t/:code', async (req, reply) => {
  const row = read.get(req.params.code);
  if (!row) return reply.status(404).send({ error: 'not found' });
  return row;
});
app.post<{ Body: { title?: string; content?: string } }>('/s', async (req, reply) => {
  const code = crypto.randomUUID();
  insert.run(code, String(req.body.title ?? ''), 'submitted', new Date().toISOString(), String(req.body.content ?? ''));
  return reply.status(201).send({ code });
});

const close = () => {
  void app.close().then(() => {
    db.close();
    process.exit(0);
  });
};
process.on('SIGTERM', close);
process.on('SIGINT', close);

await app.listen({ port, host: '127.0.0.1' });
console.log(`baseline listening on 127.0.0.1:${port} with ${codes.length} rows`);
