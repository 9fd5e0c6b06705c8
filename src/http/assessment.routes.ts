/** 考核 (schemes, ranking, publishing, each unit's page), 学习园地 texts and the first-login tour. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../services/context.js';
import { requireStaff } from '../services/office.service.js';
import { assessableUnits, getScheme, publishRanking, ranking, saveScheme, unitPage } from '../services/assessment.service.js';
import { dismissTour, listTraining, saveTraining, tourState, tours } from '../services/training.service.js';
import { penaltyItems, rateItems } from '../domain/assessment.js';

const period = z.string().regex(/^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/, '考核期间格式应为 2026、2026-Q1 或 2026-03').describe('年度 2026、季度 2026-Q1 或月份 2026-03');
const unitId = z.string().min(1).max(64, '单位编号过长');
const group = z.enum(['region', 'department'], { message: '分组只能是 region（下级地区）或 department（本级部门）' });
const weight = (max: number) => z.number({ message: '分值应为数字' }).min(0, '分值不能为负').max(max, `分值不能超过 ${max}`);

export function assessmentRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/office/assessment/units', { schema: { tags: ['考核'], summary: '可查看考核结果的单位（本单位及下级）' } }, async (req, reply) => {
    reply.header('Cache-Control', 'no-store');
    return assessableUnits(ctx, requireStaff(req.principal));
  });

  r.get(
    '/api/office/assessment/scheme',
    { schema: { tags: ['考核'], summary: '某地区适用的考核方案（本级的，或上级的，或系统默认）及各项计分规则', querystring: z.object({ unit: unitId.optional() }).strict() } },
    async (req, reply) => {
      reply.header('Cache-Control', 'no-store');
      return getScheme(ctx, requireStaff(req.principal), req.query.unit);
    },
  );

  r.put(
    '/api/office/assessment/scheme',
    {
      schema: {
        tags: ['考核'],
        summary: '设置本辖区某地区的考核权重（领导）；revision 为当前版本号（尚无本级方案时为 0），防止覆盖他人的修改',
        body: z
          .object({
            unitId,
            name: z.string().trim().min(2, '方案名称至少 2 个字').max(60, '方案名称不能超过 60 个字'),
            revision: z.number().int().min(0),
            weights: z.object({
              ...Object.fromEntries(rateItems.map((k) => [k, weight(100)])),
              ...Object.fromEntries(penaltyItems.map((k) => [k, weight(50)])),
            } as Record<(typeof rateItems)[number] | (typeof penaltyItems)[number], z.ZodNumber>).strict(),
          })
          .strict(),
      },
    },
    async (req) => saveScheme(ctx, requireStaff(req.principal), req.body),
  );

  r.get(
    '/api/office/assessment/ranking',
    {
      schema: {
        tags: ['考核'],
        summary: '某地区所属单位（下级地区或本级部门）在某期间的考核得分与排名：已发布的为固定结果，否则为实时计算',
        querystring: z.object({ parent: unitId.optional(), group: group.optional(), period }).strict(),
      },
    },
    async (req, reply) => {
      reply.header('Cache-Control', 'no-store');
      return ranking(ctx, requireStaff(req.principal), req.query);
    },
  );

  r.post(
    '/api/office/assessment/publish',
    {
      schema: {
        tags: ['考核'],
        summary: '发布某期间的考核结果（领导）：连同每项扣分背后的信访件一并固定，之后不再变化；期间结束后才能发布',
        body: z.object({ parent: unitId.optional(), group: group.optional(), period }).strict(),
      },
    },
    async (req, reply) => reply.status(201).send(await publishRanking(ctx, requireStaff(req.principal), req.body)),
  );

  r.get(
    '/api/office/assessment/unit',
    {
      schema: {
        tags: ['考核'],
        summary: '单位考核页：得分、每项的计算方法和扣分背后的信访件（只能查看本单位及下级）',
        querystring: z.object({ unit: unitId.optional(), period }).strict(),
      },
    },
    async (req, reply) => {
      reply.header('Cache-Control', 'no-store');
      return unitPage(ctx, requireStaff(req.principal), req.query);
    },
  );

  r.get('/api/office/training', { schema: { tags: ['学习园地'], summary: '业务规范：本平台执行的信访工作条例和本省规定的要点' } }, async (req) => listTraining(ctx, requireStaff(req.principal)));

  r.put(
    '/api/office/training/:id',
    {
      schema: {
        tags: ['学习园地'],
        summary: '编辑或新增一篇业务规范（系统管理员）；revision 为当前版本号（新增为 0）',
        params: z.object({ id: z.string().max(48, '编号过长') }),
        body: z
          .object({
            title: z.string().trim().min(2, '标题至少 2 个字').max(60, '标题不能超过 60 个字'),
            source: z.string().trim().min(2, '请填写依据').max(200, '依据不能超过 200 个字'),
            body: z.string().trim().min(10, '正文至少 10 个字').max(20000, '正文不能超过 20000 个字'),
            sort: z.number().int().min(0).max(10000),
            retired: z.boolean().default(false),
            revision: z.number().int().min(0),
          })
          .strict(),
      },
    },
    async (req) => saveTraining(ctx, requireStaff(req.principal), req.params.id, req.body),
  );

  r.get('/api/office/tour', { schema: { tags: ['学习园地'], summary: '新人引导：本账号尚未看过的引导' } }, async (req, reply) => {
    reply.header('Cache-Control', 'no-store');
    return tourState(ctx, requireStaff(req.principal));
  });

  r.post(
    '/api/office/tour/:tour/dismiss',
    { schema: { tags: ['学习园地'], summary: '记住本账号已看完或关闭某个引导', params: z.object({ tour: z.enum(tours, { message: '未知的引导' }) }) } },
    async (req) => dismissTour(ctx, requireStaff(req.principal), req.params.tour),
  );
}
