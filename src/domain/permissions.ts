/**
 * Permissions are a catalogue; roles bundle them; a grant holds within the staff member's
 * jurisdiction (the subtree of their unit, or of their government for a petition bureau).
 */

export const roles = ['registrar', 'acceptor', 'dispatcher', 'handler', 'supervisor', 'leader', 'auditor', 'admin', 'security_admin'] as const;
export type Role = (typeof roles)[number];

export const permissionCatalogue = {
  'case.read': '查看信访件',
  'case.register': '登记来信、来访、来电',
  'case.accept': '受理 / 不予受理',
  'case.assign': '交办 / 转送',
  'case.sign': '签收 / 退回',
  'case.reply': '答复',
  'case.extension.request': '申请延期',
  'case.extension.approve': '批准延期',
  'case.urge': '催办',
  'case.supervise': '督办',
  'inspection.manage': '督导检查（抽查案件、提出整改要求并验收）',
  'case.review.decide': '复查 / 复核决定',
  'case.merge': '合并',
  'case.close': '办结',
  'case.publish': '阳光信访公开（去除个人信息）',
  'case.note': '内部批注',
  'case.unmask_pii': '查看完整个人信息',
  'stats.read': '查看统计',
  'typical.propose': '推荐典型案例',
  'typical.approve': '审定并发布典型案例',
  'circular.issue': '签发通报',
  'circular.acknowledge': '签收通报',
  'assessment.read': '查看考核结果（本辖区）',
  'assessment.manage': '设置考核权重、发布考核结果',
  'training.edit': '编辑学习园地业务规范',
  'audit.read': '查看审计记录',
  'admin.users': '管理用户',
  'admin.calendar': '管理工作日历',
  'security.grants': '授予角色与权限',
  'security.unlock': '解锁账号',
  'security.log': '查看安全日志',
} as const;
export type Permission = keyof typeof permissionCatalogue;

export const roleLabels: Record<Role, string> = {
  registrar: '登记员',
  acceptor: '受理员',
  dispatcher: '交办员',
  handler: '承办人',
  supervisor: '督办员',
  leader: '领导',
  auditor: '审计员',
  admin: '系统管理员',
  security_admin: '安全管理员',
};

export const rolePermissions: Record<Role, readonly Permission[]> = {
  registrar: ['case.read', 'case.register', 'case.note', 'circular.acknowledge', 'assessment.read'],
  acceptor: ['case.read', 'case.accept', 'case.merge', 'case.close', 'case.publish', 'case.note', 'circular.acknowledge', 'assessment.read'],
  dispatcher: ['case.read', 'case.assign', 'case.merge', 'case.urge', 'case.close', 'case.note', 'circular.acknowledge', 'assessment.read'],
  handler: ['case.read', 'case.sign', 'case.reply', 'case.extension.request', 'case.note', 'circular.acknowledge', 'assessment.read'],
  supervisor: ['case.read', 'case.urge', 'case.supervise', 'case.review.decide', 'case.note', 'stats.read', 'inspection.manage', 'typical.propose', 'circular.acknowledge', 'assessment.read'],
  leader: ['case.read', 'case.extension.approve', 'case.review.decide', 'case.supervise', 'case.urge', 'case.unmask_pii', 'case.publish', 'stats.read', 'case.note', 'inspection.manage', 'typical.propose', 'typical.approve', 'circular.issue', 'circular.acknowledge', 'assessment.read', 'assessment.manage'],
  auditor: ['case.read', 'audit.read', 'stats.read', 'assessment.read'],
  admin: ['admin.users', 'admin.calendar', 'training.edit'],
  // 三员分立: the system admin runs users, units and the calendar; the security admin grants roles and
  // unlocks; the auditor reads the record. None holds another's duty.
  security_admin: ['security.grants', 'security.unlock', 'security.log'],
};

/** The union of the permissions of a set of roles. */
export function permissionsOf(roleNames: readonly string[]): Set<Permission> {
  const out = new Set<Permission>();
  for (const r of roleNames) {
    if ((roles as readonly string[]).includes(r)) for (const p of rolePermissions[r as Role]) out.add(p);
  }
  return out;
}

/** True when `path` lies in the subtree rooted at `scopePath` (materialised paths). */
export function inSubtree(path: string, scopePath: string): boolean {
  return path.startsWith(scopePath);
}
