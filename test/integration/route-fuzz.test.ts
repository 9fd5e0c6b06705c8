/**
 * Every route of the OpenAPI document, fuzzed: for each operation, requests with path parameters,
 * query parameters and JSON bodies built from its own schema, then mangled (wrong types, edge numbers,
 * overlong and odd strings, unknown fields, other records' ids), sent as each kind of caller (nobody,
 * a citizen, staff of each role at the county, a city supervisor). Whatever the route, the answer is a
 * 2xx/3xx or a 4xx with a Chinese message, never a 500; and afterwards the database is consistent
 * (the harness checks rollups, reach rows and search tags when the app closes) and the audit chain verifies.
 *
 * XF_FUZZ_SEED replays a run; XF_FUZZ_ROUNDS sets the requests per operation (default 10); XF_FUZZ_REPORT=1
 * prints the answers by status and, for each operation no request got through, its first refusals.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, cookieOf, databases, newCase, startTestApp, type TestApp } from '../support/harness.js';
import { verifyAll } from '../../src/services/audit.service.js';
import { demoPassword } from '../../src/services/seed.service.js';
import { totpAt } from '../../src/security/totp.js';
import { seededRandom } from '../../src/domain/seeded-random.js';

const HAN = /[\u4e00-\u9fa5]/;

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  format?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  pattern?: string;
  $ref?: string;
}

interface Operation {
  parameters?: { name: string; in: 'path' | 'query' | 'header'; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

/** Routes a fuzzed request must not reach: they end the caller's session or lock accounts the run needs. */
const skipped = new Set(['POST /api/auth/logout']);

for (const kind of databases) {
  describe(`route fuzz (${kind})`, () => {
    let t: TestApp;
    const callers: { label: string; cookie?: string; login?: string; totpSecret?: string }[] = [];
    const ids: string[] = [];
    const uuids: string[] = [];

    /** Logs a staff account in again, with a fresh TOTP code where it has one (the clock moves past the used one). */
    const relogin = async (c: (typeof callers)[number]): Promise<void> => {
      if (!c.login) return;
      if (!c.totpSecret) {
        c.cookie = await t.staff(c.login);
        return;
      }
      t.setNow(new Date(t.ctx.clock.now().getTime() + 31_000).toISOString());
      const r = await t.request('POST', '/api/auth/login', { body: { login: c.login, password: demoPassword, totp: totpAt(c.totpSecret, t.ctx.clock.now()) } });
      c.cookie = r.statusCode === 200 ? cookieOf(r) : undefined;
    };

    beforeAll(async () => {
      t = await startTestApp(kind);
      const c = await newCase(t);
      const other = await newCase(t);
      uuids.push(c.id, other.id, '00000000-0000-4000-8000-000000000000');
      ids.push(...uuids, c.queryCode);
      // One case taken some way along, so actions on it meet real states.
      const acceptor = await t.staff('zd.acceptor');
      expect((await act(t, acceptor, c.id, 'accept', {})).statusCode).toBe(200);
      const units = ['130123-zj', '130123-xfj', '130100-xfj', '130000-xfj'];
      ids.push(...units);
      callers.push({ label: 'nobody' }, { label: 'citizen', cookie: c.citizen.cookie }, { label: 'other citizen', cookie: other.citizen.cookie });
      for (const login of ['zd.registrar', 'zd.acceptor', 'zd.dispatcher', 'zd.handler', 'zd.supervisor', 'zd.leader', 'zd.auditor', 'sjz.supervisor']) {
        callers.push({ label: login, login, cookie: await t.staff(login) });
      }
      // The administrators reach their routes only with a second factor: enrol one for each.
      for (const login of ['zd.admin', 'zd.security_admin']) {
        const cookie = await t.staff(login);
        const { secret } = (await t.request('POST', '/api/me/totp/setup', { cookie, body: {} })).json<{ secret: string }>();
        expect((await t.request('POST', '/api/me/totp/enable', { cookie, body: { code: totpAt(secret, t.ctx.clock.now()) } })).statusCode).toBe(200);
        const caller = { label: login, login, cookie, totpSecret: secret };
        await relogin(caller);
        callers.push(caller);
      }
    }, 60_000);

    afterAll(async () => {
      await t?.close();
    });

    it('no request to any route is answered with a 500, and every refusal speaks Chinese', async () => {
      const seed = Number(process.env.XF_FUZZ_SEED ?? 20261129);
      const rounds = Number(process.env.XF_FUZZ_ROUNDS ?? 10);
      const rand = seededRandom(seed);
      const int = (n: number) => Math.floor(rand() * n);
      const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
      const spec = (await t.request('GET', '/api/openapi.json')).json<{ paths: Record<string, Record<string, Operation>> }>();

      const oddStrings = ['', ' ', '\u0000', '\ud800', '😀😀', "' or 1=1 --", '<script>alert(1)</script>', '../../etc/passwd', '__proto__', '9'.repeat(40), '-1', '1e999', 'NaN', 'null', 'true', '2026-02-30', '2026-13-01', '0000-00-00', '99999-01-01', 'x'.repeat(3000), '%00', '%E4%B8', '张三'];
      // Real days, impossible ones, and days outside any calendar the product has.
      const days = ['2026-03-02', '2026-02-01', '2025-12-31', '2026-03-02T02:00:00Z', '2026-02-30', '2026-02-29', '2024-02-29', '2026-13-01', '0000-00-00', '0000-01-01', '0001-01-01', '1899-12-31', '2100-01-01', '9999-12-31'];
      const oddValues: unknown[] = [null, true, false, 0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 2 ** 53 + 1, [], {}, [null], { a: 1 }];

      const valueFor = (s: JsonSchema | undefined, depth: number): unknown => {
        if (!s || depth > 3 || rand() < 0.15) return rand() < 0.5 ? pick(oddStrings) : pick(oddValues);
        if (s.const !== undefined) return s.const;
        if (s.enum) return rand() < 0.8 ? pick(s.enum) : pick(oddStrings);
        const alts = s.anyOf ?? s.oneOf;
        if (alts?.length) return valueFor(pick(alts), depth);
        const type: string = (Array.isArray(s.type) ? pick(s.type) : s.type) ?? 'unknown';
        switch (type) {
          case 'string':
            if (s.format === 'uuid') return rand() < 0.9 ? pick(uuids) : pick(ids);
            if (rand() < 0.3) return pick(ids);
            if (s.format === 'date' || s.format === 'date-time' || s.pattern?.includes('\\d{4}')) return pick(days);
            return rand() < 0.6 ? pick(['反映问题：拖欠工资，请依法处理。', '130123', 'labour', 'bureau', '13900000001', '张三', 'satisfied']) : pick(oddStrings);
          case 'integer':
          case 'number':
            return pick([0, 1, 2, 5, 20, 100, 1000, -1, 1.5, s.minimum ?? 0, s.maximum ?? 1e9, 1e15]);
          case 'boolean':
            return rand() < 0.5;
          case 'array':
            return Array.from({ length: int(4) }, () => valueFor(s.items, depth + 1));
          case 'object': {
            const o: Record<string, unknown> = {};
            for (const [k, v] of Object.entries(s.properties ?? {})) if (rand() < 0.8) o[k] = valueFor(v, depth + 1);
            if (rand() < 0.15) o[pick(['extra', '__proto__', 'constructor', ''])] = pick(oddValues);
            return o;
          }
          default:
            return pick(oddStrings);
        }
      };
      /** A path parameter: mostly what its schema asks for (ids of real records among them), sometimes anything. */
      const pathValue = (schema: JsonSchema | undefined): string => {
        const v = String(rand() < 0.85 && schema ? valueFor(schema, 1) : rand() < 0.5 ? pick(ids) : pick(oddStrings));
        try {
          return encodeURIComponent(v) || 'x';
        } catch {
          return '%ED%A0%80'; // a lone surrogate, as the bytes a client might send
        }
      };

      const failures: string[] = [];
      let sent = 0;
      const statuses = new Map<number, number>();
      const reached = new Set<string>();
      const byRoute = new Map<string, string[]>();
      for (const [template, ops] of Object.entries(spec.paths)) {
        for (const [method, op] of Object.entries(ops)) {
          const route = `${method.toUpperCase()} ${template}`;
          if (skipped.has(route)) continue;
          for (let round = 0; round < rounds; round++) {
            const caller = pick(callers);
            const url = template.replace(/\{([^}]+)\}/g, (_, name: string) => pathValue(op.parameters?.find((p) => p.in === 'path' && p.name === name)?.schema));
            const query = new URLSearchParams();
            for (const p of op.parameters ?? []) {
              if (p.in === 'query' && rand() < 0.7) {
                const v = valueFor(p.schema, 1);
                query.set(p.name, typeof v === 'string' ? v : JSON.stringify(v));
              }
            }
            if (rand() < 0.2) query.set(pick(['page', 'limit', 'sort', 'x', '__proto__']), pick(oddStrings));
            const qs = query.toString();
            const bodySchema = op.requestBody?.content?.['application/json']?.schema;
            const hasBody = method !== 'get' && method !== 'head' && method !== 'delete';
            let body: string | undefined;
            if (hasBody) {
              const r = rand();
              const v = r < 0.8 ? valueFor(bodySchema ?? { type: 'object' }, 0) : pick(oddValues);
              body = JSON.stringify(v) ?? 'null';
              if (r > 0.95) body = body.slice(0, int(body.length + 1));
            }
            const headers: Record<string, string> = {};
            if (caller.cookie) headers.cookie = caller.cookie;
            if (body !== undefined) headers['content-type'] = 'application/json';
            let r: LightMyRequestResponse;
            try {
              r = await t.app.inject({ method: method.toUpperCase() as 'GET', url: qs ? `${url}?${qs}` : url, headers, ...(body !== undefined ? { payload: body } : {}) });
            } catch (err) {
              failures.push(`${route} as ${caller.label}: inject threw ${String(err)}`);
              continue;
            }
            sent++;
            statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
            if (r.statusCode < 300) reached.add(route);
            if (process.env.XF_FUZZ_REPORT) byRoute.set(route, [...(byRoute.get(route) ?? []), `${r.statusCode}:${caller.label}:${r.statusCode >= 400 ? r.body.slice(0, 80) : ''}`]);
            const desc = `${method.toUpperCase()} ${url}${qs ? `?${qs.slice(0, 200)}` : ''} as ${caller.label} ${body ? body.slice(0, 300) : ''}`;
            if (r.statusCode >= 500) failures.push(`${r.statusCode} ${desc}: ${r.body.slice(0, 300)}`);
            else if (r.statusCode >= 400) {
              const ct = String(r.headers['content-type'] ?? '');
              const message = ct.includes('json') ? (r.json<{ error?: { message?: string } }>().error?.message ?? '') : '';
              if (!HAN.test(message)) failures.push(`${r.statusCode} without a Chinese error: ${desc}: ${r.body.slice(0, 200)}`);
            }
            // A session the fuzz ended (password change, TOTP enrolment…) is renewed for the next request.
            if (caller.login && r.statusCode === 401) await relogin(caller);
          }
        }
      }
      if (process.env.XF_FUZZ_REPORT) for (const [route, rs] of byRoute) if (!reached.has(route)) console.log(route, rs.slice(0, 4).join(' | '));
      if (process.env.XF_FUZZ_REPORT) console.log({ sent, statuses: Object.fromEntries(statuses), reached: reached.size, routes: Object.values(spec.paths).reduce((n, ops) => n + Object.keys(ops).length, 0) });
      expect(failures, failures.join('\n')).toEqual([]);
      expect(sent).toBeGreaterThan(Object.keys(spec.paths).length * rounds * 0.9);
      const chain = await verifyAll(t.ctx);
      expect(chain.broken).toEqual([]);
    }, 300_000);
  });
}
