/**
 * A seeded random walk through the case lifecycle, the way people drive it: each step one person —
 * staff of a role at the county, the city or the province, or the petitioner — opens a case's page and
 * presses one of the buttons it shows (allowedActions), with a valid form; now and then someone
 * forces an action the page does not offer, and the clock moves on by days.
 *
 * What must hold throughout, on both databases:
 * - every action the page offers succeeds (the page never shows a button that fails);
 * - every action it does not offer is refused (403/409 with a Chinese message) and changes nothing;
 * - no answer is a 500;
 * and afterwards the event chains verify (the harness also checks rollups, reach and search tags).
 *
 * XF_WALK_SEED replays a walk; XF_WALK_STEPS sets its length (default 120); XF_WALK_REPORT=1 prints the actions taken and where the cases ended.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, bodyFor, cookieOf, databases, newCase, startTestApp, type TestApp } from '../support/harness.js';
import { staffActions, type StaffAction } from '../../src/domain/case-state.js';
import { seededRandom } from '../../src/domain/seeded-random.js';
import { verifyAll } from '../../src/services/audit.service.js';

const HAN = /[\u4e00-\u9fa5]/;

type CitizenAction = 'message' | 'withdraw' | 'evaluate' | 'review-request' | 'confirm-receipt';
const citizenActions: CitizenAction[] = ['message', 'withdraw', 'evaluate', 'review-request', 'confirm-receipt'];

function citizenRequest(action: CitizenAction, id: string, rand: () => number): { url: string; body: Record<string, unknown> } {
  switch (action) {
    case 'message':
      return { url: `/api/cases/${id}/messages`, body: { text: '请问办理到哪一步了？' } };
    case 'withdraw':
      return { url: `/api/cases/${id}/withdraw`, body: { reason: '问题已自行协商解决' } };
    case 'evaluate':
      return { url: `/api/cases/${id}/evaluation`, body: { rating: (['satisfied', 'basically_satisfied', 'dissatisfied'] as const)[Math.floor(rand() * 3)] } };
    case 'review-request':
      return { url: `/api/cases/${id}/review-request`, body: { reason: '对答复意见不服，请求上一级机关复查' } };
    case 'confirm-receipt':
      return { url: `/api/cases/${id}/confirm-receipt`, body: {} };
  }
}

/** A valid form for a staff action in this walk: units to assign to have a handler among the walkers. */
function staffBody(action: StaffAction, intoCaseId: string): Record<string, unknown> {
  if (action === 'assign' || action === 'forward') return { unitId: '130123-zj' };
  return bodyFor(action, intoCaseId);
}

for (const kind of databases) {
  describe(`a random walk through the lifecycle (${kind})`, () => {
    let t: TestApp;
    const staff: { login: string; cookie: string }[] = [];
    const cases: { id: string; citizen: string; phone: string }[] = [];

    /** After days pass, sessions have lapsed: everyone logs in again, as people would. */
    const loginAgain = async () => {
      for (const s of staff) s.cookie = await t.staff(s.login);
      for (const c of cases) {
        const r = await t.request('POST', '/api/auth/login', { body: { login: c.phone, password: 'Passw0rd!' } });
        expect(r.statusCode, r.body).toBe(200);
        c.citizen = cookieOf(r);
      }
    };

    beforeAll(async () => {
      t = await startTestApp(kind);
      for (const login of [
        'zd.acceptor',
        'zd.dispatcher',
        'zd.handler',
        'zd.supervisor',
        'zd.leader',
        'zd.registrar',
        'sjz.acceptor',
        'sjz.dispatcher',
        'sjz.supervisor',
        'sjz.leader',
        'prov.supervisor',
        'prov.leader',
      ]) {
        staff.push({ login, cookie: await t.staff(login) });
      }
      for (let i = 0; i < 8; i++) {
        const c = await newCase(t, { title: `建筑工地拖欠工资（第 ${i + 1} 件）` });
        cases.push({ id: c.id, citizen: c.citizen.cookie, phone: c.citizen.phone });
      }
    }, 120_000);

    afterAll(async () => {
      await t?.close();
    });

    it('every offered action succeeds, every other is refused, nothing is a 500', async () => {
      const seed = Number(process.env.XF_WALK_SEED ?? 20261129);
      const steps = Number(process.env.XF_WALK_STEPS ?? 120);
      const rand = seededRandom(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
      // People mostly move a case on; rejections, merges and notes happen, less often.
      const onward = new Set<string>(['accept', 'assign', 'sign', 'reply', 'request-extension', 'approve-extension', 'review-decision', 'close', 'evaluate', 'review-request', 'confirm-receipt']);
      /** Picks one item, those whose action moves a case on six times as likely. */
      const pickWeighted = <T>(xs: readonly T[], actionOf: (x: T) => string): T => {
        const weights = xs.map((x) => (onward.has(actionOf(x)) ? 6 : 1));
        let r = rand() * weights.reduce((a, b) => a + b, 0);
        for (let i = 0; i < xs.length; i++) if ((r -= weights[i]!) < 0) return xs[i]!;
        return xs[xs.length - 1]!;
      };
      const problems: string[] = [];
      const done = new Map<string, number>();
      const stateOf = async (id: string) => (await t.request('GET', `/api/office/cases/${id}`, { cookie: staff[0]!.cookie })).json<{ state: string; timeline: unknown[] }>();

      for (let step = 0; step < steps; step++) {
        const c = pick(cases);
        const r = rand();
        if (r < 0.05) {
          // Time passes: windows open and close (evaluation, review requests, due dates).
          t.setNow(new Date(t.ctx.clock.now().getTime() + Math.ceil(rand() * 20) * 86_400_000).toISOString());
          await loginAgain();
          continue;
        }
        const before = await stateOf(c.id);
        if (r < 0.3) {
          const page = await t.request('GET', `/api/my/cases/${c.id}`, { cookie: c.citizen });
          if (page.statusCode !== 200) {
            problems.push(`step ${step}: citizen page ${page.statusCode} ${page.body.slice(0, 200)}`);
            continue;
          }
          const offered = page.json<{ allowedActions: CitizenAction[] }>().allowedActions;
          const force = rand() < 0.2;
          // Petitioners seldom withdraw; a walk where every case is withdrawn early would test little.
          const candidates = force ? citizenActions.filter((a) => !offered.includes(a)) : offered.filter((a) => a !== 'withdraw' || rand() < 0.1);
          if (candidates.length === 0) continue;
          const action = force ? pick(candidates) : pickWeighted(candidates, (a) => a);
          const req = citizenRequest(action, c.id, rand);
          const res = await t.request('POST', req.url, { cookie: c.citizen, body: req.body });
          const label = `step ${step}: citizen ${force ? 'forced' : 'offered'} ${action} in ${before.state}`;
          if (!force && res.statusCode >= 300) problems.push(`${label}: ${res.statusCode} ${res.body.slice(0, 200)}`);
          if (force) {
            if (![403, 409].includes(res.statusCode) || !HAN.test(res.body)) problems.push(`${label}: ${res.statusCode} ${res.body.slice(0, 200)}`);
            else if ((await stateOf(c.id)).timeline.length !== before.timeline.length) problems.push(`${label}: refused but the timeline changed`);
          }
          if (res.statusCode < 300) done.set(`citizen ${action}`, (done.get(`citizen ${action}`) ?? 0) + 1);
          continue;
        }
        // Whoever is looking at this case now: everyone's page for it, and what each offers.
        const views: { who: (typeof staff)[number]; offered: StaffAction[] }[] = [];
        for (const who of staff) {
          const page = await t.request('GET', `/api/office/cases/${c.id}`, { cookie: who.cookie });
          if (page.statusCode === 404 || page.statusCode === 403) continue; // not this person's case to see
          if (page.statusCode !== 200) problems.push(`step ${step}: ${who.login} page ${page.statusCode} ${page.body.slice(0, 200)}`);
          else views.push({ who, offered: page.json<{ allowedActions: StaffAction[] }>().allowedActions });
        }
        if (views.length === 0) continue;
        const force = rand() < 0.2;
        let who: (typeof staff)[number];
        let action: StaffAction;
        if (force) {
          const v = pick(views);
          const refused = staffActions.filter((a) => !v.offered.includes(a));
          if (refused.length === 0) continue;
          who = v.who;
          action = pick(refused);
        } else {
          // Internal notes are always offered: taken now and then, so the walk mostly moves cases on.
          const pairs = views.flatMap((v) => v.offered.filter((a) => a !== 'note' || rand() < 0.1).map((a) => ({ who: v.who, a })));
          if (pairs.length === 0) continue;
          const pair = pickWeighted(pairs, (x) => x.a);
          who = pair.who;
          action = pair.a;
        }
        // 合并 asks the clerk to choose the case to merge into: an earlier one still being handled, as the page's picker offers.
        const earlier = cases.slice(0, cases.indexOf(c));
        const open: string[] = [];
        for (const x of earlier) if (!['withdrawn', 'rejected', 'closed', 'merged', 'final'].includes((await stateOf(x.id)).state)) open.push(x.id);
        if (action === 'merge' && !force && open.length === 0) continue;
        const into = open[0] ?? cases.find((x) => x.id !== c.id)!.id;
        const res = await act(t, who.cookie, c.id, action, staffBody(action, into));
        const label = `step ${step}: ${who.login} ${force ? 'forced' : 'offered'} ${action} in ${before.state}`;
        if (res.statusCode >= 500) problems.push(`${label}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        else if (!force && res.statusCode >= 300) problems.push(`${label}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        else if (force) {
          // A merge into a case that has itself ended is refused for that other case (400 naming it): also a refusal.
          if (![400, 403, 409].includes(res.statusCode) || !HAN.test(res.body)) problems.push(`${label}: ${res.statusCode} ${res.body.slice(0, 200)}`);
          else if ((await stateOf(c.id)).timeline.length !== before.timeline.length) problems.push(`${label}: refused but the timeline changed`);
        }
        if (res.statusCode < 300) done.set(action, (done.get(action) ?? 0) + 1);
      }
      if (process.env.XF_WALK_REPORT) console.log(Object.fromEntries(done), (await Promise.all(cases.map((c) => stateOf(c.id)))).map((v) => v.state));
      expect(problems, problems.join('\n')).toEqual([]);
      // The walk went somewhere: cases were accepted and taken further, not only refused.
      expect(done.size).toBeGreaterThanOrEqual(4);
      const chain = await verifyAll(t.ctx);
      expect(chain.broken).toEqual([]);
    }, 300_000);
  });
}
