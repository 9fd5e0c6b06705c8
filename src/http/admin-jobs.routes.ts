/** Admin and office routes of background work: calendar administration, notices, outbox, in-app messages, mail inbox. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../services/context.js';
import { requireStaff } from '../services/office.service.js';
import { forbidden } from '../services/errors.js';
import type { StaffPrincipal } from '../services/auth.service.js';
import type { Permission } from '../domain/permissions.js';
import { calendarYearSchema } from '../services/calendar.service.js';
import { calendarMissingYear, importNoticeText, importYearAndRecompute, setCalendarDay } from '../services/calendar-admin.service.js';
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

  r.get('/api/office/messages', { schema: { tags: ['工作人员'], summary: '本单位的站内消息（催办、督办、新交办）', querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict() } }, async (req) => {
    const p = requireStaff(req.principal);
    return { items: await unitMessages(ctx, p.unit.id, req.query.limit) };
  });

  r.post('/api/admin/calendar/years', { schema: { tags: ['管理'], summary: '导入一年的节假日与调休上班日，并重算在办件期限', body: calendarYearSchema } }, async (req, reply) => {
    need(requireStaff(req.principal), 'admin.calendar');
    const out = await importYearAndRecompute(ctx, req.body);
    return reply.code(201).send(out);
  });

  r.post(
    '/api/admin/calendar/notice',
    {
      schema: {
        tags: ['管理'],
        summary: '按国务院通知表格导入一年（每行：节日 2027-01-01至2027-01-03 放假 2026-12-27上班）',
        body: z.object({ year: z.number().int().min(2000).max(2100), source: z.string().min(2).max(200), text: z.string().min(10).max(5000) }).strict(),
      },
    },
    async (req, reply) => {
      need(requireStaff(req.principal), 'admin.calendar');
      return reply.code(201).send(await importNoticeText(ctx, req.body.year, req.body.source, req.body.text));
    },
  );

  r.put(
    '/api/admin/calendar/days/:date',
    {
      schema: {
        tags: ['管理'],
        summary: '单日调整（节假日 / 调休上班 / 恢复默认），并重算在办件期限',
        params: z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD') }),
        body: z.object({ kind: z.enum(['holiday', 'workday', 'default']), note: z.string().max(50).optional() }).strict(),
      },
    },
    async (req) => {
      need(requireStaff(req.principal), 'admin.calendar');
      return setCalendarDay(ctx, req.params.date, req.body.kind, req.body.note ?? null);
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

  r.post('/api/admin/outbox/:id/retry', { schema: { tags: ['管理'], summary: '重新发送一条失败的通知', params: z.object({ id: z.coerce.number().int().min(1) }) } }, async (req) => {
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
