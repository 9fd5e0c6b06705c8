/** 典型案例 (propose, approve, withdraw, browse; the public list on 阳光信访) and 通报 (issue, read, acknowledge, PDF). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../services/context.js';
import { requireStaff } from '../services/office.service.js';
import { decideTypical, getTypical, listTypical, proposeTypical, publicTypical, typicalDraft, withdrawTypical } from '../services/typical-case.service.js';
import { acknowledgeCircular, circularPdf, citableMeasures, getCircular, issueCircular, listCirculars } from '../services/circular.service.js';

const uuid = (what: string) => z.uuid({ message: `${what}编号格式不正确` });
const idParam = (what: string) => z.object({ id: uuid(what) });
const pageQuery = {
  page: z.coerce.number().int().min(1, '页码从 1 开始').max(10000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100, '每页最多 100 条').default(20),
};
const text = {
  title: z.string().trim().min(4, '标题至少 4 个字').max(100, '标题不能超过 100 个字'),
  summary: z.string().trim().min(10, '案情至少 10 个字').max(5000, '案情不能超过 5000 个字'),
  commentary: z.string().trim().min(10, '点评至少 10 个字').max(5000, '点评不能超过 5000 个字'),
};

export function typicalCircularRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/office/typical-cases',
    {
      schema: {
        tags: ['典型案例'],
        summary: '典型案例：已发布的（全体工作人员可看），或待审定、未通过、已撤回的（推荐和审定人员，本辖区）',
        querystring: z.object({ status: z.enum(['published', 'proposed', 'rejected', 'withdrawn'], { message: '状态只能是 published、proposed、rejected、withdrawn' }).default('published'), ...pageQuery }).strict(),
      },
    },
    async (req, reply) => {
      reply.header('Cache-Control', 'no-store');
      return listTypical(ctx, requireStaff(req.principal), req.query);
    },
  );

  r.get('/api/office/typical-cases/:id', { schema: { tags: ['典型案例'], summary: '一个典型案例及其审定记录', params: idParam('典型案例') } }, async (req, reply) => {
    reply.header('Cache-Control', 'no-store');
    return getTypical(ctx, requireStaff(req.principal), req.params.id);
  });

  r.get(
    '/api/office/cases/:id/typical-draft',
    { schema: { tags: ['典型案例'], summary: '推荐典型案例前：能否推荐、自动去除个人信息后的草稿、信访人是否同意公开', params: idParam('信访件') } },
    async (req, reply) => {
      reply.header('Cache-Control', 'no-store');
      return typicalDraft(ctx, requireStaff(req.principal), req.params.id);
    },
  );

  r.post(
    '/api/office/cases/:id/typical',
    {
      schema: {
        tags: ['典型案例'],
        summary: '推荐为典型案例（正面或反面），文字须已去除个人信息；public=true 表示审定后同时在阳光信访公开（须信访人同意）',
        params: idParam('信访件'),
        body: z.object({ kind: z.enum(['good', 'bad'], { message: '类型只能是 good（正面）或 bad（反面）' }), ...text, public: z.boolean().default(false) }).strict(),
      },
    },
    async (req, reply) => reply.status(201).send(await proposeTypical(ctx, requireStaff(req.principal), req.params.id, req.body)),
  );

  r.post(
    '/api/office/typical-cases/:id/decision',
    {
      schema: {
        tags: ['典型案例'],
        summary: '领导审定：approve=true 发布（可同时修改文字），false 不予通过',
        params: idParam('典型案例'),
        body: z
          .object({
            approve: z.boolean({ message: '请选择是否通过' }),
            note: z.string().trim().max(1000, '意见不能超过 1000 字').optional(),
            text: z.object({ title: text.title.optional(), summary: text.summary.optional(), commentary: text.commentary.optional() }).strict().optional(),
            public: z.boolean().optional(),
          })
          .strict(),
      },
    },
    async (req) => decideTypical(ctx, requireStaff(req.principal), req.params.id, req.body),
  );

  r.post(
    '/api/office/typical-cases/:id/withdraw',
    {
      schema: {
        tags: ['典型案例'],
        summary: '撤回已发布的典型案例',
        params: idParam('典型案例'),
        body: z.object({ reason: z.string().trim().min(2, '请填写撤回理由').max(1000, '理由不能超过 1000 字') }).strict(),
      },
    },
    async (req) => withdrawTypical(ctx, requireStaff(req.principal), req.params.id, req.body.reason),
  );

  r.get(
    '/api/public/typical-cases',
    { schema: { tags: ['阳光信访'], summary: '阳光信访：公开的典型案例（已去除个人信息，信访人同意公开）', querystring: z.object({ page: pageQuery.page, pageSize: z.coerce.number().int().min(1).max(50, '每页最多 50 条').default(10) }).strict() } },
    async (req, reply) => {
      // Revalidated on every visit: a publication withdrawn (e.g. personal data found in it) must
      // disappear at once, not stay in browsers' and proxies' caches for another minute.
      reply.header('Cache-Control', 'public, no-cache');
      return publicTypical(ctx, req.query);
    },
  );

  r.get('/api/office/circulars', { schema: { tags: ['通报'], summary: '本人可查看的通报（本辖区签发的、主送本单位的）及签收情况', querystring: z.object(pageQuery).strict() } }, async (req, reply) => {
    reply.header('Cache-Control', 'no-store');
    return listCirculars(ctx, requireStaff(req.principal), req.query);
  });

  r.post(
    '/api/office/circulars',
    {
      schema: {
        tags: ['通报'],
        summary: '签发表扬或批评通报（领导）：选择本辖区主送单位，可引用信访件、督导检查、典型案例和考核指标；生成编号的 PDF 并通知主送单位签收',
        body: z
          .object({
            kind: z.enum(['commendation', 'criticism'], { message: '类型只能是 commendation（表扬）或 criticism（批评）' }),
            title: z.string().trim().min(4, '标题至少 4 个字').max(100, '标题不能超过 100 个字'),
            body: z.string().trim().min(20, '正文至少 20 个字').max(20000, '正文不能超过 20000 个字'),
            targetUnitIds: z.array(z.string().min(1).max(64), { message: '请选择主送单位' }).min(1, '请至少选择一个主送单位').max(200, '主送单位最多 200 个'),
            caseIds: z.array(uuid('信访件')).max(50, '最多引用 50 件').default([]),
            inspectionIds: z.array(uuid('督导检查')).max(20, '最多引用 20 次督导检查').default([]),
            typicalIds: z.array(uuid('典型案例')).max(20, '最多引用 20 个典型案例').default([]),
            measures: z
              .array(
                z
                  .object({
                    measure: z.enum(citableMeasures, { message: '未知的指标' }),
                    period: z.string().regex(/^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/, '期间格式应为 2026、2026-Q1 或 2026-03'),
                  })
                  .strict(),
              )
              .max(10, '最多引用 10 项指标')
              .default([]),
          })
          .strict(),
      },
    },
    async (req, reply) => reply.status(201).send(await issueCircular(ctx, requireStaff(req.principal), req.body)),
  );

  r.get('/api/office/circulars/:id', { schema: { tags: ['通报'], summary: '一份通报：正文、引用事项、主送单位签收情况', params: idParam('通报') } }, async (req, reply) => {
    reply.header('Cache-Control', 'no-store');
    return getCircular(ctx, requireStaff(req.principal), req.params.id);
  });

  r.post('/api/office/circulars/:id/acknowledge', { schema: { tags: ['通报'], summary: '主送单位签收通报', params: idParam('通报') } }, async (req) =>
    acknowledgeCircular(ctx, requireStaff(req.principal), req.params.id),
  );

  r.get('/api/office/circulars/:id/pdf', { schema: { tags: ['通报'], summary: '下载通报 PDF（与登记的 SHA-256 核对后发送）', params: idParam('通报') } }, async (req, reply) => {
    const f = await circularPdf(ctx, requireStaff(req.principal), req.params.id);
    reply.header('Content-Type', 'application/pdf');
    reply.header('Content-Disposition', `attachment; filename="circular.pdf"; filename*=UTF-8''${encodeURIComponent(f.filename)}`);
    reply.header('Repr-Digest', `sha-256=:${Buffer.from(f.sha256, 'hex').toString('base64')}:`);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Cache-Control', 'private, no-store');
    return reply.send(f.bytes);
  });
}
