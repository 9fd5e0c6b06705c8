/** Staff routes: the queue, the case page with allowed actions, workflow actions and the unit tree. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../services/context.js';
import { queue, performAction, requireStaff, visibleCase, allowedActionsFor } from '../services/office.service.js';
import { listItem, staffView } from '../services/case-view.js';
import { addAttachment } from '../services/case.service.js';
import { staffActions } from '../domain/case-state.js';
import { caseStates } from '../domain/case-state.js';
import { AppError, badInput } from '../services/errors.js';
import { readAttachment } from './files.js';
import { queueKeys } from '../services/queues.js';

const caseId = z.object({ id: z.uuid({ message: '信访件编号格式不正确' }) });

export function officeRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/office/cases',
    {
      schema: {
        tags: ['工作人员'],
        summary: '本人可见的信访件队列',
        querystring: z
          .object({
            state: z
              .string()
              .max(200)
              .refine((s) => s.split(',').every((x) => (caseStates as readonly string[]).includes(x)), '未知的状态')
              .optional(),
            due: z.enum(['soon', 'overdue']).optional(),
            q: z.string().max(100).optional(),
            unit: z.string().max(64).optional(),
            category: z.string().max(40).optional(),
            channel: z.string().max(20).optional(),
            queue: z.enum(queueKeys, { message: '未知的队列' }).optional().describe('工作台队列：accept 待受理, assign 待交办, sign 待签收, handling 办理中, due_soon 即将到期, overdue 已超期, extension 延期待批, review 复查/复核, evaluation 待评价'),
            region: z.string().regex(/^\d{6}$/, '区划代码应为 6 位数字').optional(),
            target: z.string().max(40).optional(),
            sort: z.enum(['due', '-due', 'submitted', '-submitted'], { message: '排序方式只能是 due、-due、submitted、-submitted' }).optional(),
            page: z.coerce.number().int().min(1).max(100000).default(1),
            pageSize: z.coerce.number().int().min(1).max(200).default(20),
          })
          .strict(),
      },
    },
    async (req) => {
      const p = requireStaff(req.principal);
      const { rows, total, totalCapped } = await queue(ctx, p, req.query);
      // totalCapped: more than `total` cases (counting stops at XINFANG_COUNT_CAP, default 1,000: shown as 1000+).
      return { items: rows.map((row) => listItem(ctx, row)), total, totalCapped, page: req.query.page, pageSize: req.query.pageSize };
    },
  );

  r.get('/api/office/cases/:id', { schema: { tags: ['工作人员'], summary: '信访件详情（个人信息已脱敏）及可执行操作', params: caseId } }, async (req, reply) => {
    const p = requireStaff(req.principal);
    const { row, facts, assignments } = await visibleCase(ctx, p, req.params.id);
    reply.header('Cache-Control', 'no-store');
    return staffView(ctx, row, assignments, allowedActionsFor(p, facts));
  });

  r.post(
    '/api/office/cases/:id/actions/:action',
    {
      schema: {
        tags: ['工作人员'],
        summary: '办理操作：accept, reject, assign, forward, sign, return, urge, supervise, request-extension, approve-extension, reply, review-decision, merge, unmerge（撤销合并，需理由 reason；并入的信访件答复或办结后不可撤销）, close, note',
        params: z.object({ id: z.uuid({ message: '信访件编号格式不正确' }), action: z.enum(staffActions, { message: '未知的操作' }) }),
        body: z.record(z.string(), z.unknown()).optional(),
      },
    },
    async (req) => {
      const p = requireStaff(req.principal);
      const row = await performAction(ctx, p, req.params.id, req.params.action, req.body ?? {});
      const v = await visibleCase(ctx, p, row.id).catch(() => null);
      return { id: row.id, state: row.state, allowedActions: v ? allowedActionsFor(p, v.facts) : [] };
    },
  );

  r.post(
    '/api/office/cases/:id/attachments',
    { schema: { tags: ['工作人员'], summary: '上传答复附件（承办单位）', params: caseId } },
    async (req, reply) => {
      const p = requireStaff(req.principal);
      const { row, facts } = await visibleCase(ctx, p, req.params.id);
      if (facts.activeUnitId !== p.unit.id || !p.permissions.has('case.reply')) throw new AppError(403, 'forbidden', '只有承办单位可以上传答复材料');
      if (!req.isMultipart()) throw new AppError(415, 'unsupported_media_type', '请以 multipart/form-data 上传文件');
      const file = await req.file();
      if (!file) throw badInput('没有收到文件', { file: '请选择文件' });
      const att = await addAttachment(ctx, row, { kind: 'staff', id: p.account.id, unitId: p.unit.id }, 'reply', { filename: file.filename, data: await file.toBuffer() });
      return reply.status(201).send({ id: att.id, filename: att.filename, mime: att.mime, size: att.size, sha256: att.sha256 });
    },
  );

  r.get(
    '/api/office/cases/:id/attachments/:attachmentId',
    { schema: { tags: ['工作人员'], summary: '下载附件', params: z.object({ id: z.uuid(), attachmentId: z.uuid() }) } },
    async (req, reply) => {
      const p = requireStaff(req.principal);
      const { row } = await visibleCase(ctx, p, req.params.id);
      return readAttachment(ctx, reply, row.id, req.params.attachmentId);
    },
  );

  r.get(
    '/api/office/units',
    { schema: { tags: ['工作人员'], summary: '本人可交办、转送的单位树', querystring: z.object({ parent: z.string().max(64).optional() }).strict() } },
    async (req) => {
      const p = requireStaff(req.principal);
      const root = req.query.parent ? ctx.units.get(req.query.parent) : p.scope;
      if (!root || !root.path.startsWith(p.scope.path)) throw badInput('单位不在您的辖区内', { parent: '单位不在您的辖区内' });
      const node = (u: typeof root): { id: string; name: string; kind: string; level: string; regionCode: string; assignable: boolean; hasChildren: boolean } => ({
        id: u.id,
        name: u.name,
        kind: u.kind,
        level: u.level,
        regionCode: u.regionCode,
        assignable: u.kind === 'department' || u.kind === 'bureau',
        hasChildren: ctx.units.childrenOf(u.id).length > 0,
      });
      return { root: node(root), children: ctx.units.childrenOf(root.id).map(node) };
    },
  );
}
