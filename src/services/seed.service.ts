/** Reference data (the unit tree) and the demo data of a fresh installation. */
import crypto from 'node:crypto';
import type { AppContext } from './context.js';
import { reloadReferenceData } from './context.js';
import { buildHebeiUnits } from '../store/seed/units.js';
import { countUnits, insertUnits, type UnitRow } from '../store/unit.repository.js';
import { findAccountByUsername, insertAccount } from '../store/account.repository.js';
import { hashPassword } from '../security/password.js';
import { makeIdNumber } from '../domain/id-number.js';
import { permissionsOf, roleLabels, type Role } from '../domain/permissions.js';
import type { StaffPrincipal } from './auth.service.js';
import { registerCitizen, resolveSession } from './auth.service.js';
import { createCase } from './case.service.js';
import { performAction } from './office.service.js';
import { citizenAct } from './case.service.js';
import { AppError } from './errors.js';
import { seedDemoDeadlineCases } from './demo-deadlines.js';

/** Loads the unit tree of Hebei once; returns whether it was loaded now. */
export async function seedUnits(ctx: AppContext): Promise<boolean> {
  if ((await countUnits(ctx.store.db)) > 0) return false;
  const seeds = buildHebeiUnits();
  const paths = new Map<string, string>();
  const rows: UnitRow[] = seeds.map((s) => {
    const path = `${s.parentId ? paths.get(s.parentId)! : '/'}${s.id}/`;
    paths.set(s.id, path);
    return {
      id: s.id,
      parent_id: s.parentId,
      name: s.name,
      kind: s.kind,
      level: s.level,
      region_code: s.regionCode,
      dept_code: s.deptCode,
      path,
      sort: s.sort,
    };
  });
  await insertUnits(ctx.store.db, rows);
  await reloadReferenceData(ctx);
  return true;
}

export const demoPassword = 'Xinfang@2026';

/** Where each demo role sits: the bureau of the level, handlers in its housing department. */
export const demoSites = [
  { prefix: 'prov', region: '130000', label: '河北省' },
  { prefix: 'sjz', region: '130100', label: '石家庄市' },
  { prefix: 'zd', region: '130123', label: '正定县' },
] as const;

export const demoRoles: Role[] = ['registrar', 'acceptor', 'dispatcher', 'handler', 'supervisor', 'leader', 'auditor', 'admin', 'security_admin'];

export const demoCitizen = { name: '张建国', phone: '13900000001', idNumber: makeIdNumber('130123', '19650312', '011') };

/** Creates a staff account (used by demo data, tests and the admin CLI). */
export async function createStaff(ctx: AppContext, input: { username: string; name: string; unitId: string; roles: Role[]; password: string; passwordHash?: string }) {
  if (!ctx.units.get(input.unitId)) throw new AppError(400, 'bad_input', `单位 ${input.unitId} 不存在`);
  const id = crypto.randomUUID();
  await insertAccount(ctx.store.db, {
    id,
    kind: 'staff',
    username: input.username,
    name_enc: ctx.crypto.encrypt(input.name),
    id_number_enc: null,
    id_number_hash: null,
    phone_enc: null,
    phone_hash: null,
    password_hash: input.passwordHash ?? (await hashPassword(input.password)),
    unit_id: input.unitId,
    roles: JSON.stringify(input.roles),
    disabled: 0,
    failed_logins: 0,
    locked_until: null,
    created_at: ctx.clock.now().toISOString(),
  });
  return id;
}

/** A staff principal without a session, for seeding and the CLI. */
export async function staffPrincipal(ctx: AppContext, username: string): Promise<StaffPrincipal> {
  const account = await findAccountByUsername(ctx.store.db, username);
  const unit = account?.unit_id ? ctx.units.get(account.unit_id) : undefined;
  const scope = account?.unit_id ? ctx.units.scopeOf(account.unit_id) : undefined;
  if (!account || !unit || !scope) throw new Error(`staff ${username} not found`);
  const roles = JSON.parse(account.roles) as string[];
  return { kind: 'staff', account, tokenHash: '', unit, scope, roles, permissions: permissionsOf(roles) };
}

/** Demo accounts (one per role at the province, 石家庄 and 正定县) and a few cases in different states. */
export async function seedDemo(ctx: AppContext): Promise<boolean> {
  if (await findAccountByUsername(ctx.store.db, 'prov.acceptor')) return false;
  await seedDemoStaff(ctx);
  await seedDemoCases(ctx);
  return true;
}

/** One staff account per role at each demo site; handlers sit in the site's housing department. */
export async function seedDemoStaff(ctx: AppContext): Promise<void> {
  const hash = await hashPassword(demoPassword);
  for (const site of demoSites) {
    for (const role of demoRoles) {
      const unitId = role === 'handler' ? `${site.region}-zj` : `${site.region}-xfj`;
      await createStaff(ctx, { username: `${site.prefix}.${role}`, name: `${site.label}演示${roleLabels[role]}`, unitId, roles: [role], password: demoPassword, passwordHash: hash });
    }
  }
}

/** A demo citizen with three cases: waiting, assigned, and replied. */
export async function seedDemoCases(ctx: AppContext): Promise<void> {
  const { token } = await registerCitizen(ctx, { ...demoCitizen, password: demoPassword });
  const citizen = await resolveSession(ctx, token);
  if (!citizen) throw new Error('demo citizen session failed');
  const by = {
    accountId: citizen.account.id,
    name: demoCitizen.name,
    phone: demoCitizen.phone,
    channel: 'web' as const,
    actor: { kind: 'citizen' as const, id: citizen.account.id, unitId: null },
  };
  const zdAcceptor = await staffPrincipal(ctx, 'zd.acceptor');
  const zdDispatcher = await staffPrincipal(ctx, 'zd.dispatcher');
  const zdHandler = await staffPrincipal(ctx, 'zd.handler');

  await createCase(ctx, { target: 'bureau', categoryCode: 'construction', regionCode: '130123', address: '正定县城关镇燕赵南大街 18 号', title: '小区楼道照明长期损坏无人维修', content: '我们小区 3 号楼楼道照明坏了半年，多次找物业无果，老人夜间上下楼很不安全，请求督促物业维修。' }, by);

  const b = await createCase(ctx, { target: 'bureau', categoryCode: 'labour', regionCode: '130123', address: '正定县诸福屯镇', title: '建筑工地拖欠农民工工资', content: '本人在正定县某建筑工地务工 8 个月，包工头至今拖欠工资 3.2 万元，多次讨要未果，请求依法处理。' }, by);
  await performAction(ctx, zdAcceptor, b.row.id, 'accept', {});
  await performAction(ctx, zdDispatcher, b.row.id, 'assign', { unitId: '130123-rs', instructions: '请依法核查并督促支付，按期答复。' });

  const c = await createCase(ctx, { target: 'bureau', categoryCode: 'construction', regionCode: '130123', address: '正定县新城铺镇', title: '村内道路破损严重影响出行', content: '村主干道路面坑洼多处，雨天积水，学生上学和车辆通行困难，希望尽快修缮。' }, by);
  await performAction(ctx, zdAcceptor, c.row.id, 'accept', {});
  await performAction(ctx, zdDispatcher, c.row.id, 'forward', { unitId: '130123-zj' });
  await performAction(ctx, zdHandler, c.row.id, 'sign', {});
  await performAction(ctx, zdHandler, c.row.id, 'reply', { text: '经核查，该路段已列入本年度农村公路维修计划，预计下月底前完成修缮。感谢您的监督。' });
  await citizenAct(ctx, citizen, c.row.id, { action: 'confirm-receipt' });

  // Back-dated cases that the first deadline sweep urges and supervises.
  await seedDemoDeadlineCases(ctx, by, (u) => staffPrincipal(ctx, u));
}
