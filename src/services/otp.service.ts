/**
 * One-time codes for petitioner-only acts without a session (e.g. a staff-entered 来信 whose
 * petitioner has no account): 6 digits to the case's petitioner phone through the outbox (SMS
 * template 'otp'), valid 10 minutes, single use (spent in the act's own transaction), at most 5 per case per hour, burned after 5 wrong
 * tries. Only a keyed hash is stored. No staff route can mint or read one.
 */
import crypto from 'node:crypto';
import type { AppContext } from './context.js';
import { AppError, conflict, notFound } from './errors.js';
import { normalizeQueryCode } from '../domain/query-code.js';
import { findCaseByQueryHash, type CaseRow } from '../store/case.repository.js';
import { inTransaction, type TxContext } from '../store/tx.js';
import { enqueue } from '../store/outbox.repository.js';
import { caseNumber } from './case.service.js';
import { sealOutboxSecrets } from './outbox-secrets.js';
import { otpRecipient } from './petitioner-notify.js';

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

/** Sends a fresh code to the petitioner's phone on file (else to the address a case filed by e-mail came from); earlier unused codes stop working. */
export async function requestOtp(ctx: AppContext, row: CaseRow): Promise<{ expiresAt: string; phoneMasked: string; channel: 'sms' | 'email' }> {
  const to = otpRecipient(ctx, row);
  if (!to) throw conflict('该信访件没有登记信访人手机号或电子邮箱，无法发送验证码', 'no_phone');
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
      channel: to.channel,
      recipientEnc: to.recipientEnc,
      template: 'otp',
      payload: { caseNo: caseNumber(row), minutes: otpPolicy.ttlMinutes },
      secretsEnc: sealOutboxSecrets(ctx, { code }),
      caseId: row.id,
      at,
    });
  });
  return { expiresAt, phoneMasked: to.masked, channel: to.channel };
}

/**
 * Checks a code against the case's active one without spending it. A wrong code counts against the
 * active code (committed at once; the fifth wrong try burns it). A right one returns the proof the
 * act spends inside its own transaction (Actor.proof → mutateCase), so an act that fails (409: the
 * case moved on) leaves the code usable, and a spent code can never be replayed.
 */
export async function checkOtp(ctx: AppContext, caseId: string, code: string): Promise<(t: TxContext) => Promise<void>> {
  const now = ctx.clock.now().toISOString();
  const outcome = await inTransaction(ctx.store, async (t) => {
    const c = await t.tx.selectFrom('otp_code').selectAll().where('case_id', '=', caseId).where('status', '=', 'active').orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    if (!c || c.expires_at <= now) return { kind: 'none' as const };
    const given = Buffer.from(codeHash(ctx, c.id, code));
    const want = Buffer.from(c.code_hash);
    if (given.length === want.length && crypto.timingSafeEqual(given, want)) return { kind: 'ok' as const, id: c.id };
    const attempts = Number(c.attempts) + 1;
    await t.tx.updateTable('otp_code').set({ attempts, status: attempts >= otpPolicy.maxTries ? 'burned' : 'active' }).where('id', '=', c.id).where('status', '=', 'active').execute();
    return { kind: attempts >= otpPolicy.maxTries ? ('burned' as const) : ('wrong' as const) };
  });
  switch (outcome.kind) {
    case 'ok': {
      const id = outcome.id;
      return async (t: TxContext) => {
        // Compare-and-set inside the act's transaction (after the case row is locked): of two acts
        // with the same code exactly one sees it active; a rolled-back act un-spends it.
        const r = await t.tx
          .updateTable('otp_code')
          .set({ status: 'used' })
          .where('id', '=', id)
          .where('status', '=', 'active')
          .where('expires_at', '>', ctx.clock.now().toISOString())
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) throw new AppError(403, 'otp_invalid', '验证码无效或已使用，请重新获取');
      };
    }
    case 'none':
      throw new AppError(403, 'otp_invalid', '验证码无效或已过期，请重新获取');
    case 'wrong':
      throw new AppError(403, 'otp_invalid', '验证码不正确');
    case 'burned':
      throw new AppError(403, 'otp_burned', '验证码错误次数过多，已失效，请重新获取');
  }
}
