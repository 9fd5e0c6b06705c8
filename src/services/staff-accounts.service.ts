/**
 * Staff accounts under the separated admin duties (三员分立):
 * - the system admin (admin.users) creates staff accounts (no roles: granting is not theirs), resets
 *   passwords (the holder must change it at next login; sessions revoked), disables and enables;
 * - the security admin (security.grants / security.unlock / security.log) grants roles, unlocks and
 *   reads the security log; nobody changes their own roles;
 * - every change is written to the security log.
 * Accounts holding a duty role (security admin, auditor) are out of the system admin's reach for
 * password resets: a system admin could otherwise take over the duty that watches them.
 */
import crypto from 'node:crypto';
import type { AppContext } from './context.js';
import type { Principal, StaffPrincipal } from './auth.service.js';
import { AppError, badInput, forbidden, notFound } from './errors.js';
import { deleteSessionsOf, findAccountById, findAccountByUsername, insertAccount, type AccountRow } from '../store/account.repository.js';
import { hashPassword, passwordProblem, verifyPassword } from '../security/password.js';
import * as sec from '../store/security.repository.js';
import { maskName } from '../domain/masking.js';
import type { Permission } from '../domain/permissions.js';

/** Roles whose accounts only the security admin may reset (they oversee the system admin). */
const dutyRoles = ['security_admin', 'auditor'];

/** Chinese labels of the security log's kinds, for the office page and the API. */
export const securityLogKinds: Record<string, string> = {
  login_ok: '登录成功',
  login_failed: '登录失败',
  login_locked: '连续失败，账号锁定',
  login_refused_locked: '锁定期间尝试登录',
  login_refused_disabled: '已停用账号尝试登录',
  totp_failed: '动态口令错误',
  totp_enabled: '启用动态口令',
  account_created: '创建账号',
  account_disabled: '停用账号',
  account_enabled: '启用账号',
  password_reset: '重置密码',
  password_changed: '修改密码',
  roles_granted: '设置角色',
  account_unlocked: '解除锁定',
  account_unlocked_totp_reset: '解除锁定并重置动态口令',
  pii_unmasked: '查看完整个人信息',
};

function need(p: Principal, perm: Permission): StaffPrincipal {
  if (p.kind !== 'staff' || !p.permissions.has(perm)) throw forbidden();
  return p;
}

function inScope(ctx: AppContext, p: StaffPrincipal, unitId: string | null | undefined): boolean {
  const u = unitId ? ctx.units.get(unitId) : undefined;
  return Boolean(u && u.path.startsWith(p.scope.path));
}

async function staffInScope(ctx: AppContext, p: StaffPrincipal, accountId: string): Promise<AccountRow> {
  const a = await findAccountById(ctx.store.db, accountId);
  if (!a || a.kind !== 'staff' || !inScope(ctx, p, a.unit_id)) throw notFound('账号不存在或不在您的管辖范围内');
  return a;
}

const usernamePattern = /^[a-z][a-z0-9._-]{2,39}$/;
const namePattern = /^[\u4e00-\u9fa5·]{2,20}$|^[A-Za-z][A-Za-z .'-]{1,49}$/;

export interface NewStaffInput {
  unitId: string;
  name: string;
  username: string;
  password: string;
}

/** System admin: a new staff account without roles; the initial password must be changed at first login. */
export async function createStaffAccount(ctx: AppContext, p: Principal, input: NewStaffInput, ip: string) {
  const s = need(p, 'admin.users');
  const fields: Record<string, string> = {};
  const username = input.username.trim().toLowerCase();
  const name = input.name.trim();
  if (!usernamePattern.test(username)) fields.username = '用户名为 3-40 位小写字母、数字或 . _ -，以字母开头';
  if (!namePattern.test(name)) fields.name = '请填写真实姓名（2-20 个汉字）';
  const pw = passwordProblem(input.password);
  if (pw) fields.password = pw;
  const unit = ctx.units.get(input.unitId);
  if (!unit || !unit.path.startsWith(s.scope.path)) fields.unitId = '单位不存在或不在您的管辖范围内';
  else if (unit.kind === 'mailbox') fields.unitId = '该单位不能设置工作人员账号';
  if (Object.keys(fields).length > 0) throw badInput('账号信息有误，请检查后重试', fields);
  if (await findAccountByUsername(ctx.store.db, username)) throw new AppError(409, 'username_taken', '该用户名已被使用', { username: '该用户名已被使用' });
  const now = ctx.clock.now().toISOString();
  const row: AccountRow = {
    id: crypto.randomUUID(),
    kind: 'staff',
    username,
    name_enc: ctx.crypto.encrypt(name),
    id_number_enc: null,
    id_number_hash: null,
    phone_enc: null,
    phone_hash: null,
    password_hash: await hashPassword(input.password),
    unit_id: unit!.id,
    roles: '[]',
    disabled: 0,
    failed_logins: 0,
    locked_until: null,
    created_at: now,
    must_change_password: 1,
  };
  try {
    await insertAccount(ctx.store.db, row);
  } catch {
    throw new AppError(409, 'username_taken', '该用户名已被使用', { username: '该用户名已被使用' });
  }
  await sec.logSecurity(ctx.store.db, { at: now, kind: 'account_created', actor_id: s.account.id, subject_id: row.id, ip, detail: JSON.stringify({ username, unitId: unit!.id }) });
  return { id: row.id, username, unitId: unit!.id, unitName: unit!.name, roles: [] as string[], mustChangePassword: true };
}

/**
 * Sets a new password chosen by an admin: the holder must change it at next login, and every
 * session of theirs ends. The system admin resets ordinary staff; the security admin resets the
 * duty accounts (security admin, auditor). Nobody resets their own this way.
 */
export async function resetStaffPassword(ctx: AppContext, p: Principal, accountId: string, password: string, ip: string): Promise<void> {
  if (p.kind !== 'staff') throw forbidden();
  if (accountId === p.account.id) throw forbidden('不能以重置方式修改自己的密码，请使用“修改密码”');
  const a = await staffInScope(ctx, p, accountId);
  const duty = (JSON.parse(a.roles) as string[]).some((r) => dutyRoles.includes(r));
  const allowed = duty ? p.permissions.has('security.unlock') : p.permissions.has('admin.users');
  if (!allowed) throw forbidden(duty ? '安全管理员、审计员的密码须由安全管理员重置' : undefined);
  const problem = passwordProblem(password);
  if (problem) throw badInput('密码不符合要求', { password: problem });
  await ctx.store.db.updateTable('account').set({ password_hash: await hashPassword(password), must_change_password: 1 }).where('id', '=', a.id).execute();
  await deleteSessionsOf(ctx.store.db, a.id);
  await sec.logSecurity(ctx.store.db, { at: ctx.clock.now().toISOString(), kind: 'password_reset', actor_id: p.account.id, subject_id: a.id, ip, detail: null });
}

/** Anyone logged in: changes their own password (the current one is required); other sessions end. */
export async function changeOwnPassword(ctx: AppContext, p: Principal, current: string, next: string, ip: string): Promise<void> {
  const a = await findAccountById(ctx.store.db, p.account.id);
  if (!a) throw notFound();
  if (!(await verifyPassword(a.password_hash, current))) throw new AppError(400, 'bad_input', '当前密码不正确', { currentPassword: '当前密码不正确' });
  const problem = passwordProblem(next);
  if (problem) throw badInput('新密码不符合要求', { newPassword: problem });
  if (next === current) throw badInput('新密码不能与当前密码相同', { newPassword: '新密码不能与当前密码相同' });
  await ctx.store.db.updateTable('account').set({ password_hash: await hashPassword(next), must_change_password: 0 }).where('id', '=', a.id).execute();
  await ctx.store.db.deleteFrom('session').where('account_id', '=', a.id).where('token_hash', '!=', p.tokenHash).execute();
  await sec.logSecurity(ctx.store.db, { at: ctx.clock.now().toISOString(), kind: 'password_changed', actor_id: a.id, subject_id: a.id, ip, detail: null });
}

export interface SecurityLogQuery {
  limit: number;
  before?: number | undefined;
  kind?: string | undefined;
  /** A username or account id: entries where that account acted or was acted upon. */
  account?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/**
 * Security admin: the security log, newest first, filtered and paged by id. A provincial security
 * admin sees everything; below the province, entries about staff of the own jurisdiction.
 */
export async function querySecurityLog(ctx: AppContext, p: Principal, q: SecurityLogQuery) {
  const s = need(p, 'security.log');
  const db = ctx.store.db.withTables<sec.SecurityTables>();
  let query = db.selectFrom('security_log').selectAll().orderBy('id', 'desc').limit(q.limit + 1);
  if (q.before !== undefined) query = query.where('id', '<', q.before);
  if (q.kind) query = query.where('kind', '=', q.kind);
  if (q.from) query = query.where('at', '>=', `${q.from}T00:00:00`);
  if (q.to) query = query.where('at', '<', `${q.to}T99`);
  if (q.account) {
    const a = /^[0-9a-f-]{36}$/.test(q.account) ? await findAccountById(ctx.store.db, q.account) : await findAccountByUsername(ctx.store.db, q.account.trim().toLowerCase());
    const id = a?.id ?? '-';
    query = query.where((eb) => eb.or([eb('actor_id', '=', id), eb('subject_id', '=', id)]));
  }
  if (s.scope.parentId !== null) {
    const unitIds = ctx.units.all().filter((u) => u.path.startsWith(s.scope.path)).map((u) => u.id);
    const staff = ctx.store.db.selectFrom('account').select('id').where('kind', '=', 'staff').where('unit_id', 'in', unitIds);
    query = query.where((eb) => eb.or([eb('actor_id', 'in', staff), eb('subject_id', 'in', staff)]));
  }
  const rows = await query.execute();
  const page = rows.slice(0, q.limit);
  const ids = [...new Set(page.flatMap((r) => [r.actor_id, r.subject_id]).filter((x): x is string => Boolean(x)))];
  const accounts = ids.length ? await ctx.store.db.selectFrom('account').select(['id', 'kind', 'username', 'name_enc', 'unit_id']).where('id', 'in', ids).execute() : [];
  const who = new Map(
    accounts.map((a) => {
      const name = ctx.crypto.decrypt(a.name_enc);
      return [a.id, a.kind === 'staff' ? { id: a.id, kind: 'staff', username: a.username, name, unitName: a.unit_id ? ctx.units.displayName(a.unit_id) : null } : { id: a.id, kind: 'citizen', username: null, name: maskName(name), unitName: null }] as const;
    }),
  );
  return {
    items: page.map((r) => ({
      id: Number(r.id),
      at: r.at,
      kind: r.kind,
      kindLabel: securityLogKinds[r.kind] ?? r.kind,
      actor: r.actor_id ? (who.get(r.actor_id) ?? { id: r.actor_id, kind: 'unknown', username: null, name: null, unitName: null }) : null,
      subject: r.subject_id ? (who.get(r.subject_id) ?? { id: r.subject_id, kind: 'unknown', username: null, name: null, unitName: null }) : null,
      ip: r.ip,
      detail: r.detail,
    })),
    nextBefore: rows.length > q.limit ? Number(page[page.length - 1]!.id) : null,
  };
}

/** Writes one security log entry (detail as JSON). */
export async function securityEvent(ctx: AppContext, kind: string, actorId: string | null, subjectId: string | null, ip: string | null, detail: unknown = null): Promise<void> {
  await sec.logSecurity(ctx.store.db, { at: ctx.clock.now().toISOString(), kind, actor_id: actorId, subject_id: subjectId, ip, detail: detail === null ? null : JSON.stringify(detail) });
}

