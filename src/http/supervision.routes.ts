/**
 * Supervision of the handling units: 督办件 (open, answer, send back, close, escalate; one case or a group) and
 * 督导检查 (sample, record findings, corrections, the unit's report, acceptance).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../services/context.js';
import { day } from './fields.js';
import { requireStaff } from '../services/office.service.js';
import { answerSupervision, closeSupervision, escalateSupervision, listSupervisionCases, openSupervision, returnSupervision, supervisionDetail } from '../services/supervision-case.service.js';
import {
  addCorrection,
  addInspectionCases,
  concludeInspection,
  createInspection,
  decideCorrection,
  inspectionDetail,
  listInspections,
  proposeSample,
  recordFinding,
  reportCorrection,
} from '../services/inspection.service.js';

const uuid = (what: string) => z.uuid({ message: `${what}编号格式不正确` });
const date = day;
const text = (what: string, min: number, max: number) =>
  z
    .string({ message: `请填写${what}` })
    .trim()
    .min(min, `${what}至少 ${min} 个字`)
    .max(max, `${what}不能超过 ${max} 个字`);
const unitId = z.string({ message: '请选择单位' }).min(1, '请选择单位').max(64, '单位编号过长');
const caseIds = z.array(uuid('信访件'), { message: '请选择信访件' }).max(100, '一次最多 100 件');
const supervisionStatus = z
  .string()
  .max(60)
  .refine((s) => s === 'overdue' || s.split(',').every((x) => ['open', 'answered', 'closed', 'escalated'].includes(x)), '状态只能是 open、answered、closed、escalated（可用逗号组合）或 overdue');
const sid = z.object({ id: uuid('督办件') });
const iid = z.object({ id: uuid('督导检查') });

export function supervisionRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // ---- 督办件 ----
  r.get(
    '/api/office/supervisions',
    {
      schema: {
        tags: ['督办'],
        summary: '督办件：本单位收到的和本局（及下级）发起的，含信访人报告“这不是我签的”所启动的督办',
        querystring: z
          .object({
            status: supervisionStatus.optional().describe('open 待报告, answered 已报告, closed 已办结, escalated 已提级；overdue 为逾期未报告'),
            side: z.enum(['supervisor', 'unit'], { message: 'side 只能是 supervisor（督办方）或 unit（被督办方）' }).optional(),
            caseId: uuid('信访件').optional(),
            limit: z.coerce.number().int().min(1).max(500).default(200),
          })
          .strict(),
      },
    },
    async (req, reply) => {
      reply.header('Cache-Control', 'no-store');
      return listSupervisionCases(ctx, requireStaff(req.principal), req.query);
    },
  );

  r.post(
    '/api/office/supervisions',
    {
      schema: {
        tags: ['督办'],
        summary: '发起督办：对一件或多件信访件，指明被督办单位、督办事项和报告期限',
        body: z
          .object({
            caseIds: caseIds.min(1, '请至少选择一件信访件').max(50, '一次督办最多 50 件'),
            unitId,
            problem: text('督办事项', 5, 2000),
            dueDate: date('报告期限'),
          })
          .strict(),
      },
    },
    async (req, reply) => reply.status(201).send(await openSupervision(ctx, requireStaff(req.principal), req.body)),
  );

  r.get('/api/office/supervisions/:id', { schema: { tags: ['督办'], summary: '督办件详情', params: sid } }, async (req, reply) => {
    reply.header('Cache-Control', 'no-store');
    return supervisionDetail(ctx, requireStaff(req.principal), req.params.id);
  });

  r.post(
    '/api/office/supervisions/:id/answer',
    { schema: { tags: ['督办'], summary: '被督办单位书面报告办理情况', params: sid, body: z.object({ text: text('报告内容', 10, 5000) }).strict() } },
    async (req) => answerSupervision(ctx, requireStaff(req.principal), req.params.id, req.body.text),
  );

  r.post(
    '/api/office/supervisions/:id/close',
    { schema: { tags: ['督办'], summary: '督办单位审核报告后办结', params: sid, body: z.object({ note: text('办结意见', 1, 2000).optional() }).strict() } },
    async (req) => closeSupervision(ctx, requireStaff(req.principal), req.params.id, req.body.note),
  );

  r.post(
    '/api/office/supervisions/:id/return',
    {
      schema: {
        tags: ['督办'],
        summary: '退回重办：督办单位认为报告不充分，说明理由并给出新的报告期限，被督办单位须重新报告（每次报告和退回都留在记录中）',
        params: sid,
        body: z.object({ reason: text('退回理由', 5, 2000), dueDate: date('报告期限') }).strict(),
      },
    },
    async (req) => returnSupervision(ctx, requireStaff(req.principal), req.params.id, req.body),
  );

  r.post(
    '/api/office/supervisions/:id/escalate',
    {
      schema: {
        tags: ['督办'],
        summary: '提级督办：提请上一级信访部门督办（新督办件，原督办件标为已提级）',
        params: sid,
        body: z.object({ reason: text('提级理由', 5, 2000), dueDate: date('报告期限') }).strict(),
      },
    },
    async (req) => escalateSupervision(ctx, requireStaff(req.principal), req.params.id, req.body),
  );

  // ---- 督导检查 ----
  r.get(
    '/api/office/inspections/sample',
    {
      schema: {
        tags: ['督导检查'],
        summary: '为被检查单位推荐抽查案件：随机抽样，超期、不满意、退回、“这不是我签的”的案件权重更高，并说明理由',
        querystring: z
          .object({
            unitId,
            size: z.coerce.number().int().min(1, '抽查数量至少 1 件').max(50, '抽查数量最多 50 件').default(10),
            seed: z.string().min(1).max(64).optional().describe('随机种子：同一种子、同一批案件得到同一样本'),
          })
          .strict(),
      },
    },
    async (req, reply) => {
      reply.header('Cache-Control', 'no-store');
      return proposeSample(ctx, requireStaff(req.principal), req.query);
    },
  );

  r.get(
    '/api/office/inspections',
    {
      schema: {
        tags: ['督导检查'],
        summary: '督导检查记录：本局（及下级）所做的和对本单位的检查',
        querystring: z
          .object({
            status: z
              .string()
              .max(40)
              .refine((s) => s.split(',').every((x) => ['open', 'concluded', 'closed'].includes(x)), '状态只能是 open、concluded、closed')
              .optional(),
            unitId: unitId.optional(),
            limit: z.coerce.number().int().min(1).max(500).default(200),
          })
          .strict(),
      },
    },
    async (req, reply) => {
      reply.header('Cache-Control', 'no-store');
      return listInspections(ctx, requireStaff(req.principal), req.query);
    },
  );

  r.post(
    '/api/office/inspections',
    {
      schema: {
        tags: ['督导检查'],
        summary: '新建督导检查记录（被检查单位、日期、检查人员、抽查案件）',
        body: z.object({ unitId, inspectedOn: date('检查日期'), inspectors: text('检查人员', 2, 500), caseIds: caseIds.default([]) }).strict(),
      },
    },
    async (req, reply) => reply.status(201).send(await createInspection(ctx, requireStaff(req.principal), req.body)),
  );

  r.get('/api/office/inspections/:id', { schema: { tags: ['督导检查'], summary: '督导检查详情：抽查案件、检查意见、整改要求及落实情况', params: iid } }, async (req, reply) => {
    reply.header('Cache-Control', 'no-store');
    return inspectionDetail(ctx, requireStaff(req.principal), req.params.id);
  });

  r.post(
    '/api/office/inspections/:id/cases',
    { schema: { tags: ['督导检查'], summary: '增加抽查案件', params: iid, body: z.object({ caseIds: caseIds.min(1, '请至少选择一件信访件') }).strict() } },
    async (req) => addInspectionCases(ctx, requireStaff(req.principal), req.params.id, req.body.caseIds),
  );

  r.post(
    '/api/office/inspections/:id/cases/:caseId/finding',
    {
      schema: {
        tags: ['督导检查'],
        summary: '记录对一件抽查案件的检查意见（规范 / 存在问题）',
        params: z.object({ id: uuid('督导检查'), caseId: uuid('信访件') }),
        body: z.object({ verdict: z.enum(['ok', 'problem'], { message: '检查结论只能是 ok（规范）或 problem（存在问题）' }), finding: text('检查意见', 0, 5000).optional() }).strict(),
      },
    },
    async (req) => recordFinding(ctx, requireStaff(req.principal), req.params.id, req.params.caseId, req.body),
  );

  r.post(
    '/api/office/inspections/:id/corrections',
    {
      schema: {
        tags: ['督导检查'],
        summary: '提出整改要求（可针对一件抽查案件），附整改期限',
        params: iid,
        body: z.object({ caseId: uuid('信访件').optional(), requirement: text('整改要求', 5, 2000), dueDate: date('整改期限') }).strict(),
      },
    },
    async (req, reply) => reply.status(201).send(await addCorrection(ctx, requireStaff(req.principal), req.params.id, req.body)),
  );

  r.post(
    '/api/office/inspections/:id/conclude',
    { schema: { tags: ['督导检查'], summary: '形成检查意见并通知被检查单位整改', params: iid, body: z.object({ summary: text('检查意见', 5, 5000) }).strict() } },
    async (req) => concludeInspection(ctx, requireStaff(req.principal), req.params.id, req.body.summary),
  );

  const cid = z.object({ id: uuid('督导检查'), correctionId: uuid('整改要求') });
  r.post(
    '/api/office/inspections/:id/corrections/:correctionId/report',
    { schema: { tags: ['督导检查'], summary: '被检查单位报告整改情况', params: cid, body: z.object({ text: text('整改情况', 5, 5000) }).strict() } },
    async (req) => reportCorrection(ctx, requireStaff(req.principal), req.params.id, req.params.correctionId, req.body.text),
  );

  r.post(
    '/api/office/inspections/:id/corrections/:correctionId/accept',
    { schema: { tags: ['督导检查'], summary: '验收整改', params: cid, body: z.object({ note: text('验收意见', 1, 2000).optional() }).strict() } },
    async (req) => decideCorrection(ctx, requireStaff(req.principal), req.params.id, req.params.correctionId, { accept: true, note: req.body.note }),
  );

  r.post(
    '/api/office/inspections/:id/corrections/:correctionId/reopen',
    { schema: { tags: ['督导检查'], summary: '整改未通过验收，退回重新整改（新期限）', params: cid, body: z.object({ note: text('理由', 5, 2000), dueDate: date('整改期限') }).strict() } },
    async (req) => decideCorrection(ctx, requireStaff(req.principal), req.params.id, req.params.correctionId, { accept: false, note: req.body.note, dueDate: req.body.dueDate }),
  );
}
