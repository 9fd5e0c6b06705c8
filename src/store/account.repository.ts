/** Accounts (citizens and staff) and their server-side sessions. */
import type { Kysely } from 'kysely';
import type { AccountTable, Database, SessionTable } from './schema.js';

export type AccountRow = AccountTable;
export type SessionRow = SessionTable;

export async function insertAccount(db: Kysely<Database>, row: AccountRow): Promise<void> {
  await db.insertInto('account').values(row).execute();
}

export function findAccountById(db: Kysely<Database>, id: string): Promise<AccountRow | undefined> {
  return db.selectFrom('account').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findAccountByUsername(db: Kysely<Database>, username: string): Promise<AccountRow | undefined> {
  return db.selectFrom('account').selectAll().where('username', '=', username).executeTakeFirst();
}

export function findAccountByPhoneHash(db: Kysely<Database>, phoneHash: string): Promise<AccountRow | undefined> {
  return db.selectFrom('account').selectAll().where('phone_hash', '=', phoneHash).executeTakeFirst();
}

export function findAccountByIdNumberHash(db: Kysely<Database>, h: string): Promise<AccountRow | undefined> {
  return db.selectFrom('account').selectAll().where('id_number_hash', '=', h).executeTakeFirst();
}

export async function recordLoginFailure(db: Kysely<Database>, id: string, failed: number, lockedUntil: string | null): Promise<void> {
  await db.updateTable('account').set({ failed_logins: failed, locked_until: lockedUntil }).where('id', '=', id).execute();
}

export async function resetLoginFailures(db: Kysely<Database>, id: string): Promise<void> {
  await db.updateTable('account').set({ failed_logins: 0, locked_until: null }).where('id', '=', id).execute();
}

export async function insertSession(db: Kysely<Database>, row: SessionRow): Promise<void> {
  await db.insertInto('session').values(row).execute();
}

export function findSession(db: Kysely<Database>, tokenHash: string): Promise<SessionRow | undefined> {
  return db.selectFrom('session').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function touchSession(db: Kysely<Database>, tokenHash: string, at: string): Promise<void> {
  await db.updateTable('session').set({ last_seen_at: at }).where('token_hash', '=', tokenHash).execute();
}

export async function deleteSession(db: Kysely<Database>, tokenHash: string): Promise<void> {
  await db.deleteFrom('session').where('token_hash', '=', tokenHash).execute();
}

export async function deleteSessionsOf(db: Kysely<Database>, accountId: string): Promise<void> {
  await db.deleteFrom('session').where('account_id', '=', accountId).execute();
}
