/** Account security routes: own TOTP enrolment, and the separated duties of system admin, security admin and auditor. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../services/context.js';
import { day, serialId } from './fields.js';
import { requireLogin } from './auth-plugin.js';
import * as svc from '../services/account-security.service.js';
import { querySecurityLog, securityLogKinds } from '../services/staff-accounts.service.js';

const accountId = z.object({ id: z.uuid({ message: '账号编号格式不正确' }) });

export function accountSecurityRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/me/security', { schema: { tags: ['账号'], summary: '本人账号安全状态（是否须要、是否已启用动态口令）' } }, async (req) => {
    const p = requireLogin(req);
    return { totpRequired: svc.needsTotp(p.account), totpEnabled: await svc.hasTotp(ctx, p.account.id) };
  });

  r.post(
    '/api/me/totp/setup',
    { schema: { tags: ['账号'], summary: '获取动态口令（TOTP）密钥与 otpauth 链接（工作人员）', body: z.object({}).strict().optional() } },
    async (req) => svc.setupTotp(ctx, requireLogin(req)),
  );

  r.post(
    '/api/me/totp/enable',
    { schema: { tags: ['账号'], summary: '以身份验证器显示的 6 位数字启用动态口令', body: z.object({ code: z.string().regex(/^\s*\d{6}\s*$/, '请输入 6 位数字') }).strict() } },
    async (req) => {
      await svc.enableTotp(ctx, requireLogin(req), req.body.code, req.ip);
      return { totpEnabled: true };
    },
  );

  r.get('/api/admin/users', { schema: { tags: ['系统管理'], summary: '本辖区工作人员账号（系统管理员、安全管理员）' } }, async (req) => ({
    items: await svc.listStaff(ctx, requireLogin(req)),
  }));

  r.post(
    '/api/admin/users/:id/disable',
    { schema: { tags: ['系统管理'], summary: '停用账号并立即注销其全部会话（系统管理员）', params: accountId, body: z.object({}).strict().optional() } },
    async (req) => {
      await svc.setDisabled(ctx, requireLogin(req), req.params.id, true, req.ip);
      return { disabled: true };
    },
  );

  r.post(
    '/api/admin/users/:id/enable',
    { schema: { tags: ['系统管理'], summary: '恢复已停用的账号（系统管理员）', params: accountId, body: z.object({}).strict().optional() } },
    async (req) => {
      await svc.setDisabled(ctx, requireLogin(req), req.params.id, false, req.ip);
      return { disabled: false };
    },
  );

  r.post(
    '/api/security/users/:id/roles',
    {
      schema: {
        tags: ['安全管理'],
        summary: '设置工作人员角色（安全管理员）；其会话随即失效',
        params: accountId,
        body: z.object({ roles: z.array(z.string().max(40)).max(10) }).strict(),
      },
    },
    async (req) => {
      await svc.grantRoles(ctx, requireLogin(req), req.params.id, req.body.roles, req.ip);
      return { roles: [...new Set(req.body.roles)] };
    },
  );

  r.post(
    '/api/security/users/:id/unlock',
    {
      schema: {
        tags: ['安全管理'],
        summary: '解除登录锁定；可同时重置动态口令（安全管理员）',
        params: accountId,
        body: z.object({ resetTotp: z.boolean().optional() }).strict().optional(),
      },
    },
    async (req) => {
      await svc.unlockAccount(ctx, requireLogin(req), req.params.id, req.body?.resetTotp ?? false, req.ip);
      return { unlocked: true };
    },
  );

  r.get(
    '/api/security/log',
    {
      schema: {
        tags: ['安全管理'],
        summary: '安全日志（安全管理员）：登录、失败、锁定、账号与角色变更、动态口令、查看完整个人信息；按类型、账号、日期筛选，按编号翻页',
        querystring: z
          .object({
            limit: z.coerce.number().int().min(1).max(500).default(100),
            before: serialId('记录编号').optional(),
            kind: z.string().max(40).regex(/^[a-z_]+$/, '类型格式不正确').optional(),
            account: z.string().max(64).optional().describe('用户名或账号编号：该账号操作的或被操作的记录'),
            from: day().optional(),
            to: day().optional(),
          })
          .strict(),
      },
    },
    async (req) => {
      const q = req.query;
      const page = await querySecurityLog(ctx, requireLogin(req), { limit: q.limit, before: q.before, kind: q.kind, account: q.account, from: q.from, to: q.to });
      return {
        items: page.items.map((i) => ({ ...i, actorId: i.actor?.id ?? null, subjectId: i.subject?.id ?? null })),
        nextBefore: page.nextBefore,
        kinds: securityLogKinds,
      };
    },
  );

  r.get(
    '/api/audit/events',
    {
      schema: {
        tags: ['审计'],
        summary: '信访件的事件记录与哈希链（审计员）；审计记录只能查看，不能删除',
        querystring: z.object({ caseId: z.uuid({ message: '信访件编号格式不正确' }) }).strict(),
      },
    },
    async (req) => svc.auditEvents(ctx, requireLogin(req), req.query.caseId),
  );
}
