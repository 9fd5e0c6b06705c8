/**
 * Racing requests on one case: staff acting at the same moment, a citizen withdrawing while the
 * bureau accepts, a unit replying twice. Each action runs in one transaction with the case row locked
 * (on PostgreSQL, pooled connections really do run side by side), so of two moves that exclude each
 * other exactly one succeeds and the other is a 409 with a Chinese message — never a 500, never both —
 * and the case's event chain still verifies afterwards.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, databases, newCase, startTestApp, type TestApp } from '../support/harness.js';
import { verifyAll } from '../../src/services/audit.service.js';

const HAN = /[\u4e00-\u9fa5]/;

/** Exactly `wins` answers are 2xx; all others are 409 with a Chinese message. */
function expectOneWinner(rs: LightMyRequestResponse[], wins = 1): void {
  const ok = rs.filter((r) => r.statusCode < 300);
  const lost = rs.filter((r) => r.statusCode >= 300);
  expect(ok.length, rs.map((r) => `${r.statusCode} ${r.body.slice(0, 120)}`).join('\n')).toBe(wins);
  for (const r of lost) {
    expect(r.statusCode, r.body).toBe(409);
    expect(r.json<{ error: { message: string } }>().error.message).toMatch(HAN);
  }
}

for (const kind of databases) {
  describe(`racing actions on one case (${kind})`, () => {
    let t: TestApp;
    let acceptor: string;
    let acceptor2: string;
    let dispatcher: string;
    let handler: string;

    beforeAll(async () => {
      t = await startTestApp(kind);
      acceptor = await t.staff('zd.acceptor');
      acceptor2 = await t.staff('zd.acceptor');
      dispatcher = await t.staff('zd.dispatcher');
      handler = await t.staff('zd.handler');
    }, 60_000);

    afterAll(async () => {
      await t?.close();
    });

    const timeline = async (id: string) => (await t.request('GET', `/api/office/cases/${id}`, { cookie: acceptor })).json<{ state: string; timeline: { action?: string; type?: string }[] }>();

    it('accept against reject, sent together: one decision stands and the other is refused', async () => {
      for (let round = 0; round < 4; round++) {
        const c = await newCase(t);
        const rs = await Promise.all([
          act(t, acceptor, c.id, 'accept'),
          act(t, acceptor2, c.id, 'reject', { reasonCode: 'not_our_authority', guidanceChannel: 'other_authority' }),
          act(t, acceptor, c.id, 'accept'),
        ]);
        expectOneWinner(rs);
        const view = await timeline(c.id);
        expect(['accepted', 'rejected']).toContain(view.state);
      }
    });

    it('two dispatchers assigning the same case to different units: one unit gets it', async () => {
      const c = await newCase(t);
      expect((await act(t, acceptor, c.id, 'accept')).statusCode).toBe(200);
      const rs = await Promise.all([act(t, dispatcher, c.id, 'assign', { unitId: '130123-zj' }), act(t, dispatcher, c.id, 'assign', { unitId: '130123-rs' })]);
      expectOneWinner(rs);
    });

    it('the handler replying twice at once gives one reply', async () => {
      const c = await newCase(t);
      for (const [cookie, action, body] of [
        [acceptor, 'accept', {}],
        [dispatcher, 'assign', { unitId: '130123-zj' }],
        [handler, 'sign', {}],
      ] as const) {
        expect((await act(t, cookie, c.id, action, body)).statusCode).toBe(200);
      }
      const rs = await Promise.all([0, 1, 2].map((i) => act(t, handler, c.id, 'reply', { text: `经核查，已责令有关单位限期整改，特此答复（第 ${i + 1} 份）。` })));
      expectOneWinner(rs);
      expect((await timeline(c.id)).state).toBe('replied');
    });

    it('a citizen withdrawing while the bureau accepts: both orders are lawful, neither request fails with a 500', async () => {
      for (let round = 0; round < 4; round++) {
        const c = await newCase(t);
        const [withdraw, accept] = await Promise.all([
          t.request('POST', `/api/cases/${c.id}/withdraw`, { cookie: c.citizen.cookie, body: { reason: '问题已自行解决' } }),
          act(t, acceptor, c.id, 'accept'),
        ]);
        for (const r of [withdraw, accept]) expect([200, 201, 409], `${r.statusCode} ${r.body}`).toContain(r.statusCode);
        const state = (await timeline(c.id)).state;
        if (withdraw.statusCode < 300) expect(state).toBe('withdrawn');
        else expect(state).toBe('accepted');
      }
    });

    it('after every race the event chains verify', async () => {
      const v = await verifyAll(t.ctx);
      expect(v.broken).toEqual([]);
      expect(v.cases).toBeGreaterThanOrEqual(10);
    });
  });
}
