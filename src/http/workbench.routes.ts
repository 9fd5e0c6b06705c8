/** Staff workbench routes: queue counts, unmasking with a reason, related cases, due preview, bulk actions. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../services/context.js';
import { requireStaff } from '../services/office.service.js';
import { assignmentDuePreview, bulkAction, relatedCases, unmaskCase, workbench } from '../services/workbench.service.js';

const caseId = z.object({ id: z.uuid({ message: '信访件编号格式不正确' }) });

export function workbenchRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/office/workbench', { schema: { tags: ['工作人员'], summary: '工作台：本人角色的各队列及件数（本辖区）' } }, async (req, reply) => {
    const p = requireStaff(req.principal);
    reply.header('Cache-Control', 'no-store');
    return workbench(ctx, p);
  });

  r.post(
    '/api/office/cases/:id/unmask',
    {
      schema: {
        tags: ['工作人员'],
        summary: '查看完整个人信息（须有权限并填写理由，留痕）',
        params: caseId,
        body: z.object({ reason: z.string().trim().min(4, '请写明理由（至少 4 个字）').max(500, '理由不能超过 500 个字') }).strict(),
      },
    },
    async (req, reply) => {
      const p = requireStaff(req.principal);
      reply.header('Cache-Control', 'no-store');
      return unmaskCase(ctx, p, req.params.id, req.body.reason, req.ip);
    },
  );

  r.get('/api/office/cases/:id/related', { schema: { tags: ['工作人员'], summary: '同一信访人的其他信访件（含相似度）', params: caseId } }, async (req) => {
    const p = requireStaff(req.principal);
    return relatedCases(ctx, p, req.params.id);
  });

  r.get('/api/office/cases/:id/due-preview', { schema: { tags: ['工作人员'], summary: '今日交办或转送时的退回异议期限与办理答复期限', params: caseId } }, async (req) => {
    const p = requireStaff(req.principal);
    return assignmentDuePreview(ctx, p, req.params.id);
  });

  r.post(
    '/api/office/bulk/:action',
    {
      schema: {
        tags: ['工作人员'],
        summary: '批量受理或批量转送：逐件处理（各自一个事务），逐件报告结果',
        params: z.object({ action: z.enum(['accept', 'forward'], { message: '只支持批量受理（accept）或批量转送（forward）' }) }),
        body: z
          .object({
            caseIds: z.array(z.uuid({ message: '信访件编号格式不正确' })).min(1, '请至少选择一件').max(100, '一次最多处理 100 件'),
            unitId: z.string().max(64).optional(),
            instructions: z.string().max(2000).optional(),
            note: z.string().max(1000).optional(),
          })
          .strict(),
      },
    },
    async (req) => {
      const p = requireStaff(req.principal);
      const { caseIds, ...body } = req.body;
      return bulkAction(ctx, p, req.params.action, caseIds, body);
    },
  );
}
