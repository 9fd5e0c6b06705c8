/** Routes for everyone: health, accounts, the catalogue, citizen cases and tracking by query code. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../services/context.js';
import { clearSessionCookie, requireLogin, sessionCookie, setSessionCookie } from './auth-plugin.js';
import { describePrincipal, login, logout, registerCitizen } from '../services/auth.service.js';
import { citizenAct, citizenAttachment, ownCase, submitCase } from '../services/case.service.js';
import { listItem, ownerView } from '../services/case-view.js';
import { trackingJson } from '../services/tracking.service.js';
import { deadlineSummary } from '../services/deadlines.js';
import { catalog } from '../services/catalog.service.js';
import { normalizeQueryCode } from '../domain/query-code.js';
import { listCasesOfPetitioner } from '../store/case.repository.js';
import { AppError, badInput, forbidden, notFound } from '../services/errors.js';
import { caseNumber } from '../services/case.service.js';
import { version } from './version.js';
import { readAttachment } from './files.js';

const caseId = z.object({ id: z.uuid({ message: '信访件编号格式不正确' }) });

const coPetitioner = z.object({
  name: z.string().min(1).max(50),
  phone: z.string().max(20).optional(),
  representative: z.boolean().optional(),
}).strict(); // like the submission itself: an unknown field is refused, never silently dropped

export const submitSchema = z
  .object({
    target: z.string().min(1).max(40).describe("投诉对象：'bureau'（信访局）或 'mailbox:<区划代码>'（领导信箱）"),
    categoryCode: z.string().min(1).max(40),
    regionCode: z.string().regex(/^\d{6}$/, '区划代码应为 6 位数字'),
    address: z.string().max(200).optional(),
    title: z.string().trim().min(4, '标题至少 4 个字').max(100, '标题不能超过 100 个字'),
    content: z.string().trim().min(10, '内容至少 10 个字').max(5000, '内容不能超过 5000 个字'),
    coPetitioners: z.array(coPetitioner).max(200, '联名人数过多').optional(),
    publicConsent: z.boolean().optional(),
    denunciation: z.boolean().optional().describe('检举揭发：不会让被检举单位看到'),
    accusedUnitIds: z.array(z.string().max(64)).max(10).optional(),
    repeatDecision: z.enum(['same', 'new']).optional().describe("收到 409 possible_repeat 后：'same' 作为留言加入原件（不新建），'new' 确认为新事项"),
  })
  .strict();

export function publicRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/health', { schema: { tags: ['系统'], summary: '健康检查' } }, async () => ({
    status: 'ok',
    database: ctx.store.dialect,
    version,
  }));

  r.post(
    '/api/auth/register',
    {
      schema: {
        tags: ['账号'],
        summary: '实名注册（信访人）',
        body: z.object({ name: z.string().max(50), idNumber: z.string().max(30), phone: z.string().max(30), password: z.string().max(200) }).strict(),
      },
    },
    async (req, reply) => {
      const { token, account } = await registerCitizen(ctx, req.body);
      setSessionCookie(ctx, reply, token);
      const p = { kind: 'citizen' as const, account, tokenHash: '' };
      return reply.status(201).send(describePrincipal(ctx, p));
    },
  );

  r.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['账号'],
        summary: '登录（信访人用手机号，工作人员用用户名）',
        body: z.object({ login: z.string().min(1).max(60), password: z.string().min(1).max(200), totp: z.string().max(10).optional().describe('动态口令（已启用 TOTP 的工作人员）') }).strict(),
      },
    },
    async (req, reply) => {
      const old = req.cookies[sessionCookie];
      if (old) await logout(ctx, old); // rotate: never keep a pre-login token alive
      const { token } = await login(ctx, req.body.login, req.body.password, req.body.totp, req.ip);
      setSessionCookie(ctx, reply, token);
      const p = await import('../services/auth.service.js').then((m) => m.resolveSession(ctx, token));
      if (!p) throw new AppError(401, 'bad_credentials', '登录失败');
      return describePrincipal(ctx, p);
    },
  );

  r.post('/api/auth/logout', { schema: { tags: ['账号'], summary: '退出登录' } }, async (req, reply) => {
    const token = req.cookies[sessionCookie];
    if (token) await logout(ctx, token);
    clearSessionCookie(reply);
    return reply.status(204).send();
  });

  r.get('/api/me', { schema: { tags: ['账号'], summary: '当前用户' } }, async (req) => describePrincipal(ctx, requireLogin(req)));

  r.get('/api/catalog', { schema: { tags: ['信访人'], summary: '类别、区划、投诉对象、受理范围与引导渠道' } }, async () => catalog(ctx));

  r.post(
    '/api/cases',
    {
      schema: {
        tags: ['信访人'],
        summary: '提交信访件（支持 Idempotency-Key 防重复提交）',
        headers: z.object({ 'idempotency-key': z.string().min(8, 'Idempotency-Key 至少 8 个字符').max(100).optional() }).loose(),
        body: submitSchema,
      },
    },
    async (req, reply) => {
      const p = requireLogin(req);
      const key = req.headers['idempotency-key'];
      const { row, queryCode, replayed, joined } = await submitCase(ctx, p, req.body, typeof key === 'string' ? key : undefined);
      if (replayed) reply.header('Idempotent-Replayed', 'true');
      return reply.status(replayed || joined ? 200 : 201).send({
        ...(joined ? { joinedExisting: true } : {}),
        id: row.id,
        caseNo: caseNumber(row),
        queryCode,
        state: row.state,
        submittedAt: row.submitted_at,
        deadlines: deadlineSummary(row),
      });
    },
  );

  r.post(
    '/api/cases/:id/attachments',
    { schema: { tags: ['信访人'], summary: '上传附件（图片或 PDF，multipart/form-data 字段 file）', params: caseId } },
    async (req, reply) => {
      const p = requireLogin(req);
      if (!req.isMultipart()) throw new AppError(415, 'unsupported_media_type', '请以 multipart/form-data 上传文件');
      const file = await req.file();
      if (!file) throw badInput('没有收到文件', { file: '请选择文件' });
      const data = await file.toBuffer();
      const att = await citizenAttachment(ctx, p, req.params.id, { filename: file.filename, data });
      return reply.status(201).send({ id: att.id, filename: att.filename, mime: att.mime, size: att.size, sha256: att.sha256 });
    },
  );

  r.get(
    '/api/cases/:id/attachments/:attachmentId',
    { schema: { tags: ['信访人'], summary: '下载本人信访件的附件', params: z.object({ id: z.uuid(), attachmentId: z.uuid() }) } },
    async (req, reply) => {
      const row = await ownCase(ctx, requireLogin(req), req.params.id);
      return readAttachment(ctx, reply, row.id, req.params.attachmentId);
    },
  );

  r.get(
    '/api/my/cases',
    { schema: { tags: ['信访人'], summary: '我的信访件' } },
    async (req) => {
      const p = requireLogin(req);
      if (p.kind !== 'citizen') throw forbidden('此功能仅限信访人使用');
      const rows = await listCasesOfPetitioner(ctx.store.db, p.account.id, 200);
      return { items: rows.map((row) => ({ ...listItem(ctx, row), queryCode: ctx.crypto.decrypt(row.query_code_enc) })) };
    },
  );

  r.get('/api/my/cases/:id', { schema: { tags: ['信访人'], summary: '我的信访件详情', params: caseId } }, async (req) => {
    const row = await ownCase(ctx, requireLogin(req), req.params.id);
    return ownerView(ctx, row);
  });

  r.get(
    '/api/track/:queryCode',
    { schema: { tags: ['信访人'], summary: '凭查询码查询办理进度（无需登录）', params: z.object({ queryCode: z.string().max(40) }) } },
    async (req, reply) => {
      reply.header('Cache-Control', 'no-store');
      const code = normalizeQueryCode(req.params.queryCode);
      if (!code) throw badInput('查询码格式不正确：应为 16 位字母数字，如 K7QM-2D9F-X4TB-8HRC', { queryCode: '查询码格式不正确' });
      // The rendered view from the tracking projection (services/tracking.service.ts), sent as it is.
      const json = await trackingJson(ctx, ctx.crypto.lookupHash(`qc:${code}`));
      if (json === null) throw notFound('未找到该查询码对应的信访件，请核对后重试');
      return reply.type('application/json; charset=utf-8').send(json);
    },
  );

  r.post(
    '/api/cases/:id/messages',
    { schema: { tags: ['信访人'], summary: '留言', params: caseId, body: z.object({ text: z.string().trim().min(1, '请填写留言内容').max(2000, '留言不能超过 2000 字') }).strict() } },
    async (req, reply) => {
      await citizenAct(ctx, requireLogin(req), req.params.id, { action: 'message', text: req.body.text });
      return reply.status(201).send({ ok: true });
    },
  );

  r.post(
    '/api/cases/:id/evaluation',
    {
      schema: {
        tags: ['信访人'],
        summary: '评价（满意 / 基本满意 / 不满意）——仅限信访人本人',
        params: caseId,
        body: z.object({ rating: z.enum(['satisfied', 'basically_satisfied', 'dissatisfied']), comment: z.string().max(1000).optional() }).strict(),
      },
    },
    async (req, reply) => {
      const row = await citizenAct(ctx, requireLogin(req), req.params.id, { action: 'evaluate', rating: req.body.rating, comment: req.body.comment });
      return reply.status(201).send({ state: row.state, evaluation: row.evaluation });
    },
  );

  r.post(
    '/api/cases/:id/review-request',
    {
      schema: {
        tags: ['信访人'],
        summary: '申请复查 / 复核（在法定期限内）——仅限信访人本人',
        params: caseId,
        body: z.object({ reason: z.string().trim().min(5, '请写明申请理由（至少 5 个字）').max(5000) }).strict(),
      },
    },
    async (req, reply) => {
      const row = await citizenAct(ctx, requireLogin(req), req.params.id, { action: 'review-request', reason: req.body.reason });
      return reply.status(201).send({ state: row.state, reviewLevel: row.review_level, dueReviewDecision: row.due_review_decision });
    },
  );

  r.post(
    '/api/cases/:id/confirm-receipt',
    { schema: { tags: ['信访人'], summary: '确认收到答复——仅限信访人本人', params: caseId } },
    async (req) => {
      const row = await citizenAct(ctx, requireLogin(req), req.params.id, { action: 'confirm-receipt' });
      return { state: row.state, replyReceivedAt: row.reply_received_at };
    },
  );

  r.post(
    '/api/cases/:id/withdraw',
    { schema: { tags: ['信访人'], summary: '撤回（受理前或受理后交办前）', params: caseId, body: z.object({ reason: z.string().max(1000).optional() }).strict().optional() } },
    async (req) => {
      const row = await citizenAct(ctx, requireLogin(req), req.params.id, { action: 'withdraw', reason: req.body?.reason });
      return { state: row.state };
    },
  );
}
