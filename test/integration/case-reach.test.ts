/**
 * case_reach (migration 021, SQLite): each case's jurisdictions with its queue columns, kept by
 * triggers in the writing transaction. Every test app also compares the whole table with what the
 * cases make when it closes (checkReach); this file follows one case and shows the check fails on a
 * stale row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { act, caseAtCountyHousingBureau, checkReach, newCase, startTestApp, type TestApp } from '../support/harness.js';

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
