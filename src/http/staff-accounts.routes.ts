/**
 * Staff account management routes (三员分立): the system admin creates accounts and resets
 * passwords; everyone changes their own password; an account whose password was set by an admin
 * reaches nothing else until it is changed.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../services/context.js';
import { requireLogin } from './auth-plugin.js';
import { AppError } from '../services/errors.js';
import { changeOwnPassword, createStaffAccount, resetStaffPassword } from '../services/staff-accounts.service.js';

/** Routes a holder of an admin-set password may still reach: who am I, change it, TOTP enrolment, log out. */
const passwordChangeRoutes = new Set(['GET /api/me', 'GET /api/me/security', 'POST /api/me/password', 'POST /api/me/totp/setup', 'POST /api/me/totp/enable', 'POST /api/auth/logout', 'POST /api/auth/login']);

const accountId = z.object({ id: z.uuid({ message: '账号编号格式不正确' }) });
const password = z.string().min(1, '请输入密码').max(200, '密码不能超过 200 个字符');

export function staffAccountRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  app.addHook('preHandler', async (req: FastifyRequest) => {
    const p = req.principal;
    if (!p || !p.account.must_change_password) return;
    if (passwordChangeRoutes.has(`${req.method} ${req.routeOptions.url ?? ''}`)) return;
    if (!req.url.startsWith('/api/')) return;
    throw new AppError(403, 'password_change_required', '初始密码须先修改：请设置新密码后再使用系统', { newPassword: '请设置新密码' });
  });

  r.post(
    '/api/admin/users',
    {
      schema: {
        tags: ['系统管理'],
        summary: '创建工作人员账号（系统管理员）：不含角色（由安全管理员授予），初始密码须在首次登录时修改',
        body: z
          .object({
            unitId: z.string().min(1, '请选择单位').max(64),
            name: z.string().min(1, '请填写姓名').max(50, '姓名不能超过 50 个字'),
            username: z.string().min(1, '请填写用户名').max(40, '用户名不能超过 40 个字符'),
            password,
          })
          .strict(),
        response: {
          201: z.object({ id: z.string(), username: z.string(), unitId: z.string(), unitName: z.string(), roles: z.array(z.string()), mustChangePassword: z.boolean() }),
        },
      },
    },
    async (req, reply) => reply.status(201).send(await createStaffAccount(ctx, requireLogin(req), req.body, req.ip)),
  );

  r.post(
    '/api/admin/users/:id/password',
    {
      schema: {
        tags: ['系统管理'],
        summary: '重置工作人员密码并注销其全部会话；本人须在下次登录时修改（系统管理员；安全管理员、审计员的由安全管理员重置）',
        params: accountId,
        body: z.object({ password }).strict(),
      },
    },
    async (req) => {
      await resetStaffPassword(ctx, requireLogin(req), req.params.id, req.body.password, req.ip);
      return { mustChangePassword: true };
    },
  );

  r.post(
    '/api/me/password',
    {
      schema: {
        tags: ['账号'],
        summary: '修改本人密码（须输入当前密码）；本人其他会话随即失效',
        body: z.object({ currentPassword: password, newPassword: password }).strict(),
      },
    },
    async (req) => {
      await changeOwnPassword(ctx, requireLogin(req), req.body.currentPassword, req.body.newPassword, req.ip);
      return { changed: true };
    },
  );
}
