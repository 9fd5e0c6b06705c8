/**
 * Personal data at rest and on screen: a dump of every text column of every table holds no
 * plaintext name, ID number or phone of the test citizens — under AES-256-GCM, SM4-CTR + HMAC-SM3
 * and after a key rotation — and staff and tracking answers carry only masked values.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, databases, newCaseBody, startTestApp, type TestApp } from '../support/harness.js';
import { makeIdNumber } from '../../src/domain/id-number.js';
import { reencryptAll, encryptedColumns } from '../../src/services/keys.service.js';
import { verifyAll } from '../../src/services/audit.service.js';

interface Person {
  name: string;
  phone: string;
  idNumber: string;
  cookie: string;
  caseId: string;
  queryCode: string;
}

describe.each(databases)('personal data encryption and masking (%s)', (kind) => {
  let t: TestApp;
  const people: Person[] = [];

  /** Every text value of every table, as `table.column` → values (a database dump). */
  async function dump(): Promise<string[]> {
    const out: string[] = [];
    for (const table of await t.ctx.store.db.introspection.getTables()) {
      if (table.isView) continue;
      const cols = table.columns.filter((c) => /char|text|clob|json/i.test(c.dataType)).map((c) => c.name);
      if (cols.length === 0) continue;
      const rows = await sql<Record<string, unknown>>`select ${sql.join(cols.map((c) => sql.ref(c)))} from ${sql.table(table.name)}`.execute(t.ctx.store.db);
      for (const r of rows.rows) for (const c of cols) if (typeof r[c] === 'string') out.push(`${table.name}.${c}=${r[c] as string}`);
    }
    return out;
  }
  function leaks(values: string[]): string[] {
    const secrets = people.flatMap((p) => [p.name, p.phone, p.idNumber, p.idNumber.slice(6, 14) + p.idNumber.slice(14)]);
    return values.filter((v) => secrets.some((s) => v.includes(s)));
  }

  async function register(name: string, phone: string, idNumber: string) {
    const r = await t.request('POST', '/api/auth/register', { body: { name, idNumber, phone, password: 'Passw0rd!' } });
    expect(r.statusCode, r.body).toBe(201);
    const cookie = `xf_session=${r.cookies.find((c) => c.name === 'xf_session')!.value}`;
    const s = await t.request('POST', '/api/cases', { cookie, body: newCaseBody({ coPetitioners: undefined }) });
    expect(s.statusCode, s.body).toBe(201);
    const { id, queryCode } = s.json<{ id: string; queryCode: string }>();
    people.push({ name, phone, idNumber, cookie, caseId: id, queryCode });
  }

  beforeAll(async () => {
    t = await startTestApp(kind);
    await register('欧阳明华', '13700001111', makeIdNumber('130123', '19800101', '001'));
    // The second citizen's data is written under SM4 (XINFANG_CIPHER=sm4), beside the AES values.
    t.ctx.crypto = t.ctx.crypto.with({ cipher: 'sm4' });
    await register('司马静怡', '13700002222', makeIdNumber('130123', '19850505', '002'));
    // A staff-entered visit with an ID number.
    const registrar = await t.staff('zd.registrar');
    const e = await t.request('POST', '/api/office/entries', {
      cookie: registrar,
      body: {
        channel: 'visit',
        petitioner: { name: '诸葛文远', phone: '13700003333', address: '正定县城关镇常山路 8 号', idNumber: makeIdNumber('130123', '19700303', '003') },
        categoryCode: 'labour',
        regionCode: '130123',
        title: '物流公司拖欠搬运工工资',
        content: '来访人称在某物流公司做搬运工两个月，工资六千元至今未发，请求督促支付。',
      },
    });
    expect(e.statusCode, e.body).toBe(201);
    const ej = e.json<{ id: string; queryCode: string }>();
    people.push({ name: '诸葛文远', phone: '13700003333', idNumber: makeIdNumber('130123', '19700303', '003'), cookie: '', caseId: ej.id, queryCode: ej.queryCode });
    const acceptor = await t.staff('zd.acceptor');
    for (const p of people) expect((await act(t, acceptor, p.caseId, 'accept')).statusCode).toBe(200);
  });
  afterAll(async () => {
    await t.close();
  });

  it('a dump of every text column shows no plaintext name, ID number or phone; values are tagged a1 and s1', async () => {
    const values = await dump();
    expect(values.length).toBeGreaterThan(100);
    expect(leaks(values)).toEqual([]);
    const enc = values.filter((v) => /^[a-z_]+\._?[a-z_]*_enc=/.test(v));
    expect(enc.some((v) => v.includes('_enc=a1:'))).toBe(true);
    expect(enc.some((v) => v.includes('_enc=s1:'))).toBe(true);
    const acc = await t.ctx.store.db.selectFrom('account').select(['phone_enc', 'id_number_enc']).where('kind', '=', 'citizen').execute();
    expect(acc.map((a) => a.phone_enc!.slice(0, 3)).sort()).toEqual(['a1:', 's1:']);
  });

  it('staff answers and the tracking page show only masked values', async () => {
    const staffUrls = (p: Person) => [`/api/office/cases/${p.caseId}`, '/api/office/cases', `/api/office/cases?q=${encodeURIComponent('拖欠')}`, '/api/office/workbench', `/api/office/cases/${p.caseId}/related`, `/api/office/cases/${p.caseId}/documents`];
    let scanned = 0;
    for (const u of ['zd.acceptor', 'zd.dispatcher', 'zd.leader', 'zd.admin', 'zd.auditor', 'sjz.supervisor', 'prov.admin']) {
      const cookie = await t.staff(u);
      for (const p of people) {
        for (const url of staffUrls(p)) {
          const r = await t.request('GET', url, { cookie });
          expect(r.statusCode, `${u} ${url} ${r.body}`).toBeLessThan(500);
          expect(leaks([r.body]), `${u} ${url}`).toEqual([]);
          scanned++;
        }
      }
    }
    for (const p of people) {
      const r = await t.request('GET', `/api/track/${p.queryCode}`);
      expect(r.statusCode).toBe(200);
      expect(leaks([r.body])).toEqual([]);
    }
    // Masked forms are there, so the scan would see a raw value if one were sent.
    const detail = await t.request('GET', `/api/office/cases/${people[0]!.caseId}`, { cookie: await t.staff('zd.acceptor') });
    expect(detail.body).toContain('欧**华');
    expect(detail.body).toContain('137****1111');
    expect(scanned).toBeGreaterThan(50);
  });

  it('key rotation re-encrypts every *_enc column under a new key and algorithm; everything still reads and verifies', async () => {
    const cols = await encryptedColumns(t.ctx);
    expect(cols).toEqual(expect.arrayContaining([
      { table: 'account', column: 'phone_enc' },
      { table: 'case_file', column: 'petitioner_name_enc' },
      { table: 'case_entry', column: 'id_number_enc' },
      { table: 'document', column: 'content_enc' },
    ]));
    t.ctx.crypto = t.ctx.crypto.with({ cipher: 'sm4', addKey: { id: 2, key: crypto.randomBytes(32) } });
    const r = await reencryptAll(t.ctx, 7);
    expect(r.tag).toBe('s2');
    expect(r.total).toBeGreaterThan(10);
    const values = await dump();
    expect(leaks(values)).toEqual([]);
    const encValues = values.filter((v) => cols.some((c) => v.startsWith(`${c.table}.${c.column}=`)));
    expect(encValues.length).toBeGreaterThan(10);
    expect(encValues.filter((v) => !v.includes('=s2:'))).toEqual([]);
    // A second run has nothing to do; lookups (login by phone, tracking by query code) still work.
    expect((await reencryptAll(t.ctx)).total).toBe(0);
    const login = await t.request('POST', '/api/auth/login', { body: { login: people[0]!.phone, password: 'Passw0rd!' } });
    expect(login.statusCode).toBe(200);
    const mine = await t.request('GET', '/api/my/cases', { cookie: people[1]!.cookie });
    expect(mine.json<{ items: { queryCode: string }[] }>().items[0]!.queryCode).toBe(people[1]!.queryCode);
    expect((await t.request('GET', `/api/track/${people[2]!.queryCode}`)).statusCode).toBe(200);
    const detail = await t.request('GET', `/api/office/cases/${people[1]!.caseId}`, { cookie: await t.staff('zd.acceptor') });
    expect(detail.body).toContain('司**怡');
    expect((await verifyAll(t.ctx)).broken).toEqual([]);
  });
});
