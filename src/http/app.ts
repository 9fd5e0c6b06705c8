/** Builds the fastify application: plugins, error contract, OpenAPI, routes. */
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { AppContext } from '../services/context.js';
import { frameworkErrors, installErrorHandling } from './errors.js';
import { installAuth } from './auth-plugin.js';
import { publicRoutes } from './public.routes.js';
import { officeRoutes } from './office.routes.js';
import { documentsRoutes } from './documents.routes.js';
import { entryRoutes } from './entry.routes.js';
import { workbenchRoutes } from './workbench.routes.js';
import { sunshineRoutes } from './sunshine.routes.js';
import { statsRoutes } from './stats.routes.js';
import { auditRoutes } from './audit.routes.js';
import { version } from './version.js';
import { installWeb } from './web.js';
import { adminJobsRoutes } from './admin-jobs.routes.js';
import { installSecurity } from './security.js';
import { accountSecurityRoutes } from './admin-users.routes.js';
import { supervisionRoutes } from './supervision.routes.js';
import { staffAccountRoutes } from './staff-accounts.routes.js';
import { redactUrl } from './log-redaction.js';
import { assessmentRoutes } from './assessment.routes.js';
import { typicalCircularRoutes } from './typical-circulars.routes.js';

export async function buildApp(ctx: AppContext, opts: { logger?: boolean; logStream?: NodeJS.WritableStream } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger
      ? {
          level: ctx.config.logLevel,
          // Personal data never reaches the log: no bodies, no cookies, no query codes in URLs.
          serializers: { req: (req: { method: string; url: string }) => ({ method: req.method, url: redactUrl(req.url) }) },
          ...(opts.logStream ? { stream: opts.logStream } : {}),
        }
      : false,
    bodyLimit: ctx.config.maxBodyBytes,
    trustProxy: false,
    ajv: { customOptions: { coerceTypes: false } },
    frameworkErrors,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // The API speaks JSON (and multipart for uploads) only: fastify's built-in text/plain parser would
  // hand a string to the JSON schemas (400) instead of the contract's 415.
  app.removeContentTypeParser('text/plain');
  installErrorHandling(app);

  await app.register(cookie);
  await installSecurity(app, ctx);
  await app.register(multipart, { limits: { fileSize: ctx.config.maxUploadBytes, files: 1, fields: 5, parts: 6 }, throwFileSizeLimit: true });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Xinfang 网上信访平台 API', version, description: '信访人、工作人员与对接系统使用的 HTTP 接口。错误统一为 {"error":{"code","message","fields?"}}。' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'xf_session' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    // "Try it out" sends the same CSRF header as the SPA, so writes from the docs page work. The
    // function is serialised into the page's static initializer script (CSP script-src 'self').
    uiConfig: {
      requestInterceptor: function (request: { headers: Record<string, string> }) {
        request.headers['X-Requested-With'] = 'xinfang';
        return request;
      },
    } as Record<string, unknown>,
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());

  installAuth(app, ctx);
  publicRoutes(app, ctx);
  officeRoutes(app, ctx);
  documentsRoutes(app, ctx);
  entryRoutes(app, ctx);
  workbenchRoutes(app, ctx);
  sunshineRoutes(app, ctx);
  statsRoutes(app, ctx);
  adminJobsRoutes(app, ctx);
  auditRoutes(app, ctx);
  accountSecurityRoutes(app, ctx);
  supervisionRoutes(app, ctx);
  staffAccountRoutes(app, ctx);
  assessmentRoutes(app, ctx);
  typicalCircularRoutes(app, ctx);
  await installWeb(app);
  return app;
}
