/** Admin and office routes of background work: calendar administration, notices, outbox, in-app messages, mail inbox. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../services/context.js';
import { day, serialId } from './fields.js';
import { requireStaff } from '../services/office.service.js';
import { forbidden } from '../services/errors.js';
import type { StaffPrincipal } from '../services/auth.service.js';
import type { Permission } from '../domain/permissions.js';
import { calendarYearSchema } from '../services/calendar.service.js';
import { calendarMissingYear, calendarYearView, importIcs, importNoticeText, importYearAndRecompute, listCalendarChanges, setCalendarDay } from '../services/calendar-admin.service.js';
import { listInbox, listOutbox, readSink, retryOutbox, unitMessages } from '../services/notify.service.js';

function need(p: StaffPrincipal, ...perms: Permission[]): void {
  if (!perms.some((x) => p.permissions.has(x))) throw forbidden('您的角色无权进行此操作');
}

export function adminJobsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/office/notices', { schema: { tags: ['工作人员'], summary: '全站提示（如下一年度节假日数据缺失）' } }, (req) => {
    requireStaff(req.principal);
    return { calendarMissingYear: calendarMissingYear(ctx), coveredYears: ctx.calendar.coveredYears.slice(-3) };
  });

  r.get('/api/office/messages', { schema: { tags: ['工作人员'], summary: '本单位的站内消息（催办、督办、新交办）及发给本人的消息（热点提示）', querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict() } }, async (req) => {
    const p = requireStaff(req.principal);
    return { items: await unitMessages(ctx, p.unit.id, req.query.limit, p.account.id) };
  });

  const preview = z.object({ preview: z.enum(['true', 'false', '1', '0']).optional().describe('true：仅预览哪些日期、哪些在办件期限将变化，不保存') }).strict();
  const isPreview = (q: { preview?: string | undefined }) => q.preview === 'true' || q.preview === '1';

  r.post(
    '/api/admin/calendar/years',
    { schema: { tags: ['管理'], summary: '导入一年的节假日与调休上班日（JSON），并重算在办件全部期限；preview=true 仅预览', body: calendarYearSchema, querystring: preview } },
    async (req, reply) => {
      const p = requireStaff(req.principal);
      need(p, 'admin.calendar');
      const pv = isPreview(req.query);
      const out = await importYearAndRecompute(ctx, req.body, { preview: pv, actorId: p.account.id });
      return reply.code(pv ? 200 : 201).send(out);
    },
  );

  r.post(
    '/api/admin/calendar/notice',
    {
      schema: {
        tags: ['管理'],
        summary: '按国务院通知表格导入一年（每行：节日 2027-01-01至2027-01-03 放假 2026-12-27上班）；preview=true 仅预览',
        body: z.object({ year: z.number().int().min(2000).max(2100), source: z.string().min(2).max(200), text: z.string().min(10).max(5000) }).strict(),
        querystring: preview,
      },
    },
    async (req, reply) => {
      const p = requireStaff(req.principal);
      need(p, 'admin.calendar');
      const pv = isPreview(req.query);
      return reply.code(pv ? 200 : 201).send(await importNoticeText(ctx, req.body.year, req.body.source, req.body.text, { preview: pv, actorId: p.account.id }));
    },
  );

  r.post(
    '/api/admin/calendar/ics',
    {
      bodyLimit: 1024 * 1024,
      schema: {
        tags: ['管理'],
        summary: '从 iCalendar（.ics）文件导入一年的节假日（全天事件，SUMMARY 含「班」为调休上班日）；preview=true 仅预览',
        body: z
          .object({
            year: z.number({ message: '请填写年份' }).int().min(2000, '年份应在 2000 至 2100 之间').max(2100, '年份应在 2000 至 2100 之间'),
            source: z.string().min(2, '来源至少 2 个字').max(200).optional(),
            ics: z.string({ message: '请上传 .ics 日历文件' }).min(1, '日历文件为空').max(1_000_000, '日历文件不能超过 1 MB'),
          })
          .strict(),
        querystring: preview,
      },
    },
    async (req, reply) => {
      const p = requireStaff(req.principal);
      need(p, 'admin.calendar');
      const pv = isPreview(req.query);
      const out = await importIcs(ctx, req.body.year, req.body.source ?? `iCalendar 日历文件（${req.body.year} 年）`, req.body.ics, { preview: pv, actorId: p.account.id });
      return reply.code(pv ? 200 : 201).send(out);
    },
  );

  r.put(
    '/api/admin/calendar/days/:date',
    {
      schema: {
        tags: ['管理'],
        summary: '单日调整（节假日 / 调休上班 / 恢复默认），并重算在办件全部期限；preview=true 仅预览',
        params: z.object({ date: day() }),
        body: z.object({ kind: z.enum(['holiday', 'workday', 'default'], { message: '类型只能是 holiday（放假）、workday（上班）或 default（恢复默认）' }), note: z.string().max(50, '说明不超过 50 字').optional() }).strict(),
        querystring: preview,
      },
    },
    async (req) => {
      const p = requireStaff(req.principal);
      need(p, 'admin.calendar');
      return setCalendarDay(ctx, req.params.date, req.body.kind, req.body.note ?? null, { preview: isPreview(req.query), actorId: p.account.id });
    },
  );

  r.get(
    '/api/admin/calendar/years/:year',
    { schema: { tags: ['管理'], summary: '一年的工作日历：每天是否上班、节假日名称与来源（内置通知、导入、单日调整）', params: z.object({ year: z.coerce.number({ message: '年份应为数字' }).int().min(2000, '年份应在 2000 至 2100 之间').max(2100, '年份应在 2000 至 2100 之间') }) } },
    async (req) => {
      need(requireStaff(req.principal), 'admin.calendar');
      return calendarYearView(ctx, req.params.year);
    },
  );

  r.get(
    '/api/admin/calendar/changes',
    { schema: { tags: ['管理'], summary: '工作日历调整记录：每次导入或单日调整改变了哪些日期、哪些在办件期限', querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }).strict() } },
    async (req) => {
      need(requireStaff(req.principal), 'admin.calendar');
      return { items: await listCalendarChanges(ctx, req.query.limit) };
    },
  );

  r.get(
    '/api/admin/outbox',
    { schema: { tags: ['管理'], summary: '通知发送队列（不含收件人与内容）', querystring: z.object({ status: z.enum(['pending', 'sent', 'failed']).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }).strict() } },
    async (req) => {
      need(requireStaff(req.principal), 'admin.users', 'admin.calendar');
      return { items: await listOutbox(ctx, req.query.status, req.query.limit) };
    },
  );

  r.post('/api/admin/outbox/:id/retry', { schema: { tags: ['管理'], summary: '重新发送一条失败的通知', params: z.object({ id: serialId('通知编号') }) } }, async (req) => {
    need(requireStaff(req.principal), 'admin.users', 'admin.calendar');
    return { retried: await retryOutbox(ctx, req.params.id) };
  });

  r.get('/api/admin/outbox/sink', { schema: { tags: ['管理'], summary: '开发环境短信/邮件接收箱（未配置网关时）', querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }).strict() } }, async (req) => {
    need(requireStaff(req.principal), 'admin.users');
    return { items: await readSink(ctx, req.query.limit) };
  });

  r.get('/api/admin/mail-inbox', { schema: { tags: ['管理'], summary: '电子邮件渠道收到的来信（含未能登记的）', querystring: z.object({ status: z.enum(['accepted', 'refused']).optional() }).strict() } }, async (req) => {
    need(requireStaff(req.principal), 'admin.users', 'case.accept');
    return { items: await listInbox(ctx, req.query.status) };
  });
}
