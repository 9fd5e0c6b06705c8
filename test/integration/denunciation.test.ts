/**
 * 检举揭发: a case accusing the county petition bureau itself is invisible to every member of that
 * bureau — queue, search, workbench counts, detail, documents, related cases, bulk actions — and
 * can never be assigned or forwarded to it, while the city above still sees it. The tracking page
 * never names the accused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, newCase, startTestApp, type TestApp } from '../support/harness.js';

const zdRoles = ['registrar', 'acceptor', 'dispatcher', 'supervisor', 'leader', 'auditor', 'admin'];

describe.each(databases)('denunciations stay hidden from the accused (%s)', (kind) => {
  let t: TestApp;
  let denounced: { id: string; queryCode: string };
  const title = `检举县信访局压件不办${kind}`;
  type Counts = Record<string, number>;
  /** Workbench counts; roles without a workbench (admin needs TOTP first, auditor reads no cases) give {}. */
  const counts = async (cookie: string): Promise<Counts> => {
    const r = await t.request('GET', '/api/office/workbench', { cookie });
    if (r.statusCode === 403) return {};
    expect(r.statusCode, r.body).toBe(200);
    return Object.fromEntries(r.json<{ queues: { key: string; count: number }[] }>().queues.map((q) => [q.key, q.count]));
  };
  const total = (c: Counts) => Object.values(c).reduce((a, b) => a + b, 0);
  const zd: Record<string, string> = {};
  let before: Record<string, Counts> = {};

  beforeAll(async () => {
    t = await startTestApp(kind);
    for (const r of zdRoles) zd[r] = await t.staff(`zd.${r}`);
    before = {};
    for (const r of zdRoles) before[r] = await counts(zd[r]!);
    denounced = await newCase(t, { title, categoryCode: 'discipline', content: '检举县信访局某工作人员收受好处、压件不办，请纪委调查。', denunciation: true, accusedUnitIds: ['130123-xfj'] });
  });
  afterAll(async () => {
    await t.close();
  });

  it('the accused bureau sees it nowhere: list, search, counts, detail, documents, related', async () => {
    for (const r of zdRoles) {
      const c = zd[r]!;
      const list = await t.request('GET', '/api/office/cases?pageSize=200', { cookie: c });
      if (list.statusCode === 200) expect(list.json<{ items: { id: string }[] }>().items.map((i) => i.id), r).not.toContain(denounced.id);
      const search = await t.request('GET', `/api/office/cases?q=${encodeURIComponent('压件不办')}`, { cookie: c });
      if (search.statusCode === 200) expect(search.body, r).not.toContain(denounced.id);
      expect(await counts(c), r).toEqual(before[r]);
      for (const url of [`/api/office/cases/${denounced.id}`, `/api/office/cases/${denounced.id}/documents`, `/api/office/cases/${denounced.id}/related`]) {
        const res = await t.request('GET', url, { cookie: c });
        expect([403, 404], `${r} ${url} ${res.statusCode}`).toContain(res.statusCode);
        expect(res.body).not.toContain(title);
      }
    }
    // The counts are live: an ordinary case moves them.
    await newCase(t, { title: '普通来信对照' });
    expect(total(await counts(zd.acceptor!))).toBeGreaterThan(total(before.acceptor!));
  });

  it('the city above sees it, and nobody can assign, forward or bulk-forward it to the accused', async () => {
    const sjzAcceptor = await t.staff('sjz.acceptor');
    const detail = await t.request('GET', `/api/office/cases/${denounced.id}`, { cookie: sjzAcceptor });
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json()).toMatchObject({ isDenunciation: true });
    const search = await t.request('GET', `/api/office/cases?q=${encodeURIComponent('压件不办')}`, { cookie: sjzAcceptor });
    expect(search.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toContain(denounced.id);

    const sjzDispatcher = await t.staff('sjz.dispatcher');
    const assignmentsBefore = await t.ctx.store.db.selectFrom('assignment').select('unit_id').where('case_id', '=', denounced.id).execute();
    for (const action of ['assign', 'forward']) {
      const r = await t.request('POST', `/api/office/cases/${denounced.id}/actions/${action}`, { cookie: sjzDispatcher, body: { unitId: '130123-xfj' } });
      expect(r.statusCode, r.body).toBeGreaterThanOrEqual(400);
      expect(r.statusCode).toBeLessThan(500);
    }
    const bulk = await t.request('POST', '/api/office/bulk/forward', { cookie: sjzDispatcher, body: { caseIds: [denounced.id], unitId: '130123-xfj' } });
    expect(bulk.statusCode, bulk.body).toBe(200);
    expect(bulk.json()).toMatchObject({ succeeded: 0, failed: 1 });
    // The accused bureau's own bulk forward of the hidden case fails without revealing it.
    const own = await t.request('POST', '/api/office/bulk/forward', { cookie: zd.dispatcher, body: { caseIds: [denounced.id], unitId: '130123-zj' } });
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ succeeded: 0, failed: 1 });
    expect(own.body).not.toContain(title);
    const after = await t.ctx.store.db.selectFrom('assignment').select('unit_id').where('case_id', '=', denounced.id).execute();
    expect(after).toEqual(assignmentsBefore);
    expect(after.map((a) => a.unit_id)).not.toContain('130123-xfj');
  });

  it('the tracking page does not name the accused', async () => {
    const r = await t.request('GET', `/api/track/${denounced.queryCode}`);
    expect(r.statusCode).toBe(200);
    expect(r.body).not.toMatch(/accused/i);
    expect(r.body).not.toContain('130123-xfj');
  });
});
