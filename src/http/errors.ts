/** Every error leaves as the contract's JSON body with a Chinese message; nothing becomes a 500 by accident. */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../services/errors.js';
import { spaShell } from './web.js';

z.config(z.locales.zhCN());

const fieldLabel = (path: string) => path || '请求';

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError | Error, req, reply) => {
    if (err instanceof AppError) {
      return reply.status(err.status).send({ error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) } });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const fields: Record<string, string> = {};
      for (const v of err.validation) {
        const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
        fields[fieldLabel(path)] ??= zodMessage(v.message);
      }
      return reply.status(400).send({ error: { code: 'bad_input', message: '请求内容不符合要求，请检查标注的项目', fields } });
    }
    const fe = err as FastifyError;
    switch (fe.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
      case 'FST_REQ_FILE_TOO_LARGE':
      case 'FST_FILES_LIMIT':
      case 'FST_PARTS_LIMIT':
        return reply.status(413).send({ error: { code: 'too_large', message: '提交的内容过大' } });
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
        return reply.status(415).send({ error: { code: 'unsupported_media_type', message: '不支持的内容类型，请以 JSON 提交（上传文件请用 multipart/form-data）' } });
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return reply.status(400).send({ error: { code: 'bad_input', message: '请求内容为空' } });
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return reply.status(400).send({ error: { code: 'bad_json', message: '请求内容不是有效的 JSON' } });
      default:
        break;
    }
    if (err instanceof SyntaxError) return reply.status(400).send({ error: { code: 'bad_json', message: '请求内容不是有效的 JSON' } });
    if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      const status = fe.statusCode;
      const message = status === 429 ? '请求过于频繁，请稍后再试' : status === 404 ? '请求的资源不存在' : '请求无效';
      return reply.status(status).send({ error: { code: fe.code ?? 'bad_request', message } });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal', message: '服务器内部错误，请稍后重试；您的提交如已确认，不会丢失' } });
  });
  app.setNotFoundHandler((req, reply) => {
    if ((req.method === 'GET' || req.method === 'HEAD') && !req.url.startsWith('/api/') && req.url !== '/api') {
      const shell = spaShell();
      // Personal pages render from the API; the shell itself holds nothing personal but must stay fresh.
      if (shell) return reply.status(200).type('text/html; charset=utf-8').header('Cache-Control', 'no-cache').send(shell);
    }
    return reply.status(404).send({ error: { code: 'not_found', message: `接口不存在：${req.method} ${req.url.split('?')[0]}` } });
  });
}

/**
 * Fastify's router answers some malformed paths itself, before any hook or the error handler runs:
 * a percent-encoding that is not UTF-8 (FST_ERR_BAD_URL) and a path segment over the router's length
 * limit (FST_ERR_MAX_PARAM_LENGTH). Without this they would leave as English bodies outside the contract
 * (and the latter as a 414). Passed to Fastify as `frameworkErrors`.
 */
export function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  const message =
    err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? '请求路径中的参数过长' : err.code === 'FST_ERR_BAD_URL' ? '请求路径含有无效的字符编码' : '请求路径无效';
  // The hooks that set these on every other response have not run for this request.
  void reply
    .status(400)
    .header('Cache-Control', 'no-store')
    .header('X-Content-Type-Options', 'nosniff')
    .header('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'")
    .send({ error: { code: 'bad_input', message } });
}

/** zod messages are Chinese: schemas carry their own, and zod's zh-CN locale covers the rest. */
function zodMessage(message: string | undefined): string {
  return message && /[\u4e00-\u9fa5]/.test(message) ? message : '取值无效';
}
