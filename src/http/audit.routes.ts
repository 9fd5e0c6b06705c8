/**
 * Integrity routes: the published daily anchors, petitioner-only acts by one-time code (for
 * petitioners without a session) and "这不是我签的" (which opens a 督办件, see supervision.routes.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../services/context.js';
import { requireLogin } from './auth-plugin.js';
import { latestAnchors } from '../services/anchor.service.js';
import { caseByQueryCode, checkOtp, requestOtp } from '../services/otp.service.js';
import { ownCase, petitionerAct } from '../services/case.service.js';
import { signDocumentAsPetitioner } from '../services/document.service.js';
import { disputeSignature } from '../services/supervision.service.js';
import { forbidden } from '../services/errors.js';
import type { Actor } from '../services/case-mutation.js';
import type { CaseRow } from '../store/case.repository.js';

const qcParams = z.object({ queryCode: z.string().max(40) });
const qcDocParams = z.object({ queryCode: z.string().max(40), docId: z.uuid({ message: '文书编号格式不正确' }) });
const otp = z.string().regex(/^\d{6}$/, '验证码为 6 位数字');
const reason = z.string().trim().min(5, '请写明情况（至少 5 个字）').max(2000);

export function auditRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  /** The petitioner as actor, carrying the checked one-time code the act spends in its transaction. */
  const petitioner = (row: CaseRow & { proof: Actor['proof'] }): Actor => ({ kind: 'citizen', id: row.petitioner_id, unitId: null, proof: row.proof });
  /** Loads the case by query code and checks the one-time code (spent only if the act commits). */
  const byCode = async (queryCode: string, code: string) => {
    const row = await caseByQueryCode(ctx, queryCode);
    return { ...row, proof: await checkOtp(ctx, row.id, code) };
  };

  r.get(
    '/api/public/anchors',
    { schema: { tags: ['公开'], summary: '每日审计锚点（所有信访件哈希链头的根哈希，逐日链接）', querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).default(10) }) } },
    async (req, reply) => {
      reply.header('Cache-Control', 'public, max-age=300');
      return { items: await latestAnchors(ctx, req.query.limit) };
    },
  );

  r.post(
    '/api/track/:queryCode/otp',
    { schema: { tags: ['信访人'], summary: '向信访人登记的手机（电子邮件来信则为来信邮箱）发送一次性验证码（6 位，10 分钟，单次有效）', params: qcParams } },
    async (req, reply) => {
      reply.header('Cache-Control', 'no-store');
      const row = await caseByQueryCode(ctx, req.params.queryCode);
      return reply.status(201).send(await requestOtp(ctx, row));
    },
  );

  r.post(
    '/api/track/:queryCode/confirm-receipt',
    { schema: { tags: ['信访人'], summary: '凭验证码确认收到答复', params: qcParams, body: z.object({ otp }).strict() } },
    async (req) => {
      const row = await byCode(req.params.queryCode, req.body.otp);
      const next = await petitionerAct(ctx, row.id, petitioner(row), { action: 'confirm-receipt' });
      return { state: next.state, replyReceivedAt: next.reply_received_at };
    },
  );

  r.post(
    '/api/track/:queryCode/evaluation',
    {
      schema: {
        tags: ['信访人'],
        summary: '凭验证码评价',
        params: qcParams,
        body: z.object({ otp, rating: z.enum(['satisfied', 'basically_satisfied', 'dissatisfied']), comment: z.string().max(1000).optional() }).strict(),
      },
    },
    async (req, reply) => {
      const row = await byCode(req.params.queryCode, req.body.otp);
      const next = await petitionerAct(ctx, row.id, petitioner(row), { action: 'evaluate', rating: req.body.rating, comment: req.body.comment });
      return reply.status(201).send({ state: next.state, evaluation: next.evaluation });
    },
  );

  r.post(
    '/api/track/:queryCode/review-request',
    { schema: { tags: ['信访人'], summary: '凭验证码申请复查 / 复核', params: qcParams, body: z.object({ otp, reason }).strict() } },
    async (req, reply) => {
      const row = await byCode(req.params.queryCode, req.body.otp);
      const next = await petitionerAct(ctx, row.id, petitioner(row), { action: 'review-request', reason: req.body.reason });
      return reply.status(201).send({ state: next.state, reviewLevel: next.review_level, dueReviewDecision: next.due_review_decision });
    },
  );

  r.post(
    '/api/track/:queryCode/documents/:docId/sign',
    { schema: { tags: ['信访人'], summary: '凭验证码签署文书（双向责任书）', params: qcDocParams, body: z.object({ otp, sha256: z.string().regex(/^[0-9a-fA-F]{64}$/).optional() }).strict() } },
    async (req) => {
      const row = await byCode(req.params.queryCode, req.body.otp);
      return signDocumentAsPetitioner(ctx, row.id, req.params.docId, row.petitioner_id, req.body.sha256, row.proof);
    },
  );

  r.post(
    '/api/track/:queryCode/documents/:docId/dispute',
    { schema: { tags: ['信访人'], summary: '凭验证码报告“这不是我签的”（上一级信访部门督办）', params: qcDocParams, body: z.object({ otp, reason }).strict() } },
    async (req, reply) => {
      const row = await byCode(req.params.queryCode, req.body.otp);
      return reply.status(201).send(await disputeSignature(ctx, row.id, req.params.docId, req.body.reason, petitioner(row)));
    },
  );

  r.post(
    '/api/cases/:id/documents/:docId/dispute',
    {
      schema: {
        tags: ['信访人'],
        summary: '报告“这不是我签的”——仅限信访人本人（上一级信访部门督办）',
        params: z.object({ id: z.uuid({ message: '信访件编号格式不正确' }), docId: z.uuid({ message: '文书编号格式不正确' }) }),
        body: z.object({ reason }).strict(),
      },
    },
    async (req, reply) => {
      const p = requireLogin(req);
      if (p.kind !== 'citizen') throw forbidden('只有信访人本人可以提出异议');
      const row = await ownCase(ctx, p, req.params.id);
      return reply.status(201).send(await disputeSignature(ctx, row.id, req.params.docId, req.body.reason, { kind: 'citizen', id: p.account.id, unitId: null }));
    },
  );
  // The supervision list (督办件) lives in supervision.routes.ts.
}
