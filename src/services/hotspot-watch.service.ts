/**
 * Hotspot watch (热点推送): after new cases arrive, the counties they came from are clustered again
 * (hotspot.service's clustering, over the last XINFANG_HOTSPOT_DAYS days, default 30); a cluster of
 * at least XINFANG_HOTSPOT_MIN different petitioners (default 3) that is new, or has more
 * petitioners than when last told (the counties with cases submitted at or after the last pass are
 * looked at again; a cluster that has not changed sends nothing), is sent as an in-app message to the supervisors of the bureaus
 * covering the county (the county's and its city's) — once per change of the cluster. Denunciations
 * are left out: their text must not reach the units they may accuse.
 */
import crypto from 'node:crypto';
import type { AppContext } from './context.js';
import { today } from './deadlines.js';
import { caseNumber } from './case.service.js';
import { clusterCases, topWords, type TextCase } from './hotspot.service.js';
import { inTransaction } from '../store/tx.js';
import { enqueue } from '../store/outbox.repository.js';
import { addDays } from '../domain/calendar.js';
import { similarityTokens } from '../domain/similarity.js';

export interface HotspotWatchResult {
  regions: number;
  formed: number;
  grew: number;
}

function settings() {
  const days = Number(process.env.XINFANG_HOTSPOT_DAYS ?? 30);
  const min = Number(process.env.XINFANG_HOTSPOT_MIN ?? 3);
  return { days: Number.isInteger(days) && days > 0 ? days : 30, min: Number.isInteger(min) && min >= 2 ? min : 3 };
}

/** The supervisors of the bureaus covering a county: the county's bureau and its city's. */
async function supervisorsFor(ctx: AppContext, region: string): Promise<string[]> {
  const bureaus = [...new Set([ctx.units.bureauFor(region), ctx.units.bureauFor(`${region.slice(0, 4)}00`)].filter((b) => b !== undefined).map((b) => b.id))];
  if (bureaus.length === 0) return [];
  const rows = await ctx.store.db.selectFrom('account').select(['id', 'roles']).where('kind', '=', 'staff').where('disabled', '=', 0).where('unit_id', 'in', bureaus).execute();
  return rows.filter((r) => (JSON.parse(r.roles) as string[]).includes('supervisor')).map((r) => r.id);
}

/** One pass: the counties with cases submitted since the last pass. */
export async function watchHotspots(ctx: AppContext): Promise<HotspotWatchResult> {
  const db = ctx.store.db;
  const { days, min } = settings();
  const state = await db.selectFrom('hotspot_watch').select('last_submitted_at').where('id', '=', 1).executeTakeFirst();
  const since = state?.last_submitted_at ?? '';
  const fresh = await db
    .selectFrom('case_file')
    .select(['region_code', (eb) => eb.fn.max('submitted_at').as('last')])
    .where('submitted_at', '>=', since)
    .groupBy('region_code')
    .execute();
  const result: HotspotWatchResult = { regions: fresh.length, formed: 0, grew: 0 };
  if (fresh.length === 0) return result;
  const d = today(ctx);
  const from = addDays(d, -(days - 1));
  for (const { region_code: region } of fresh) {
    const rows: TextCase[] = (
      await db
        .selectFrom('case_file')
        .select(['id', 'seq_no', 'received_date', 'title', 'content', 'region_code', 'petitioner_id', 'state'])
        .where('region_code', '=', region)
        .where('received_date', '>=', from)
        .where('received_date', '<=', d)
        .where('state', '!=', 'merged')
        .where('is_denunciation', '=', 0)
        .orderBy('received_date', 'desc')
        .orderBy('seq_no', 'desc')
        .limit(3000)
        .execute()
    ).map((r) => ({ ...r, seq_no: Number(r.seq_no) }));
    const clusters = clusterCases(rows).filter((c) => c.petitioners.size >= min);
    if (clusters.length === 0) continue;
    const recipients = await supervisorsFor(ctx, region);
    await inTransaction(ctx.store, async (t) => {
      const stored = (await t.tx.selectFrom('hotspot_cluster').selectAll().where('region', '=', region).execute()).map((s) => ({ ...s, ids: new Set(JSON.parse(s.case_ids) as string[]) }));
      const at = ctx.clock.now().toISOString();
      for (const c of clusters) {
        const ids = c.members.map((m) => m.id);
        // The stored cluster sharing most cases is the same cluster, grown or not.
        let match: (typeof stored)[number] | undefined;
        let overlap = 0;
        for (const s of stored) {
          const k = ids.filter((id) => s.ids.has(id)).length;
          if (k > overlap) {
            overlap = k;
            match = s;
          }
        }
        const words = topWords(c.members.map((m) => similarityTokens(m.title, m.content)), 8);
        let change: 'formed' | 'grew' | null = null;
        if (!match) {
          change = 'formed';
          const id = crypto.randomUUID();
          await t.tx.insertInto('hotspot_cluster').values({ id, region, case_ids: JSON.stringify(ids), petitioners: c.petitioners.size, words: JSON.stringify(words), created_at: at, updated_at: at }).execute();
          stored.push({ id, region, case_ids: JSON.stringify(ids), petitioners: c.petitioners.size, words: JSON.stringify(words), created_at: at, updated_at: at, ids: new Set(ids) });
        } else {
          if (c.petitioners.size > Number(match.petitioners)) change = 'grew';
          const petitioners = Math.max(c.petitioners.size, Number(match.petitioners));
          await t.tx.updateTable('hotspot_cluster').set({ case_ids: JSON.stringify(ids), petitioners, words: JSON.stringify(words), updated_at: at }).where('id', '=', match.id).execute();
          match.ids = new Set(ids);
          match.petitioners = petitioners;
        }
        if (!change) continue;
        if (change === 'formed') result.formed++;
        else result.grew++;
        const newest = c.members[0]!;
        const payload = {
          regionName: ctx.units.get(region)?.name ?? region,
          petitioners: c.petitioners.size,
          cases: ids.length,
          words: words.slice(0, 5).join('、'),
          caseNo: caseNumber(newest),
          title: newest.title,
        };
        for (const accountId of recipients) {
          await enqueue(t, { channel: 'inapp', recipientEnc: ctx.crypto.encrypt(`account:${accountId}`), template: change === 'formed' ? 'hotspot_formed' : 'hotspot_grew', payload, caseId: newest.id, at });
        }
      }
    });
  }
  const last = fresh.reduce((m, r) => (String(r.last) > m ? String(r.last) : m), since);
  await db.updateTable('hotspot_watch').set({ last_submitted_at: last }).where('id', '=', 1).execute();
  return result;
}
