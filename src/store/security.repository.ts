/** TOTP enrolments and the security log (006), plus the account changes the security duties make. */
import type { Generated, Kysely } from 'kysely';
import type { Database } from './schema.js';

export type AccountTotpTable = {
  account_id: string;
  secret_enc: string;
  enabled_at: string | null;
  last_step: number | null;
  created_at: string;
};

export type SecurityLogTable = {
  id: Generated<number>;
  at: string;
  kind: string;
  actor_id: string | null;
  subject_id: string | null;
  ip: string | null;
  detail: string | null;
};

export type SecurityTables = {
  account_totp: AccountTotpTable;
  security_log: SecurityLogTable;
};

const sdb = (db: Kysely<Database>) => db.withTables<SecurityTables>();

export function findTotp(db: Kysely<Database>, accountId: string): Promise<AccountTotpTable | undefined> {
  return sdb(db).selectFrom('account_totp').selectAll().where('account_id', '=', accountId).executeTakeFirst();
}

/** Starts (or restarts) an enrolment: a new secret, not yet enabled. */
export async function putPendingTotp(db: Kysely<Database>, accountId: string, secretEnc: string, at: string): Promise<void> {
  await sdb(db).deleteFrom('account_totp').where('account_id', '=', accountId).execute();
  await sdb(db).insertInto('account_totp').values({ account_id: accountId, secret_enc: secretEnc, enabled_at: null, last_step: null, created_at: at }).execute();
}

export async function enableTotp(db: Kysely<Database>, accountId: string, at: string, step: number): Promise<void> {
  await sdb(db).updateTable('account_totp').set({ enabled_at: at, last_step: step }).where('account_id', '=', accountId).execute();
}

/** Records a used step; false when another login already used it or a later one (replay). */
export async function useTotpStep(db: Kysely<Database>, accountId: string, step: number): Promise<boolean> {
  const r = await sdb(db)
    .updateTable('account_totp')
    .set({ last_step: step })
    .where('account_id', '=', accountId)
    .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteTotp(db: Kysely<Database>, accountId: string): Promise<void> {
  await sdb(db).deleteFrom('account_totp').where('account_id', '=', accountId).execute();
}

export async function logSecurity(db: Kysely<Database>, row: Omit<SecurityLogTable, 'id'>): Promise<void> {
  await sdb(db).insertInto('security_log').values(row).execute();
}

export function listSecurityLog(db: Kysely<Database>, limit: number, before?: number) {
  let q = sdb(db).selectFrom('security_log').selectAll().orderBy('id', 'desc').limit(limit);
  if (before !== undefined) q = q.where('id', '<', before);
  return q.execute();
}

export async function setAccountDisabled(db: Kysely<Database>, accountId: string, disabled: boolean): Promise<void> {
  await db.updateTable('account').set({ disabled: disabled ? 1 : 0 }).where('id', '=', accountId).execute();
}

export async function setAccountRoles(db: Kysely<Database>, accountId: string, roles: string[]): Promise<void> {
  await db.updateTable('account').set({ roles: JSON.stringify(roles) }).where('id', '=', accountId).execute();
}

export function listStaffAccounts(db: Kysely<Database>, unitIds: string[] | null) {
  let q = db.selectFrom('account').select(['id', 'username', 'name_enc', 'unit_id', 'roles', 'disabled', 'locked_until', 'failed_logins', 'created_at', 'must_change_password']).where('kind', '=', 'staff').orderBy('username');
  if (unitIds) q = q.where('unit_id', 'in', unitIds.length ? unitIds : ['-']);
  return q.limit(1000).execute();
}
