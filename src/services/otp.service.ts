/**
 * One-time codes for petitioner-only acts without a session (e.g. a staff-entered 来信 whose
 * petitioner has no account): 6 digits to the case's petitioner phone through the outbox (SMS
 * template 'otp'), valid 10 minutes, single use, at most 5 per case per hour, burned after 5 wrong
 * tries. Only a keyed hash is stored. No staff route can mint or read one.
 */
import crypto from 'node:crypto';
import type { AppContext } from './context.js';
import { AppError, conflict, notFound } from './errors.js';
import { normalizeQueryCode } from '../domain/query-code.js';
import { findCaseByQueryHash, type CaseRow } from '../store/case.repository.js';
import { inTransaction } from '../store/tx.js';
import { enqueue } from '../store/outbox.repository.js';
import { caseNumber } from './case.service.js';

export const otpPolicy = { digits: 6, ttlMinutes: 10, maxPerHour: 5, maxTries: 5 };

function codeHash(ctx: AppContext, id: string, code: string): string {
  return ctx.crypto.lookupHash(`otp:${id}:${code}`);
}

/** The case a query code names, or 400/404 as GET /api/track does. */
export async function caseByQueryCode(ctx: AppContext, raw: string): Promise<CaseRow> {
  const code = normalizeQueryCode(raw);
  if (!code) throw new AppError(400, 'bad_request', '查询码格式不正确', { queryCode: '查询码格式不正确' });
  const row = await findCaseByQueryHash(ctx.store.db, ctx.crypto.lookupHash(`qc:${code}`));
  if (!row) throw notFound('未找到该查询码对应的信访件，请核对后重试');
  return row;
}

/** Sends a fresh code to the petitioner's phone on file; earlier unused codes stop working. */
export async function requestOtp(ctx: AppContext, row: CaseRow): Promise<{ expiresAt: string; phoneMasked: string }> {
  if (!row.petitioner_phone_enc) throw conflict('该信访件没有登记信访人手机号，无法发送验证码', 'no_phone');
  const now = ctx.clock.now();
  const hourAgo = new Date(now.getTime() - 3600_000).toISOString();
  const code = String(crypto.randomInt(0, 10 ** otpPolicy.digits)).padStart(otpPolicy.digits, '0');
  const id = crypto.randomUUID();
  const at = now.toISOString();
  const expiresAt = new Date(now.getTime() + otpPolicy.ttlMinutes * 60_000).toISOString();
  await inTransaction(ctx.store, async (t) => {
    const recent = await t.tx.selectFrom('otp_code').select((eb) => eb.fn.countAll<number>().as('n')).where('case_id', '=', row.id).where('created_at', '>', hourAgo).executeTakeFirstOrThrow();
    if (Number(recent.n) >= otpPolicy.maxPerHour) throw new AppError(429, 'too_many_codes', '验证码发送过于频繁，请一小时后再试');
    await t.tx.updateTable('otp_code').set({ status: 'superseded' }).where('case_id', '=', row.id).where('status', '=', 'active').execute();
    await t.tx.insertInto('otp_code').values({ id, case_id: row.id, code_hash: codeHash(ctx, id, code), created_at: at, expires_at: expiresAt, attempts: 0, status: 'active' }).execute();
    await enqueue(t, {
      channel: 'sms',
      recipientEnc: row.petitioner_phone_enc!,
      template: 'otp',
      payload: { caseNo: caseNumber(row), code, minutes: otpPolicy.ttlMinutes },
      caseId: row.id,
      at,
    });
  });
  const phone = ctx.crypto.decrypt(row.petitioner_phone_enc);
  return { expiresAt, phoneMasked: `${phone.slice(0, 3)}****${phone.slice(-4)}` };
}

/**
 * Checks and consumes a code (compare-and-set, so two requests cannot both use it). A wrong code
 * counts against the active code; the fifth wrong try burns it.
 */
export async function consumeOtp(ctx: AppContext, caseId: string, code: string): Promise<void> {
  const now = ctx.clock.now().toISOString();
  const outcome = await inTransaction(ctx.store, async (t) => {
    const c = await t.tx.selectFrom('otp_code').selectAll().where('case_id', '=', caseId).where('status', '=', 'active').orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    if (!c || c.expires_at <= now) return 'none' as const;
    const given = Buffer.from(codeHash(ctx, c.id, code));
    const want = Buffer.from(c.code_hash);
    if (given.length === want.length && crypto.timingSafeEqual(given, want)) {
      const r = await t.tx.updateTable('otp_code').set({ status: 'used' }).where('id', '=', c.id).where('status', '=', 'active').executeTakeFirst();
      return Number(r.numUpdatedRows) === 1 ? ('ok' as const) : ('none' as const);
    }
    const attempts = Number(c.attempts) + 1;
    await t.tx.updateTable('otp_code').set({ attempts, status: attempts >= otpPolicy.maxTries ? 'burned' : 'active' }).where('id', '=', c.id).execute();
    return attempts >= otpPolicy.maxTries ? ('burned' as const) : ('wrong' as const);
  });
  switch (outcome) {
    case 'ok':
      return;
    case 'none':
      throw new AppError(403, 'otp_invalid', '验证码无效或已过期，请重新获取');
    case 'wrong':
      throw new AppError(403, 'otp_invalid', '验证码不正确');
    case 'burned':
      throw new AppError(403, 'otp_burned', '验证码错误次数过多，已失效，请重新获取');
  }
}
