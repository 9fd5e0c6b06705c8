/** Accounts and sessions: real-name registration, login with throttling, server-side sessions. */
import crypto from 'node:crypto';
import type { AppContext } from './context.js';
import { AppError, badInput, conflict } from './errors.js';
import { validateIdNumber, validateMobile } from '../domain/id-number.js';
import { maskIdNumber, maskName, maskPhone } from '../domain/masking.js';
import { permissionsOf, type Permission } from '../domain/permissions.js';
import { hashPassword, passwordProblem, verifyPassword } from '../security/password.js';
import * as accounts from '../store/account.repository.js';
import type { AccountRow } from '../store/account.repository.js';
import type { Unit } from './units.js';
import { checkSecondFactor } from './account-security.service.js';
import { securityEvent } from './staff-accounts.service.js';

export interface CitizenPrincipal {
  kind: 'citizen';
  account: AccountRow;
  tokenHash: string;
}

export interface StaffPrincipal {
  kind: 'staff';
  account: AccountRow;
  tokenHash: string;
  unit: Unit;
  scope: Unit;
  roles: string[];
  permissions: Set<Permission>;
}

export type Principal = CitizenPrincipal | StaffPrincipal;

const maxFailures = 5;
const lockMinutes = 15;
// A real hash to verify against when the login name is unknown, so timing does not reveal accounts.
let dummyHash: Promise<string> | undefined;

function sha256(s: string): string {
  return crypto.createHash('sha256').update(s).digest('hex');
}

/** Registers a citizen with real name, ID number and phone; returns a new session token. */
export async function registerCitizen(
  ctx: AppContext,
  input: { name: string; idNumber: string; phone: string; password: string },
): Promise<{ token: string; account: AccountRow }> {
  const fields: Record<string, string> = {};
  const name = input.name.trim();
  if (!/^[\u4e00-\u9fa5·]{2,20}$|^[A-Za-z][A-Za-z .'-]{1,49}$/.test(name)) fields.name = '请填写真实姓名（2-20 个汉字）';
  const id = validateIdNumber(input.idNumber, ctx.clock.now().toISOString().slice(0, 10));
  if (!id.ok) fields.idNumber = id.reason;
  const phone = validateMobile(input.phone);
  if (!phone.ok) fields.phone = phone.reason;
  const pw = passwordProblem(input.password);
  if (pw) fields.password = pw;
  if (Object.keys(fields).length > 0 || !id.ok || !phone.ok) throw badInput('注册信息有误，请检查后重试', fields);

  const idHash = ctx.crypto.lookupHash(`id:${id.normalized}`);
  const phoneHash = ctx.crypto.lookupHash(`phone:${phone.normalized}`);
  if (await accounts.findAccountByIdNumberHash(ctx.store.db, idHash)) {
    throw new AppError(409, 'id_number_taken', '该身份证号码已注册，请直接登录', { idNumber: '该身份证号码已注册' });
  }
  if (await accounts.findAccountByPhoneHash(ctx.store.db, phoneHash)) {
    throw new AppError(409, 'phone_taken', '该手机号码已注册，请直接登录', { phone: '该手机号码已注册' });
  }
  const now = ctx.clock.now().toISOString();
  const account: AccountRow = {
    id: crypto.randomUUID(),
    kind: 'citizen',
    username: null,
    name_enc: ctx.crypto.encrypt(name),
    id_number_enc: ctx.crypto.encrypt(id.normalized),
    id_number_hash: idHash,
    phone_enc: ctx.crypto.encrypt(phone.normalized),
    phone_hash: phoneHash,
    password_hash: await hashPassword(input.password),
    unit_id: null,
    roles: '[]',
    disabled: 0,
    failed_logins: 0,
    locked_until: null,
    created_at: now,
  };
  try {
    await accounts.insertAccount(ctx.store.db, account);
  } catch {
    // A concurrent registration with the same ID number or phone won the race on the unique index.
    throw conflict('该身份证号码或手机号码已注册，请直接登录', 'account_exists');
  }
  return { token: await createSession(ctx, account.id), account };
}

/** Logs in with phone (citizen) or username (staff); throttles after repeated failures. */
export async function login(ctx: AppContext, loginName: string, password: string, totp?: string, ip: string | null = null): Promise<{ token: string; account: AccountRow }> {
  const db = ctx.store.db;
  const phone = validateMobile(loginName);
  const account = phone.ok
    ? await accounts.findAccountByPhoneHash(db, ctx.crypto.lookupHash(`phone:${phone.normalized}`))
    : await accounts.findAccountByUsername(db, loginName.trim());
  const now = ctx.clock.now();
  if (!account) {
    dummyHash ??= hashPassword('not-a-real-password-9');
    await verifyPassword(await dummyHash, password);
    throw new AppError(401, 'bad_credentials', '账号或密码不正确');
  }
  if (account.locked_until && account.locked_until > now.toISOString()) {
    await securityEvent(ctx, 'login_refused_locked', null, account.id, ip);
    throw new AppError(429, 'locked', `登录失败次数过多，账号已临时锁定，请于 ${lockMinutes} 分钟后再试`);
  }
  if (!(await verifyPassword(account.password_hash, password))) {
    const failed = account.failed_logins + 1;
    const lock = failed >= maxFailures ? new Date(now.getTime() + lockMinutes * 60_000).toISOString() : null;
    await accounts.recordLoginFailure(db, account.id, lock ? 0 : failed, lock);
    await securityEvent(ctx, lock ? 'login_locked' : 'login_failed', null, account.id, ip, lock ? { lockedUntil: lock } : { failures: failed });
    throw new AppError(401, 'bad_credentials', '账号或密码不正确');
  }
  if (account.disabled) {
    await securityEvent(ctx, 'login_refused_disabled', null, account.id, ip);
    throw new AppError(403, 'disabled', '该账号已停用，请联系管理员');
  }
  try {
    await checkSecondFactor(ctx, account, totp);
  } catch (err) {
    if (err instanceof AppError && err.code === 'bad_totp') await securityEvent(ctx, 'totp_failed', null, account.id, ip);
    throw err;
  }
  if (account.failed_logins > 0 || account.locked_until) await accounts.resetLoginFailures(db, account.id);
  await securityEvent(ctx, 'login_ok', account.id, account.id, ip);
  return { token: await createSession(ctx, account.id), account };
}

async function createSession(ctx: AppContext, accountId: string): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url'); // 256 bits
  const now = ctx.clock.now();
  await accounts.insertSession(ctx.store.db, {
    token_hash: sha256(token),
    account_id: accountId,
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: new Date(now.getTime() + ctx.config.sessionMaxHours * 3600_000).toISOString(),
  });
  return token;
}

/** Ends a session. */
export async function logout(ctx: AppContext, token: string): Promise<void> {
  await accounts.deleteSession(ctx.store.db, sha256(token));
}

/** Resolves a session token to a principal, enforcing idle and absolute timeouts. */
export async function resolveSession(ctx: AppContext, token: string): Promise<Principal | null> {
  const db = ctx.store.db;
  const tokenHash = sha256(token);
  const s = await accounts.findSession(db, tokenHash);
  if (!s) return null;
  const now = ctx.clock.now();
  const idleLimit = new Date(now.getTime() - ctx.config.sessionIdleMinutes * 60_000).toISOString();
  if (s.expires_at <= now.toISOString() || s.last_seen_at < idleLimit) {
    await accounts.deleteSession(db, tokenHash);
    return null;
  }
  const account = await accounts.findAccountById(db, s.account_id);
  if (!account || account.disabled) {
    await accounts.deleteSession(db, tokenHash);
    return null;
  }
  // Touch at most once a minute: keeps the idle clock honest without a write per request.
  if (now.getTime() - Date.parse(s.last_seen_at) > 60_000) await accounts.touchSession(db, tokenHash, now.toISOString());
  if (account.kind === 'citizen') return { kind: 'citizen', account, tokenHash };
  const unit = account.unit_id ? ctx.units.get(account.unit_id) : undefined;
  const scope = account.unit_id ? ctx.units.scopeOf(account.unit_id) : undefined;
  if (!unit || !scope) return null;
  const roles = JSON.parse(account.roles) as string[];
  return { kind: 'staff', account, tokenHash, unit, scope, roles, permissions: permissionsOf(roles) };
}

/** The public description of the current user (personal data masked). */
export function describePrincipal(ctx: AppContext, p: Principal) {
  const name = ctx.crypto.decrypt(p.account.name_enc);
  if (p.kind === 'citizen') {
    return {
      id: p.account.id,
      kind: 'citizen' as const,
      name: maskName(name),
      phone: maskPhone(ctx.crypto.decryptOptional(p.account.phone_enc) ?? ''),
      idNumber: maskIdNumber(ctx.crypto.decryptOptional(p.account.id_number_enc) ?? ''),
      roles: [] as string[],
      permissions: [] as string[],
      unit: null,
    };
  }
  return {
    id: p.account.id,
    kind: 'staff' as const,
    name,
    username: p.account.username,
    mustChangePassword: Boolean(p.account.must_change_password),
    phone: null,
    idNumber: null,
    roles: p.roles,
    permissions: [...p.permissions].sort(),
    unit: { id: p.unit.id, name: p.unit.name, kind: p.unit.kind, level: p.unit.level, regionCode: p.unit.regionCode },
    scope: { id: p.scope.id, name: p.scope.name },
  };
}
