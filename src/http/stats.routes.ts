/** 统计分析 routes (office, permission stats.read) and the public statistics of 阳光信访. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../services/context.js';
import { requireStaff } from '../services/office.service.js';
import { casesTable, statistics, statsCases, statsTable, toCsv, toXlsx } from '../services/stats.service.js';
import { publicStatistics } from '../services/sunshine-stats.service.js';
import { repeatLinks, splitRepeat } from '../services/repeat.service.js';
import { hotspots, trendingWords } from '../services/hotspot.service.js';
import { groupKeys, measureKeys } from '../domain/measures.js';
import { day } from './fields.js';

const date = day();
const filters = {
  from: date,
  to: date,
  groupBy: z.enum(groupKeys, { message: '分组只能是 category、region、unit、receivingUnit、channel、target、month' }).optional(),
  level: z.enum(['province', 'city', 'county']).optional().describe('按地区分组时的层级；默认为地区筛选的下一级（省→市→县）'),
  region: z.string().regex(/^\d{6}$/, '区划代码应为 6 位数字').optional(),
  category: z.string().max(40).optional(),
  channel: z.string().max(20).optional(),
  target: z.string().max(40).optional(),
  unit: z.string().max(64).optional(),
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
};

async function send(reply: FastifyReply, format: 'csv' | 'xlsx', name: string, rows: string[][], f: Record<string, string | undefined>) {
  reply.header('Cache-Control', 'no-store');
  // Header values are Latin-1: an ASCII fallback name, the Chinese one in RFC 5987 form.
  const ascii = name.replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '') || 'stats';
  reply.header('Content-Disposition', `attachment; filename="xinfang-${ascii}.${format}"; filename*=UTF-8''${encodeURIComponent(`${name}.${format}`)}`);
  if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(toCsv(rows));
  return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await toXlsx(rows, f));
}

export function statsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/office/stats',
    {
      schema: {
        tags: ['统计'],
        summary: '统计分析：期间内的信访量、网上占比、及时受理/交办率、按期办结率、参评率、满意率、重复信访率（本辖区）；format=csv|xlsx 导出',
        querystring: z.object(filters).strict(),
      },
    },
    async (req, reply) => {
      const p = requireStaff(req.principal);
      const { format, ...q } = req.query;
      const result = await statistics(ctx, p, q);
      if (format === 'json') {
        reply.header('Cache-Control', 'no-store');
        return result;
      }
      return send(reply, format, `统计-${q.from}-${q.to}-${result.groupBy}`, statsTable(result), { ...q });
    },
  );

  r.get(
    '/api/office/stats/cases',
    {
      schema: {
        tags: ['统计'],
        summary: '统计数字背后的信访件：某项指标的应计（due）、达标（hit）或未达标（miss）件，按分组键筛选',
        querystring: z
          .object({
            ...filters,
            measure: z.enum(measureKeys, { message: '未知的指标' }),
            part: z.enum(['due', 'hit', 'miss']).default('due'),
            key: z.string().max(64).optional(),
            page: z.coerce.number().int().min(1).max(100000).default(1),
            pageSize: z.coerce.number().int().min(1).max(1000).default(20),
          })
          .strict(),
      },
    },
    async (req, reply) => {
      const p = requireStaff(req.principal);
      const { format, ...q } = req.query;
      const result = await statsCases(ctx, p, q);
      if (format === 'json') {
        reply.header('Cache-Control', 'no-store');
        return result;
      }
      return send(reply, format, `统计明细-${q.measure}-${q.part}`, casesTable(result), { ...q, page: String(q.page), pageSize: String(q.pageSize) });
    },
  );

  r.get(
    '/api/office/stats/hotspots',
    {
      schema: {
        tags: ['统计'],
        summary: '热点：同一县区、期间内不同信访人反映的相似事项（可能的群体性事项），列出其信访件',
        querystring: z.object({ from: date, to: date, region: filters.region, minPetitioners: z.coerce.number().int().min(2).max(100).default(3) }).strict(),
      },
    },
    async (req) => hotspots(ctx, requireStaff(req.principal), req.query),
  );
  r.get(
    '/api/office/stats/trending',
    { schema: { tags: ['统计'], summary: '各市本周（截至 week 的 7 天）上升最快的词语，与此前 4 周相比', querystring: z.object({ week: date, region: filters.region }).strict() } },
    async (req) => trendingWords(ctx, requireStaff(req.principal), req.query),
  );

  const caseId = z.object({ id: z.uuid({ message: '信访件编号格式不正确' }) });
  r.get('/api/office/cases/:id/repeats', { schema: { tags: ['工作人员'], summary: '重复信访关联：本件可能重复的原件（repeatOf）与重复反映本件的提交（repeatedBy）', params: caseId } }, async (req) => {
    const p = requireStaff(req.principal);
    return repeatLinks(ctx, p, req.params.id);
  });
  r.post(
    '/api/office/cases/:id/repeats/:linkId/split',
    { schema: { tags: ['工作人员'], summary: '拆分（需 case.merge 权限）：信访人确认为新事项的关联件，确认不是同一事项；信访人称同一事项而作为留言加入本件的重复反映，另立为新信访件（同一信访人，新查询码短信告知，两件各记一条事件）', params: z.object({ id: z.uuid(), linkId: z.uuid() }), body: z.object({}).strict().optional() } },
    async (req) => {
      const p = requireStaff(req.principal);
      return splitRepeat(ctx, p, req.params.id, req.params.linkId);
    },
  );

  r.get(
    '/api/public/stats',
    {
      schema: {
        tags: ['公开'],
        summary: '阳光信访公开统计：年度、月度总量，网上占比，按期办结率，满意率，按类别和城市（少于最小数量的格不公开）',
        querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }).strict(),
      },
    },
    async (req, reply) => {
      reply.header('Cache-Control', 'public, max-age=300');
      return publicStatistics(ctx, req.query.year);
    },
  );
}
