/** Serves a stored attachment as a download, never inline, under its generated storage name. */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyReply } from 'fastify';
import type { AppContext } from '../services/context.js';
import { notFound } from '../services/errors.js';
import { listAttachments } from '../store/case.repository.js';

export async function readAttachment(ctx: AppContext, reply: FastifyReply, caseId: string, attachmentId: string) {
  const att = (await listAttachments(ctx.store.db, caseId)).find((a) => a.id === attachmentId);
  if (!att) throw notFound('附件不存在');
  const data = await fs.readFile(path.join(ctx.uploadDir, att.storage_name)).catch(() => null);
  if (!data) throw notFound('附件文件已丢失，请联系管理员');
  reply.header('Content-Type', att.mime);
  reply.header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(att.filename)}`);
  reply.header('X-Content-Type-Options', 'nosniff');
  reply.header('Cache-Control', 'private, no-store');
  return reply.send(data);
}
