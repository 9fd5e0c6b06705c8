/** Staff entry of letters, visits and calls (来信/来访/来电登记). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../services/context.js';
import { requireStaff } from '../services/office.service.js';
import { enterCase, entryForUpload, trackUrl } from '../services/entry.service.js';
import { addAttachment } from '../services/case.service.js';
import { AppError, badInput } from '../services/errors.js';
import { caseNumber } from '../services/case.service.js';
import { deadlineSummary } from '../services/deadlines.js';
import { maskName, maskPhone } from '../domain/masking.js';
import { submitSchema } from './public.routes.js';

export const entrySchema = submitSchema
  .omit({ target: true, address: true })
  .extend({
    channel: z.enum(['letter', 'visit', 'call']).describe('信访形式：letter 来信 · visit 来访 · call 来电'),
    receivedAt: z
      .iso.datetime({ offset: true, message: '收信（来访、来电）时间格式不正确' })
      .optional()
      .describe('收到来信（接待来访、接听来电）的时间，早于登记时的填写；受理期限从这一天起算。不得晚于现在，不得早于 30 日前'),
    petitioner: z
      .object({
        name: z.string().min(1).max(50).describe('信访人真实姓名'),
        phone: z.string().max(30).optional().describe('手机号码：来访、来电必填，来信可不填（须填地址）；用于短信告知查询码，登记后只以脱敏形式显示'),
        idNumber: z
          .string()
          .max(30)
          .optional()
          .describe('居民身份证号码（可选，按 GB 11643 校验）；与已实名注册的账户身份证号码和姓名一致时，信访件归入该账户，信访人可在线签署、评价'),
        address: z.string().max(200).optional().describe('通信地址；来信未留手机号码时必填'),
      })
      .strict(),
  })
  .strict()
  .describe('来信、来访、来电登记：受理机关为登记员所在的信访局或领导信箱办公室，问题发生地须在其辖区内');

const entryResponse = z.object({
  id: z.string(),
  caseNo: z.string().describe('信访件编号'),
  queryCode: z.string().describe('查询码：只在本次响应中返回一次，请交给信访人（回执已载明）'),
  state: z.string(),
  channel: z.enum(['letter', 'visit', 'call']),
  submittedAt: z.string(),
  receivingUnitId: z.string(),
  receivingUnitName: z.string(),
  petitioner: z.object({ name: z.string().describe('脱敏姓名'), phone: z.string().nullable().describe('脱敏手机号码') }),
  smsQueued: z.boolean().describe('已通过通知发件箱排队发送查询码短信（模板 case_submitted）'),
  linkedAccount: z.boolean().describe('已归入信访人的实名账户'),
  trackUrl: z.string().describe('凭查询码查询办理进度的网址（回执已载明）'),
  deadlines: z.object({
    accept: z.string().nullable(),
    assign: z.string().nullable(),
    returnWindow: z.string().nullable(),
    reply: z.string().nullable(),
    reviewRequest: z.string().nullable(),
    reviewDecision: z.string().nullable(),
    uncoveredYears: z.array(z.number()),
  }),
  receipt: z
    .object({
      filename: z.string(),
      mime: z.literal('application/pdf'),
      size: z.number().int(),
      sha256: z.string(),
      base64: z.string().describe('登记回执 PDF（base64），载有查询码，供打印后交给或寄给信访人；不在服务器留存'),
    })
    .describe('信访事项登记回执'),
});

export function entryRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/office/entries/:id/attachments',
    {
      schema: {
        tags: ['工作人员'],
        summary: '为登记的来信、来访、来电上传材料（信件扫描件、照片；图片或 PDF，multipart/form-data 字段 file）',
        description: '登记本件的信访部门中有登记权限的工作人员，在信访件受理前可上传；其他人 403。',
        params: z.object({ id: z.uuid({ message: '信访件编号格式不正确' }) }),
      },
    },
    async (req, reply) => {
      const p = requireStaff(req.principal);
      const row = await entryForUpload(ctx, p, req.params.id);
      if (!req.isMultipart()) throw new AppError(415, 'unsupported_media_type', '请以 multipart/form-data 上传文件');
      const file = await req.file();
      if (!file) throw badInput('没有收到文件', { file: '请选择文件' });
      const att = await addAttachment(ctx, row, { kind: 'staff', id: p.account.id, unitId: p.unit.id }, 'petition', { filename: file.filename, data: await file.toBuffer() });
      return reply.status(201).send({ id: att.id, filename: att.filename, mime: att.mime, size: att.size, sha256: att.sha256 });
    },
  );

  r.post(
    '/api/office/entries',
    {
      schema: {
        tags: ['工作人员'],
        summary: '登记来信、来访、来电（需 case.register 权限；支持 Idempotency-Key）',
        description:
          '以登记员所在信访局（或领导信箱办公室）为受理机关登记信访件，记录信访形式。填写手机号码的，通过通知发件箱发送查询码短信；响应返回查询码（仅此一次）和可打印的登记回执 PDF。无登记权限、非信访部门、问题发生地不在辖区内：403。同一 Idempotency-Key 重试返回同一件（200，Idempotent-Replayed: true）。',
        headers: z.object({ 'idempotency-key': z.string().min(8, 'Idempotency-Key 至少 8 个字符').max(100).optional() }).loose(),
        body: entrySchema,
        response: { 200: entryResponse, 201: entryResponse },
      },
    },
    async (req, reply) => {
      const p = requireStaff(req.principal);
      const key = req.headers['idempotency-key'];
      const res = await enterCase(ctx, p, req.body, typeof key === 'string' ? key : undefined);
      const { row } = res;
      const name = ctx.crypto.decryptOptional(row.petitioner_name_enc);
      const phone = ctx.crypto.decryptOptional(row.petitioner_phone_enc);
      reply.header('Cache-Control', 'no-store');
      if (res.replayed) reply.header('Idempotent-Replayed', 'true');
      return reply.status(res.replayed ? 200 : 201).send({
        id: row.id,
        caseNo: caseNumber(row),
        queryCode: res.queryCode,
        state: row.state,
        channel: row.channel as 'letter' | 'visit' | 'call',
        submittedAt: row.submitted_at,
        receivingUnitId: row.receiving_unit_id,
        receivingUnitName: ctx.units.displayName(row.receiving_unit_id),
        petitioner: { name: name ? maskName(name) : '', phone: phone ? maskPhone(phone) : null },
        smsQueued: res.smsQueued,
        linkedAccount: res.linkedAccount,
        trackUrl: trackUrl(ctx),
        deadlines: deadlineSummary(row),
        receipt: { filename: res.receipt.filename, mime: 'application/pdf' as const, size: res.receipt.data.length, sha256: res.receipt.sha256, base64: res.receipt.data.toString('base64') },
      });
    },
  );
}
