/** 阳光信访: the public page (published cases and figures) and the staff publication step. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../services/context.js';
import { publicationDraft, publishCase, sunshinePage, unpublishCase } from '../services/sunshine.service.js';
import { categoryCodes } from '../domain/catalog.js';

const caseId = z.object({ id: z.uuid({ message: '信访件编号格式不正确' }) });

export function sunshineRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/public/sunshine',
    {
      schema: {
        tags: ['阳光信访'],
        summary: '阳光信访：公开的信访件（已去除个人信息）及本年度公开数据',
        querystring: z
          .object({
            page: z.coerce.number().int().min(1, '页码从 1 开始').max(10000).default(1),
            pageSize: z.coerce.number().int().min(1).max(50, '每页最多 50 条').default(10),
            category: z.string().max(40).refine((c) => categoryCodes.has(c), '未知的问题类别').optional(),
          })
          .strict(),
      },
    },
    async (req, reply) => {
      // Revalidated on every visit: a publication withdrawn (e.g. personal data found in it) must
      // disappear at once, not stay in browsers' and proxies' caches for another minute.
      reply.header('Cache-Control', 'public, no-cache');
      return sunshinePage(ctx, req.query);
    },
  );

  r.get(
    '/api/office/cases/:id/publication',
    { schema: { tags: ['阳光信访'], summary: '公开前的检查：能否公开、自动去除个人信息后的草稿、当前公开内容', params: caseId } },
    async (req, reply) => {
      reply.header('Cache-Control', 'no-store');
      return publicationDraft(ctx, req.principal, req.params.id);
    },
  );

  r.post(
    '/api/office/cases/:id/publish',
    {
      schema: {
        tags: ['阳光信访'],
        summary: '在阳光信访公开（须信访人同意且已答复；工作人员核对去除个人信息后的文字）',
        params: caseId,
        body: z
          .object({
            title: z.string().trim().min(4, '标题至少 4 个字').max(100, '标题不能超过 100 个字'),
            content: z.string().trim().min(10, '诉求内容至少 10 个字').max(5000, '诉求内容不能超过 5000 个字'),
            answer: z.string().trim().min(10, '答复内容至少 10 个字').max(20000, '答复内容不能超过 20000 个字'),
            nameCheckOverride: z.boolean().optional().describe('确认文中与信访人姓名相同的文字并非指信访人（如地名“张家口”）'),
          })
          .strict(),
      },
    },
    async (req, reply) => {
      const { created, publication } = await publishCase(ctx, req.principal, req.params.id, req.body);
      return reply.status(created ? 201 : 200).send(publication);
    },
  );

  r.post(
    '/api/office/cases/:id/unpublish',
    {
      schema: {
        tags: ['阳光信访'],
        summary: '撤回公开',
        params: caseId,
        body: z.object({ reason: z.string().trim().max(1000, '理由不能超过 1000 字').optional() }).strict().optional(),
      },
    },
    async (req) => unpublishCase(ctx, req.principal, req.params.id, req.body?.reason || undefined),
  );
}
