/**
 * case_reach (migration 021, SQLite): each case's jurisdictions with its queue columns, kept by
 * triggers in the writing transaction. Every test app also compares the whole table with what the
 * cases make when it closes (checkReach); this file follows one case and shows the check fails on a
 * stale row. The full-text entries carry the same jurisdictions as tags (migration 022), checked
 * at close too (checkSearchTags).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { act, caseAtCountyHousingBureau, checkReach, checkSearchTags, newCase, startTestApp, type TestApp } from '../support/harness.js';
import { accusedTag, isSearchTag, scopeTag } from '../../src/store/search.repository.js';
import * as m022 from '../../src/store/migrations/022-search-tags.js';

describe('case_reach keeps each case under every unit above its units (sqlite)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
  });
  afterAll(async () => {
    await t.close();
  });

  const rows = async (id: string) =>
    (await sql<{ scope_path: string; state: string; due_reply: string | null }>`select scope_path, state, due_reply from case_reach where id = ${id} order by scope_path`.execute(t.ctx.store.db)).rows;
  const pathOf = (unitId: string) => t.ctx.units.get(unitId)!.path;

  it('follows a case from its receiving unit to the county department that handles it', async () => {
    const c = await newCase(t);
    const received = await rows(c.id);
    // The receiving bureau of 正定县 and everything above it but the top of the tree.
    expect(received.map((r) => r.scope_path)).toEqual([pathOf('130100'), pathOf('130123'), pathOf('130123-xfj')].sort());
    expect(received.every((r) => r.state === 'submitted' && r.due_reply === null)).toBe(true);
    expect(received.map((r) => r.scope_path)).not.toContain('/130000/');

    const handled = await caseAtCountyHousingBureau(t, {});
    const after = await rows(handled.id);
    expect(after.map((r) => r.scope_path)).toEqual([pathOf('130100'), pathOf('130123'), pathOf('130123-xfj'), pathOf('130123-zj')].sort());
    // Signed: the copied columns follow the case in every jurisdiction.
    expect(new Set(after.map((r) => r.state))).toEqual(new Set(['in_progress']));
    expect(after.every((r) => r.due_reply !== null)).toBe(true);
    await checkReach(t.ctx);
  });

  it('lists a newly added unit under every unit above it', async () => {
    await sql`insert into unit (id, parent_id, name, kind, level, region_code, dept_code, path, sort)
      values ('130123-test', '130123', '正定县测试局', 'department', 'county', '130123', 'test', ${`${pathOf('130123')}130123-test/`}, 99)`.execute(t.ctx.store.db);
    const anc = (await sql<{ path: string }>`select path from unit_ancestor where unit_id = '130123-test' order by path`.execute(t.ctx.store.db)).rows.map((r) => r.path);
    expect(anc).toEqual([pathOf('130100'), pathOf('130123'), `${pathOf('130123')}130123-test/`].sort());
    await sql`delete from unit where id = '130123-test'`.execute(t.ctx.store.db);
    expect((await sql<{ n: number }>`select count(*) as n from unit_ancestor where unit_id = '130123-test'`.execute(t.ctx.store.db)).rows[0]!.n).toBe(0);
  });

  it('lists a unit under one added after it (units added children first)', async () => {
    const county = pathOf('130123');
    const parentPath = `${county}130123-grp/`;
    await sql`insert into unit (id, parent_id, name, kind, level, region_code, dept_code, path, sort)
      values ('130123-grp-a', '130123', '正定县测试科', 'department', 'county', '130123', 'testa', ${`${parentPath}130123-grp-a/`}, 99)`.execute(t.ctx.store.db);
    await sql`insert into unit (id, parent_id, name, kind, level, region_code, dept_code, path, sort)
      values ('130123-grp', '130123', '正定县测试组', 'department', 'county', '130123', 'testg', ${parentPath}, 98)`.execute(t.ctx.store.db);
    const anc = (await sql<{ path: string }>`select path from unit_ancestor where unit_id = '130123-grp-a' order by path`.execute(t.ctx.store.db)).rows.map((r) => r.path);
    expect(anc).toEqual([pathOf('130100'), county, parentPath, `${parentPath}130123-grp-a/`].sort());
    await sql`delete from unit where id in ('130123-grp-a', '130123-grp')`.execute(t.ctx.store.db);
  });

  it('tags the full-text entry with the jurisdictions the case joins and the units it accuses (migration 022)', async () => {
    const tagsOf = async (id: string) =>
      (await sql<{ body: string }>`select s.body from case_search s join case_file c on c.seq_no = s.rowid where c.id = ${id}`.execute(t.ctx.store.db)).rows[0]!.body
        .split(' ')
        .filter(isSearchTag)
        .sort();
    const c = await newCase(t, { title: '锅炉房噪声扰民', content: '小区锅炉房夜间噪声很大，影响休息，请求处理。' });
    expect(await tagsOf(c.id)).toEqual([pathOf('130100'), pathOf('130123'), pathOf('130123-xfj')].map(scopeTag).sort());
    // The county housing bureau's handler finds it only once it is assigned there.
    const handler = await t.staff('zd.handler');
    const search = async () => (await t.request('GET', `/api/office/cases?q=${encodeURIComponent('锅炉房')}`, { cookie: handler })).json<{ items: { id: string }[]; total: number }>();
    expect(await search()).toMatchObject({ items: [], total: 0 });
    expect((await act(t, await t.staff('zd.acceptor'), c.id, 'accept')).statusCode).toBe(200);
    expect((await act(t, await t.staff('zd.dispatcher'), c.id, 'assign', { unitId: '130123-zj' })).statusCode).toBe(200);
    expect(await tagsOf(c.id)).toEqual([pathOf('130100'), pathOf('130123'), pathOf('130123-xfj'), pathOf('130123-zj')].map(scopeTag).sort());
    const found = await search();
    expect(found.total).toBe(1);
    expect(found.items.map((i) => i.id)).toEqual([c.id]);
    // No query word matches a tag: a lone letter is a prefix of words, never of tags ('_' splits words).
    for (const q of ['s', '_', '_s', 'a']) {
      const r = await t.request('GET', `/api/office/cases?q=${encodeURIComponent(q)}`, { cookie: handler });
      expect(r.json<{ total: number }>().total, q).toBe(0);
    }
    // Its words are kept when it is tagged again.
    expect((await t.request('GET', `/api/office/cases?q=${encodeURIComponent('噪声 扰民')}`, { cookie: handler })).json<{ total: number }>().total).toBe(1);

    const d = await newCase(t, { categoryCode: 'discipline', title: '检举县住建局推诿', content: '检举县住建局推诿扯皮。', denunciation: true, accusedUnitIds: ['130123-zj'] });
    expect(await tagsOf(d.id)).toEqual([...[pathOf('130100'), pathOf('130123'), pathOf('130123-xfj')].map(scopeTag), accusedTag(pathOf('130123-zj'))].sort());
    await checkSearchTags(t.ctx);
    // A tag lost behind the writers' back is found by the check at close.
    await sql`update case_search set body = replace(body, ${scopeTag(pathOf('130123-zj'))}, '') where rowid = (select seq_no from case_file where id = ${c.id})`.execute(t.ctx.store.db);
    await expect(checkSearchTags(t.ctx)).rejects.toThrow(/case_search tags differ/);
    await sql`update case_search set body = body || ' ' || ${scopeTag(pathOf('130123-zj'))} where rowid = (select seq_no from case_file where id = ${c.id})`.execute(t.ctx.store.db);
    await checkSearchTags(t.ctx);
  });

  it('migration 022 tags the entries written before it, keeping their words', async () => {
    const c = await newCase(t, { title: '路灯不亮', content: '村口路灯长期不亮，夜间出行不便。' });
    // Untagged, as every entry was before the migration.
    const entries = (await sql<{ seq_no: number; body: string }>`select rowid as seq_no, body from case_search`.execute(t.ctx.store.db)).rows;
    for (const e of entries) {
      const words = e.body.split(' ').filter((w) => w && !isSearchTag(w)).join(' ');
      await sql`delete from case_search where rowid = ${e.seq_no}`.execute(t.ctx.store.db);
      await sql`insert into case_search (rowid, body) values (${e.seq_no}, ${words})`.execute(t.ctx.store.db);
    }
    await expect(checkSearchTags(t.ctx)).rejects.toThrow(/case_search tags differ/);
    await m022.up(t.ctx.store.db as never, 'sqlite');
    await checkSearchTags(t.ctx);
    const r = await t.request('GET', `/api/office/cases?q=${encodeURIComponent('路灯')}`, { cookie: await t.staff('zd.acceptor') });
    expect(r.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toEqual([c.id]);
  });

  it('the check at close finds a stale row', async () => {
    const c = await newCase(t);
    const acceptor = await t.staff('zd.acceptor');
    expect((await act(t, acceptor, c.id, 'accept')).statusCode).toBe(200);
    await checkReach(t.ctx);
    // Behind the triggers' back: one jurisdiction's copy keeps the old state.
    await sql`update case_reach set state = 'submitted' where id = ${c.id} and scope_path = ${pathOf('130100')}`.execute(t.ctx.store.db);
    await expect(checkReach(t.ctx)).rejects.toThrow(/case_reach differs/);
    await sql`update case_reach set state = 'accepted' where id = ${c.id}`.execute(t.ctx.store.db);
    await checkReach(t.ctx);
  });
});
