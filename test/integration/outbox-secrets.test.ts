/**
 * Secrets in notifications: the query code and the one-time code never sit in the outbox in plain
 * text (a dump shows neither); they are sealed with the field keyring, re-encrypted by key rotation
 * (which also seals what an older version left in plain payloads), and opened only at delivery.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from '../support/harness.js';
import { reencryptAll } from '../../src/services/keys.service.js';
import { deliverOutbox } from '../../src/jobs/outbox-delivery.js';
import { enqueue } from '../../src/store/outbox.repository.js';
import { inTransaction } from '../../src/store/tx.js';

describe.each(databases)('secrets in the notification outbox (%s)', (kind) => {
  let t: TestApp;
  let registrar: string;
  beforeAll(async () => {
    t = await startTestApp(kind);
    registrar = await t.staff('zd.registrar');
  });
  afterAll(async () => {
    await t.close();
  });
  const db = () => t.ctx.store.db;

  /** Every text value of every table (a database dump). */
  async function dump(): Promise<string[]> {
    const out: string[] = [];
    for (const table of await db().introspection.getTables()) {
      if (table.isView) continue;
      const cols = table.columns.filter((c) => /char|text|clob|json/i.test(c.dataType)).map((c) => c.name);
      if (cols.length === 0) continue;
      const rows = await sql<Record<string, unknown>>`select ${sql.join(cols.map((c) => sql.ref(c)))} from ${sql.table(table.name)}`.execute(db());
      for (const r of rows.rows) for (const c of cols) if (typeof r[c] === 'string') out.push(`${table.name}.${c}=${r[c] as string}`);
    }
    return out;
  }
  async function entry(phone: string) {
    const r = await t.request('POST', '/api/office/entries', {
      cookie: registrar,
      body: {
        channel: 'visit',
        petitioner: { name: '钱立新', phone, address: '正定县城关镇中山路 6 号' },
        categoryCode: 'labour',
        regionCode: '130123',
        title: '餐馆拖欠服务员工资',
        content: '来访人称在某餐馆做服务员四个月，工资一万二千元至今未发，请求督促支付。',
      },
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json<{ id: string; queryCode: string }>();
  }
  /** The sink text of the messages delivered for a case (development transport). */
  async function delivered(caseId: string): Promise<string[]> {
    await deliverOutbox(t.ctx, { owner: 'test', transports: {} });
    const rows = await db().selectFrom('sms_sink').innerJoin('outbox', 'outbox.id', 'sms_sink.outbox_id').select(['sms_sink.text_enc']).where('outbox.case_id', '=', caseId).execute();
    return rows.map((r) => t.ctx.crypto.decrypt(r.text_enc));
  }

  it('a dump shows neither the query code nor the one-time code; delivery still sends both', async () => {
    const c = await entry('13812347001');
    expect((await t.request('POST', `/api/track/${c.queryCode}/otp`)).statusCode).toBe(201);
    const rows = await db().selectFrom('outbox').selectAll().where('case_id', '=', c.id).orderBy('id').execute();
    expect(rows.map((r) => r.template)).toEqual(['case_submitted', 'otp']);
    for (const r of rows) {
      expect(r.secrets_enc).toMatch(/^a1:/);
      expect(JSON.parse(r.payload)).not.toHaveProperty('code');
      expect(JSON.parse(r.payload)).not.toHaveProperty('queryCode');
    }
    const values = await dump();
    expect(values.filter((v) => v.includes(c.queryCode) || v.includes(c.queryCode.replace(/-/g, '')))).toEqual([]);
    // Every outbox column together: no 6-digit run at all (the code would be one). Identifiers
    // (UUIDs, whose hex can hold six digits in a row) and case numbers are taken out first.
    const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
    const outboxText = values.filter((v) => v.startsWith('outbox.') && !v.startsWith('outbox.secrets_enc=') && !v.startsWith('outbox.recipient_enc='));
    expect(outboxText.filter((v) => /(?<![\d-])\d{6}(?![\d-])/.test(v.replace(uuid, '').replace(/XF\d{4}-\d{6}/g, '')))).toEqual([]);
    const texts = await delivered(c.id);
    expect(texts.some((x) => x.includes(c.queryCode))).toBe(true);
    expect(texts.some((x) => /\d{6}/.test(x.replace(/XF\d{4}-\d{6}/g, '')) && x.includes('验证码'))).toBe(true);
  });

  it('enqueue refuses a payload carrying a secret in plain text', async () => {
    await expect(
      inTransaction(t.ctx.store, (tx) =>
        enqueue(tx, { channel: 'sms', recipientEnc: t.ctx.crypto.encrypt('13812347002'), template: 'otp', payload: { caseNo: 'XF2026-000001', code: '123456', minutes: 10 }, caseId: null, at: '2026-03-02T02:00:00.000Z' }),
      ),
    ).rejects.toThrow(/secrets/);
    expect(await db().selectFrom('outbox').select('id').where('case_id', 'is', null).where('template', '=', 'otp').execute()).toEqual([]);
  });

  it('key rotation re-encrypts the sealed secrets and seals those an older version left in plain payloads', async () => {
    const c = await entry('13812347003');
    // A message written by an older version: the code in the plain payload.
    const legacyCode = '482915';
    await db()
      .insertInto('outbox')
      .values({ channel: 'sms', recipient_enc: t.ctx.crypto.encrypt('13812347003'), template: 'otp', payload: JSON.stringify({ caseNo: 'XF2026-000099', code: legacyCode, minutes: 10 }), secrets_enc: null, case_id: c.id, status: 'pending', attempts: 0, next_attempt_at: '2026-03-02T02:00:00.000Z', last_error: null, created_at: '2026-03-02T02:00:00.000Z', sent_at: null })
      .execute();
    t.ctx.crypto = t.ctx.crypto.with({ cipher: 'sm4', addKey: { id: 2, key: crypto.randomBytes(32) } });
    const report = await reencryptAll(t.ctx, 3);
    expect(report.columns.find((x) => x.table === 'outbox' && x.column === 'secrets_enc')!.rewritten).toBeGreaterThan(0);
    const rows = await db().selectFrom('outbox').selectAll().where('case_id', '=', c.id).execute();
    expect(rows.length).toBe(2);
    for (const r of rows) {
      expect(r.secrets_enc).toMatch(/^s2:/);
      expect(r.payload).not.toContain(legacyCode);
      expect(r.payload).not.toContain(c.queryCode);
    }
    expect((await dump()).filter((v) => v.includes(legacyCode) || v.includes(c.queryCode))).toEqual([]);
    const texts = await delivered(c.id);
    expect(texts.some((x) => x.includes(legacyCode))).toBe(true);
    expect(texts.some((x) => x.includes(c.queryCode))).toBe(true);
  });
});
