/** Session cookie → request.principal; an Origin check against cross-site writes. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../services/context.js';
import { resolveSession, type Principal } from '../services/auth.service.js';
import { AppError, notLoggedIn } from '../services/errors.js';

export const sessionCookie = 'xf_session';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export function installAuth(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req: FastifyRequest) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS') {
      // Cookies are SameSite=Lax; a browser's cross-site write also carries a foreign Origin: refuse it.
      const origin = req.headers.origin;
      if (origin && origin !== 'null') {
        let host: string | undefined;
        try {
          host = new URL(origin).host;
        } catch {
          host = undefined;
        }
        if (host !== req.headers.host) throw new AppError(403, 'cross_site', '拒绝跨站请求');
      }
    }
    const token = req.cookies[sessionCookie];
    if (token && token.length <= 100) req.principal = await resolveSession(ctx, token);
  });
}

/** The logged-in principal, or 401. */
export function requireLogin(req: FastifyRequest): Principal {
  if (!req.principal) throw notLoggedIn();
  return req.principal;
}

export function setSessionCookie(ctx: AppContext, reply: FastifyReply, token: string): void {
  reply.setCookie(sessionCookie, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.config.cookieSecure,
    maxAge: ctx.config.sessionMaxHours * 3600,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(sessionCookie, { path: '/' });
}
