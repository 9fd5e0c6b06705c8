/**
 * Official documents (文书) of a case: the staff list and download, the petitioner's list and
 * download, and the petitioner's signature (双向责任书) — which no staff session can give.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../services/context.js';
import { requireLogin } from './auth-plugin.js';
import { requireStaff, visibleCase } from '../services/office.service.js';
import { ownCase } from '../services/case.service.js';
import { petitionerDocuments, petitionerDownload, signDocument, staffDocuments, staffDownload, type DocumentFile } from '../services/document.service.js';
import { documentKinds } from '../documents/kinds.js';

const params = z.object({ id: z.uuid({ message: '信访件编号格式不正确' }) });
const docParams = z.object({ id: z.uuid({ message: '信访件编号格式不正确' }), docId: z.uuid({ message: '文书编号格式不正确' }) });

/** One document in a list (OpenAPI: DocumentView). */
export const documentView = z
  .object({
    id: z.string().describe('文书 ID'),
    kind: z.enum(documentKinds).describe(
      'acceptance_notice 受理告知书 · rejection_notice 不予受理告知书 · assignment_letter 交办函 · forwarding_letter 转送函 · extension_notice 延期告知书 · reply_opinion 答复意见书 · review_opinion 复查意见书 · re_review_opinion 复核意见书 · responsibility_letter 双向责任书',
    ),
    title: z.string().describe('文书名称，如“受理告知书”'),
    docNo: z.string().describe('发文字号，如“正信受〔2026〕12号”（按单位、文种、年度编号）'),
    unitName: z.string().describe('制发单位'),
    addresseeUnitName: z.string().nullable().describe('主送单位（交办函、转送函）'),
    audience: z.enum(['petitioner', 'unit']).describe('petitioner：致信访人（公开）；unit：单位间文书（内部，仅工作人员可见）'),
    issuedDate: z.string().describe('成文日期 YYYY-MM-DD（北京时间）'),
    issuedAt: z.string().describe('制发时间 ISO-8601'),
    sha256: z.string().describe('PDF 文件的 SHA-256（十六进制），可用于核验'),
    size: z.number().int().describe('PDF 字节数'),
    petitionerSigns: z.boolean().describe('是否须信访人签署（双向责任书）'),
    signedAt: z.string().nullable().describe('信访人签署时间'),
    superseded: z.boolean().describe('已被承办单位重新签发的责任书取代'),
    signaturePending: z.boolean().describe('等待信访人本人签署'),
    downloadUrl: z.string().describe('下载地址（工作人员：/api/office/cases/{id}/documents/{docId}；信访人：/api/cases/{id}/documents/{docId}）'),
  })
  .describe('DocumentView');

const documentList = z.object({ items: z.array(documentView) });

function sendPdf(reply: FastifyReply, f: DocumentFile) {
  reply.header('Content-Type', 'application/pdf');
  reply.header('Content-Disposition', `attachment; filename="document.pdf"; filename*=UTF-8''${encodeURIComponent(f.filename)}`);
  reply.header('Repr-Digest', `sha-256=:${Buffer.from(f.sha256, 'hex').toString('base64')}:`);
  reply.header('X-Content-Type-Options', 'nosniff');
  reply.header('Cache-Control', 'private, no-store');
  return reply.send(f.data);
}

export function documentsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/office/cases/:id/documents',
    {
      schema: {
        tags: ['工作人员'],
        summary: '信访件的全部文书（含交办函、转送函等内部文书）',
        params,
        response: { 200: documentList },
      },
    },
    async (req, reply) => {
      const p = requireStaff(req.principal);
      const { row } = await visibleCase(ctx, p, req.params.id);
      reply.header('Cache-Control', 'no-store');
      return { items: await staffDocuments(ctx, row) };
    },
  );

  r.get(
    '/api/office/cases/:id/documents/:docId',
    {
      schema: {
        tags: ['工作人员'],
        summary: '下载文书 PDF（application/pdf，Content-Disposition: attachment）；每次下载记入内部时间线',
        description: '文书载有信访人姓名，下载视同查看个人信息，记录 document_downloaded 内部事件。响应头 Repr-Digest 给出 SHA-256。',
        params: docParams,
      },
    },
    async (req, reply) => {
      const p = requireStaff(req.principal);
      const { row } = await visibleCase(ctx, p, req.params.id);
      return sendPdf(reply, await staffDownload(ctx, p, row, req.params.docId));
    },
  );

  r.get(
    '/api/cases/:id/documents',
    {
      schema: {
        tags: ['信访人'],
        summary: '本人信访件的文书（告知书、答复意见书、双向责任书等）——仅限信访人本人',
        params,
        response: { 200: documentList },
      },
    },
    async (req, reply) => {
      const row = await ownCase(ctx, requireLogin(req), req.params.id);
      reply.header('Cache-Control', 'no-store');
      return { items: await petitionerDocuments(ctx, row) };
    },
  );

  r.get(
    '/api/cases/:id/documents/:docId',
    {
      schema: {
        tags: ['信访人'],
        summary: '下载本人信访件的文书 PDF——仅限信访人本人（工作人员 403，他人 404）',
        params: docParams,
      },
    },
    async (req, reply) => sendPdf(reply, await petitionerDownload(ctx, requireLogin(req), req.params.id, req.params.docId)),
  );

  r.post(
    '/api/cases/:id/documents/:docId/sign',
    {
      schema: {
        tags: ['信访人'],
        summary: '信访人本人签署文书（双向责任书）——任何工作人员会话一律 403',
        description:
          '只有信访人本人登录后可以签署，记录 document_signed 事件（actorKind = citizen）。可选 sha256：信访人确认所阅读的文书版本，与存档不一致时 409 hash_mismatch。已签署 409 already_signed；无需签署 409 not_signable；已被取代 409 superseded。',
        params: docParams,
        body: z
          .object({ sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'sha256 应为 64 位十六进制').optional().describe('信访人所阅读文书的 SHA-256') })
          .strict()
          .nullish(),
        response: { 201: documentView },
      },
    },
    async (req, reply) => {
      const view = await signDocument(ctx, requireLogin(req), req.params.id, req.params.docId, req.body?.sha256);
      return reply.status(201).send(view);
    },
  );
}
