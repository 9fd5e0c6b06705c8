/**
 * Second factor (TOTP) and the separated admin duties (三员分立): the system admin disables accounts,
 * the security admin grants roles, unlocks and reads the security log, the auditor reads the record.
 */
import type { AppContext } from './context.js';
import type { Principal, StaffPrincipal } from './auth.service.js';
import type { AccountRow } from '../store/account.repository.js';
import { deleteSessionsOf, findAccountById, recordLoginFailure, resetLoginFailures } from '../store/account.repository.js';
import * as sec from '../store/security.repository.js';
import { newTotpSecret, otpauthUri, verifyTotp } from '../security/totp.js';
import { roles as roleNames, type Role } from '../domain/permissions.js';
import { AppError, badInput, conflict, forbidden, notFound } from './errors.js';

/** Roles whose holders must log in with a second factor. */
export const totpRequiredRoles: readonly Role[] = ['admin', 'security_admin'];

const maxFailures = 5;
const lockMinutes = 15;

/** True when the account's roles demand TOTP. */
export function needsTotp(account: AccountRow): boolean {
  if (account.kind !== 'staff') return false;
  const rs = JSON.parse(account.roles) as string[];
  return rs.some((r) => (totpRequiredRoles as readonly string[]).includes(r));
}

/** True when the account has an enabled TOTP enrolment. */
export async function hasTotp(ctx: AppContext, accountId: string): Promise<boolean> {
  return Boolean((await sec.findTotp(ctx.store.db, accountId))?.enabled_at);
}

/**
 * Called by login after the password matched: an account with TOTP needs a valid, unused code.
 * A missing code is 401 totp_required (the client then asks for it); a wrong one counts as a failure.
 */
export async function checkSecondFactor(ctx: AppContext, account: AccountRow, code: string | undefined): Promise<void> {
  const t = await sec.findTotp(ctx.store.db, account.id);
  if (!t?.enabled_at) return;
  if (!code) throw new AppError(401, 'totp_required', '请输入动态口令（身份验证器 App 中的 6 位数字）');
  const step = verifyTotp(ctx.crypto.decrypt(t.secret_enc), code.trim(), ctx.clock.now(), t.last_step === null ? null : Number(t.last_step));
  if (step === null || !(await sec.useTotpStep(ctx.store.db, account.id, step))) {
    const failed = account.failed_logins + 1;
    const lock = failed >= maxFailures ? new Date(ctx.clock.now().getTime() + lockMinutes * 60_000).toISOString() : null;
    await recordLoginFailure(ctx.store.db, account.id, lock ? 0 : failed, lock);
    throw new AppError(401, 'bad_totp', '动态口令不正确或已使用，请输入最新的 6 位数字');
  }
}

function staffOnly(p: Principal): StaffPrincipal {
  if (p.kind !== 'staff') throw forbidden('动态口令仅适用于工作人员账号');
  return p;
}

/** Starts a TOTP enrolment: returns the secret and the otpauth URI; nothing is enforced until enabled. */
export async function setupTotp(ctx: AppContext, p: Principal): Promise<{ secret: string; otpauthUri: string }> {
  const s = staffOnly(p);
  if (await hasTotp(ctx, s.account.id)) throw conflict('动态口令已启用；如需更换请联系安全管理员重置', 'totp_enabled');
  const secret = newTotpSecret();
  await sec.putPendingTotp(ctx.store.db, s.account.id, ctx.crypto.encrypt(secret), ctx.clock.now().toISOString());
  return { secret, otpauthUri: otpauthUri(secret, s.account.username ?? s.account.id) };
}

/** Enables the pending enrolment once the user proves the app shows the right code. */
export async function enableTotp(ctx: AppContext, p: Principal, code: string, ip: string): Promise<void> {
  const s = staffOnly(p);
  const t = await sec.findTotp(ctx.store.db, s.account.id);
  if (!t) throw conflict('请先获取动态口令密钥', 'totp_not_set_up');
  if (t.enabled_at) throw conflict('动态口令已启用', 'totp_enabled');
  const step = verifyTotp(ctx.crypto.decrypt(t.secret_enc), code.trim(), ctx.clock.now());
  if (step === null) throw badInput('动态口令不正确，请核对手机时间后输入最新的 6 位数字', { code: '动态口令不正确' });
  const now = ctx.clock.now().toISOString();
  await sec.enableTotp(ctx.store.db, s.account.id, now, step);
  await sec.logSecurity(ctx.store.db, { at: now, kind: 'totp_enabled', actor_id: s.account.id, subject_id: s.account.id, ip, detail: null });
}

async function staffAccountInScope(ctx: AppContext, p: StaffPrincipal, accountId: string): Promise<AccountRow> {
  const a = await findAccountById(ctx.store.db, accountId);
  const unit = a?.unit_id ? ctx.units.get(a.unit_id) : undefined;
  if (!a || a.kind !== 'staff' || !unit || !unit.path.startsWith(p.scope.path)) throw notFound('账号不存在或不在您的管辖范围内');
  return a;
}

function need(p: Principal, perm: 'admin.users' | 'security.grants' | 'security.unlock' | 'security.log' | 'audit.read'): StaffPrincipal {
  if (p.kind !== 'staff' || !p.permissions.has(perm)) throw forbidden();
  return p;
}

/** System admin: disables (or re-enables) a staff account; disabling revokes all its sessions at once. */
export async function setDisabled(ctx: AppContext, p: Principal, accountId: string, disabled: boolean, ip: string): Promise<void> {
  const s = need(p, 'admin.users');
  if (accountId === s.account.id) throw conflict('不能停用自己的账号', 'self');
  const a = await staffAccountInScope(ctx, s, accountId);
  await sec.setAccountDisabled(ctx.store.db, a.id, disabled);
  if (disabled) await deleteSessionsOf(ctx.store.db, a.id);
  await sec.logSecurity(ctx.store.db, { at: ctx.clock.now().toISOString(), kind: disabled ? 'account_disabled' : 'account_enabled', actor_id: s.account.id, subject_id: a.id, ip, detail: null });
}

/** Security admin: sets a staff account's roles; sessions are revoked so the change holds at once. */
export async function grantRoles(ctx: AppContext, p: Principal, accountId: string, roles: string[], ip: string): Promise<void> {
  const s = need(p, 'security.grants');
  // Nobody grants themselves anything (403, like any other act outside one's duty).
  if (accountId === s.account.id) throw forbidden('不能修改自己的角色');
  for (const r of roles) if (!(roleNames as readonly string[]).includes(r)) throw badInput(`未知的角色：${r}`, { roles: '未知的角色' });
  const a = await staffAccountInScope(ctx, s, accountId);
  const unique = [...new Set(roles)];
  const before = JSON.parse(a.roles) as string[];
  await sec.setAccountRoles(ctx.store.db, a.id, unique);
  await deleteSessionsOf(ctx.store.db, a.id);
  await sec.logSecurity(ctx.store.db, { at: ctx.clock.now().toISOString(), kind: 'roles_granted', actor_id: s.account.id, subject_id: a.id, ip, detail: JSON.stringify({ before, after: unique }) });
}

/** Security admin: lifts a lockout after repeated failures; optionally resets the second factor. */
export async function unlockAccount(ctx: AppContext, p: Principal, accountId: string, resetTotp: boolean, ip: string): Promise<void> {
  const s = need(p, 'security.unlock');
  const a = await findAccountById(ctx.store.db, accountId);
  if (!a) throw notFound('账号不存在');
  if (a.kind === 'staff') await staffAccountInScope(ctx, s, accountId);
  await resetLoginFailures(ctx.store.db, a.id);
  if (resetTotp) {
    await sec.deleteTotp(ctx.store.db, a.id);
    await deleteSessionsOf(ctx.store.db, a.id);
  }
  await sec.logSecurity(ctx.store.db, { at: ctx.clock.now().toISOString(), kind: resetTotp ? 'account_unlocked_totp_reset' : 'account_unlocked', actor_id: s.account.id, subject_id: a.id, ip, detail: null });
}

/** System admin and security admin: the staff accounts of their jurisdiction (no personal data beyond the name). */
export async function listStaff(ctx: AppContext, p: Principal) {
  const s = p.kind === 'staff' && (p.permissions.has('admin.users') || p.permissions.has('security.grants')) ? p : null;
  if (!s) throw forbidden();
  const unitIds = ctx.units.all().filter((u) => u.path.startsWith(s.scope.path)).map((u) => u.id);
  const rows = await sec.listStaffAccounts(ctx.store.db, unitIds);
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    name: ctx.crypto.decrypt(r.name_enc),
    unitId: r.unit_id,
    unitName: r.unit_id ? ctx.units.displayName(r.unit_id) : null,
    roles: JSON.parse(r.roles) as string[],
    mustChangePassword: Boolean(r.must_change_password),
    createdAt: r.created_at,
    disabled: Boolean(r.disabled),
    locked: Boolean(r.locked_until && r.locked_until > ctx.clock.now().toISOString()),
  }));
}

/** Auditor: the raw event record of one case, with its hash chain (read only; there is no delete). */
export async function auditEvents(ctx: AppContext, p: Principal, caseId: string) {
  const s = need(p, 'audit.read');
  const row = await ctx.store.db.selectFrom('case_file').select(['id', 'current_unit_id', 'receiving_unit_id', 'head_hash']).where('id', '=', caseId).executeTakeFirst();
  const unit = row ? ctx.units.get(row.receiving_unit_id) : undefined;
  if (!row || !unit || !unit.path.startsWith(s.scope.path)) throw notFound();
  const events = await ctx.store.db.selectFrom('case_event').selectAll().where('case_id', '=', caseId).orderBy('seq').execute();
  return {
    caseId,
    headHash: row.head_hash,
    events: events.map((e) => ({ seq: Number(e.seq), type: e.type, actorKind: e.actor_kind, actorId: e.actor_id, actorUnitId: e.actor_unit_id, at: e.at, visibility: e.visibility, prevHash: e.prev_hash, hash: e.hash })),
  };
}
