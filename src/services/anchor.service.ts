/**
 * Daily anchors: one hash over every case's head (sha256 of the sorted "case_id:head_hash" lines),
 * chained to the previous anchor and published at GET /api/public/anchors. Once a root is
 * published, nobody — not even someone with database access who recomputes a whole case chain —
 * can rewrite an anchored event without the anchor's recorded head no longer matching.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from './context.js';
import { genesisHash } from '../domain/event-chain.js';
import { inTransaction } from '../store/tx.js';

export interface Anchor {
  date: string;
  root: string;
  caseCount: number;
  prevHash: string;
  hash: string;
  createdAt: string;
}

/** sha256 over the sorted "case_id:head_hash" lines. */
export function anchorRoot(heads: { caseId: string; headHash: string }[]): string {
  const lines = heads.map((h) => `${h.caseId}:${h.headHash}`).sort();
  const h = crypto.createHash('sha256');
  for (const l of lines) h.update(l).update('\n');
  return h.digest('hex');
}

/** The anchor's own link: sha256(prev ‖ date ‖ root ‖ count). */
export function anchorHash(prevHash: string, date: string, root: string, count: number): string {
  return crypto.createHash('sha256').update(`${prevHash}\n${date}\n${root}\n${count}`).digest('hex');
}

function toAnchor(r: { date: string; root: string; case_count: number; prev_hash: string; hash: string; created_at: string }): Anchor {
  return { date: r.date, root: r.root, caseCount: Number(r.case_count), prevHash: r.prev_hash, hash: r.hash, createdAt: r.created_at };
}

/**
 * Anchors every case's current head under `date` (YYYY-MM-DD). One anchor per date: a second call
 * for the same date returns the existing one (a scheduler may retry safely).
 */
export async function createDailyAnchor(ctx: AppContext, date: string): Promise<{ anchor: Anchor; created: boolean }> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`日期格式应为 YYYY-MM-DD：${date}`);
  return inTransaction(ctx.store, async (t) => {
    if (t.dialect === 'postgres') await sql`lock table audit_anchor in exclusive mode`.execute(t.tx);
    const existing = await t.tx.selectFrom('audit_anchor').selectAll().where('date', '=', date).executeTakeFirst();
    if (existing) return { anchor: toAnchor(existing), created: false };
    const last = await t.tx.selectFrom('audit_anchor').selectAll().orderBy('date', 'desc').limit(1).executeTakeFirst();
    if (last && last.date > date) throw new Error(`已有更晚日期 ${last.date} 的锚点，不能补建 ${date}`);
    const heads = await t.tx.selectFrom('case_file').select(['id', 'head_hash', 'event_count']).execute();
    const root = anchorRoot(heads.map((h) => ({ caseId: h.id, headHash: h.head_hash })));
    const prevHash = last?.hash ?? genesisHash;
    const row = {
      date,
      root,
      case_count: heads.length,
      prev_hash: prevHash,
      hash: anchorHash(prevHash, date, root, heads.length),
      created_at: ctx.clock.now().toISOString(),
    };
    await t.tx.insertInto('audit_anchor').values(row).execute();
    for (let i = 0; i < heads.length; i += 500) {
      await t.tx
        .insertInto('audit_anchor_head')
        .values(heads.slice(i, i + 500).map((h) => ({ anchor_date: date, case_id: h.id, event_count: Number(h.event_count), head_hash: h.head_hash })))
        .execute();
    }
    return { anchor: toAnchor(row), created: true };
  });
}

/** The latest anchors, newest first, for the public page. */
export async function latestAnchors(ctx: AppContext, limit: number): Promise<Anchor[]> {
  const rows = await ctx.store.db.selectFrom('audit_anchor').selectAll().orderBy('date', 'desc').limit(limit).execute();
  return rows.map(toAnchor);
}

export interface AnchorBreak {
  date: string;
  caseId: string | null;
  reason: string;
}

/**
 * Checks the anchor chain, each anchor's root against its recorded heads, and each recorded head
 * against the event now stored at that position: a case rewritten after the anchor is named.
 */
export async function verifyAnchors(ctx: AppContext): Promise<{ anchors: number; broken: AnchorBreak[] }> {
  const db = ctx.store.db;
  const anchors = await db.selectFrom('audit_anchor').selectAll().orderBy('date').execute();
  const broken: AnchorBreak[] = [];
  let prev = genesisHash;
  for (const a of anchors) {
    if (a.prev_hash !== prev) broken.push({ date: a.date, caseId: null, reason: '锚点链断裂：前一锚点哈希不符（锚点被删除、插入或改写）' });
    if (anchorHash(a.prev_hash, a.date, a.root, Number(a.case_count)) !== a.hash) broken.push({ date: a.date, caseId: null, reason: '锚点内容与其哈希不符（锚点被改写）' });
    prev = a.hash;
    const heads = await db.selectFrom('audit_anchor_head').selectAll().where('anchor_date', '=', a.date).execute();
    if (heads.length !== Number(a.case_count) || anchorRoot(heads.map((h) => ({ caseId: h.case_id, headHash: h.head_hash }))) !== a.root) {
      broken.push({ date: a.date, caseId: null, reason: '锚点记录的案件头哈希与根哈希不符（锚点明细被改写）' });
    }
    const now = await sql<{ case_id: string; seq: number; hash: string | null }>`
      select h.case_id, h.event_count as seq, e.hash
      from audit_anchor_head h
      left join case_event e on e.case_id = h.case_id and e.seq = h.event_count
      where h.anchor_date = ${a.date}`.execute(db);
    const expected = new Map(heads.map((h) => [h.case_id, h.head_hash]));
    for (const r of now.rows) {
      const want = expected.get(r.case_id);
      if (Number(r.seq) === 0) continue;
      if (r.hash !== want) {
        broken.push({ date: a.date, caseId: r.case_id, reason: r.hash === null ? `锚定的第 ${r.seq} 个事件已不存在` : `锚定后第 ${r.seq} 个事件及之前的历史被改写（与 ${a.date} 锚点不符）` });
      }
    }
  }
  return { anchors: anchors.length, broken };
}
