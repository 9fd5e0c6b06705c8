/**
 * Web hardening: security headers and CSP (helmet), a custom-header CSRF check on cookie-authenticated
 * writes, no-store on personal answers, request limits per client address, failure limits on login and
 * tracking, and the enrolment-only session of an admin who has not enabled TOTP yet.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import rateLimit from '@fastify/rate-limit';
import type { AppContext } from '../services/context.js';
import { AppError } from '../services/errors.js';
import { hasTotp, needsTotp } from '../services/account-security.service.js';
import { sessionCookie } from './auth-plugin.js';

/** The header every cookie-authenticated write must carry; a cross-site form or simple request cannot set it. */
export const csrfHeader = 'x-requested-with';
export const csrfValue = 'xinfang';

/** API paths whose answers are public and may be cached by the route's own rules. */
const publicApi = [/^\/api\/health$/, /^\/api\/catalog$/, /^\/api\/public\//, /^\/api\/docs/, /^\/api\/openapi\.json$/];

/** Routes an admin without TOTP may still reach: enrolment, who am I, logout. */
const enrolmentRoutes = new Set(['GET /api/me', 'GET /api/me/security', 'POST /api/me/totp/setup', 'POST /api/me/totp/enable', 'POST /api/auth/logout', 'POST /api/auth/login']);

/** Counts failures per key in fixed windows (in memory, per instance). */
export class FailureCounter {
  private readonly hits = new Map<string, { n: number; until: number }>();
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  blocked(key: string): number | null {
    const h = this.hits.get(key);
    if (!h) return null;
    if (h.until <= this.now()) {
      this.hits.delete(key);
      return null;
    }
    return h.n >= this.limit ? Math.ceil((h.until - this.now()) / 1000) : null;
  }

  fail(key: string): void {
    const now = this.now();
    if (this.hits.size > 100_000) for (const [k, v] of this.hits) if (v.until <= now) this.hits.delete(k);
    const h = this.hits.get(key);
    if (!h || h.until <= now) this.hits.set(key, { n: 1, until: now + this.windowMs });
    else h.n++;
  }
}

/** True when any string (or key) inside a parsed body contains U+0000; iterative, so deep nesting is safe. */
function hasNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return true;
    } else if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
    } else if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (k.includes('\u0000')) return true;
        stack.push(x);
      }
    }
  }
  return false;
}

const tooMany = (seconds: number) => new AppError(429, 'rate_limited', `请求过于频繁，请于 ${Math.max(1, seconds)} 秒后再试`);

export async function installSecurity(app: FastifyInstance, ctx: AppContext): Promise<void> {
  // Security headers: helmet's middleware built once. (@fastify/helmet built it anew from the options
  // on every request: parsing the CSP directives and every other option per response.)
  const securityHeaders = helmet({
    // antd 6 writes its styles at run time (CSS-in-JS), so style-src needs 'unsafe-inline'; scripts do not.
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        frameSrc: ["'self'", 'blob:'],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        ...(ctx.config.cookieSecure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: ctx.config.cookieSecure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', (req, reply, done) => {
    securityHeaders(req.raw, reply.raw, (err?: unknown) => done(err instanceof Error ? err : undefined));
  });

  app.addHook('onRequest', async (req: FastifyRequest) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return;
    if (!req.url.startsWith('/api/') || req.cookies[sessionCookie] === undefined) return;
    if (req.headers[csrfHeader] !== csrfValue) throw new AppError(403, 'csrf', '请求缺少防跨站校验标头，已拒绝；请刷新页面后重试');
  });

  // PostgreSQL text cannot hold U+0000 (SQLite can): refuse it everywhere alike, before any service sees it.
  app.addHook('preValidation', async (req: FastifyRequest) => {
    if (hasNul(req.body) || hasNul(req.query) || hasNul(req.params)) {
      throw new AppError(400, 'bad_input', '提交的内容含有不允许的控制字符（U+0000）');
    }
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (req.url.startsWith('/api/') && !reply.hasHeader('cache-control')) {
      const path = req.url.split('?')[0]!;
      if (!publicApi.some((r) => r.test(path))) reply.header('Cache-Control', 'no-store');
    }
    return payload;
  });

  // An admin or security admin without TOTP gets a session that only reaches the enrolment routes.
  app.addHook('preHandler', async (req: FastifyRequest) => {
    const p = req.principal;
    if (!p || p.kind !== 'staff' || !needsTotp(p.account)) return;
    if (enrolmentRoutes.has(`${req.method} ${req.routeOptions.url ?? ''}`)) return;
    if (await hasTotp(ctx, p.account.id)) return;
    throw new AppError(403, 'forbidden', '管理员账号须先启用动态口令（TOTP）才能使用管理功能', { totp: '请先在“账号安全”中绑定身份验证器' });
  });

  const l = ctx.config.limits;
  if (!l.enabled) return;
  const now = () => ctx.clock.now().getTime();
  const loginFailures = new FailureCounter(l.loginFailuresPer15Min, 15 * 60_000, now);
  const trackFailures = new FailureCounter(l.trackFailuresPer15Min, 15 * 60_000, now);
  const counted = (req: FastifyRequest): FailureCounter | null => {
    const route = `${req.method} ${req.routeOptions.url ?? ''}`;
    return route === 'POST /api/auth/login' ? loginFailures : route === 'GET /api/track/:queryCode' ? trackFailures : null;
  };
  app.addHook('onRequest', async (req) => {
    const c = counted(req);
    const wait = c?.blocked(req.ip);
    if (wait) throw tooMany(wait);
  });
  app.addHook('onResponse', async (req, reply) => {
    const c = counted(req);
    // 400 and 404 on tracking are guesses at a code; 401 on login is a wrong password or second factor.
    if (c && (reply.statusCode === 401 || reply.statusCode === 404 || (c === trackFailures && reply.statusCode === 400))) c.fail(req.ip);
  });

  const perRoute: Record<string, { max: number; timeWindow: number }> = {
    'POST /api/auth/login': { max: l.loginPerMinute, timeWindow: 60_000 },
    'POST /api/auth/register': { max: l.registerPerHour, timeWindow: 3_600_000 },
    'POST /api/cases': { max: l.submitPerMinute, timeWindow: 60_000 },
    'GET /api/track/:queryCode': { max: l.trackPerMinute, timeWindow: 60_000 },
  };
  // Runs before the rate-limit plugin's own onRoute hook, so the routes defined later carry their limit.
  app.addHook('onRoute', (ro) => {
    const methods = Array.isArray(ro.method) ? ro.method : [ro.method];
    for (const m of methods) {
      const lim = perRoute[`${m} ${ro.url}`];
      if (lim) ro.config = { ...(ro.config ?? {}), rateLimit: lim };
    }
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, c) => tooMany(Math.ceil(c.ttl / 1000)),
  });
}
