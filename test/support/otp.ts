/** Shared steps of the one-time-code tests: a staff-entered visit ready to sign, and the code its petitioner gets. */
import { expect } from 'vitest';
import { act, type TestApp } from './harness.js';
import { openOutboxPayload } from '../../src/services/outbox-secrets.js';

/**
 * Asks for a code on the tracking page and reads it from the outbox, as the SMS gateway would: an
 * SMS to the phone on file (shown masked), whose stored payload holds no code in plain text.
 */
export async function trackingCode(t: TestApp, queryCode: string, caseId: string): Promise<string> {
  const r = await t.request('POST', `/api/track/${queryCode}/otp`);
  expect(r.statusCode, r.body).toBe(201);
  expect(r.json<{ phoneMasked: string }>().phoneMasked).toMatch(/^\d{3}\*{4}\d{4}$/);
  const sms = await t.ctx.store.db.selectFrom('outbox').selectAll().where('case_id', '=', caseId).where('template', '=', 'otp').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
  expect(sms.channel).toBe('sms');
  expect(sms.payload).not.toContain('"code"');
  return String(openOutboxPayload(t.ctx, sms.payload, sms.secrets_enc).code);
}

/**
 * A 来访 entered by the registrar for a petitioner without an account, accepted, assigned to
 * 正定县住房和城乡建设局 and signed for there; with its 双向责任书 for the petitioner to sign.
 * `staff`: session cookies of zd.registrar, zd.acceptor, zd.dispatcher and zd.handler.
 */
export async function enteredVisit(
  t: TestApp,
  staff: Record<string, string>,
  v: { name: string; phone: string; address: string; title: string; content: string },
): Promise<{ id: string; queryCode: string; letterId: string }> {
  const r = await t.request('POST', '/api/office/entries', {
    cookie: staff['zd.registrar'],
    body: { channel: 'visit', petitioner: { name: v.name, phone: v.phone, address: v.address }, categoryCode: 'labour', regionCode: '130123', title: v.title, content: v.content },
  });
  expect(r.statusCode, r.body).toBe(201);
  const { id, queryCode } = r.json<{ id: string; queryCode: string }>();
  await signedAtHousingBureau(t, staff, id);
  const docs = await t.request('GET', `/api/office/cases/${id}/documents`, { cookie: staff['zd.acceptor'] });
  const letter = docs.json<{ items: { id: string; kind: string }[] }>().items.find((d) => d.kind === 'responsibility_letter')!;
  return { id, queryCode, letterId: letter.id };
}

/** Accepted, assigned to 正定县住房和城乡建设局 and signed for there (which issues the 双向责任书). */
export async function signedAtHousingBureau(t: TestApp, staff: Record<string, string>, id: string): Promise<void> {
  for (const [u, a, b] of [
    ['zd.acceptor', 'accept', {}],
    ['zd.dispatcher', 'assign', { unitId: '130123-zj' }],
    ['zd.handler', 'sign', {}],
  ] as const) {
    expect((await act(t, staff[u]!, id, a, b)).statusCode).toBe(200);
  }
}
