/** Chinese labels and small formatters of the office pages. */
import type { Deadline, StaffAction } from './types';

export const actionLabels: Record<StaffAction, string> = {
  accept: '受理',
  reject: '不予受理',
  assign: '交办',
  forward: '转送',
  sign: '签收',
  return: '退回',
  urge: '催办',
  supervise: '督办',
  'request-extension': '申请延期',
  'approve-extension': '审批延期',
  reply: '答复',
  'review-decision': '复查/复核意见',
  merge: '合并办理',
  unmerge: '撤销合并',
  close: '办结',
  note: '内部批注',
};

/** The primary step of each state first, the rest after. */
export const actionOrder: StaffAction[] = [
  'accept',
  'reject',
  'assign',
  'forward',
  'sign',
  'return',
  'reply',
  'request-extension',
  'approve-extension',
  'review-decision',
  'close',
  'urge',
  'supervise',
  'merge',
  'unmerge',
  'note',
];

/** 工作台 queues (the server's names; used before the counts arrive). */
export const queueLabels: Record<string, string> = {
  accept: '待受理',
  assign: '待交办',
  sign: '待签收',
  handling: '办理中',
  due_soon: '即将到期',
  overdue: '已超期',
  extension: '延期待批',
  review: '复查/复核',
  evaluation: '待评价',
};

export const channelLabels: Record<string, string> = {
  web: '网上信访',
  mailbox: '领导信箱',
  email: '电子邮件',
  api: '接口对接',
  letter: '来信',
  visit: '来访',
  call: '来电',
};

export const roleLabels: Record<string, string> = {
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

export const evaluationLabels: Record<string, string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  dissatisfied: '不满意',
};

export const assignmentStatusLabels: Record<string, string> = {
  pending: '待签收',
  signed: '办理中',
  returned: '已退回',
  replied: '已答复',
  superseded: '已撤销',
};

export const stateColors: Record<string, string> = {
  submitted: 'gold',
  accepted: 'blue',
  rejected: 'default',
  assigned: 'geekblue',
  in_progress: 'processing',
  returned: 'orange',
  replied: 'green',
  under_review: 'purple',
  reviewed: 'cyan',
  final: 'default',
  closed: 'success',
  merged: 'default',
  withdrawn: 'default',
};

export const purposeLabels: Record<string, string> = { petition: '信访人材料', reply: '答复材料' };

const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** '2026-03-02 10:00' in Beijing time. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const parts = Object.fromEntries(dateTime.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** '剩 3 个工作日' / '今日到期' / '超期 2 个工作日'. */
export function countdown(d: Deadline): { text: string; color: string } {
  if (d.overdue) return { text: `已超期 ${Math.abs(d.workingDaysLeft)} 个工作日`, color: 'red' };
  if (d.workingDaysLeft === 0) return { text: '今日到期', color: 'volcano' };
  if (d.workingDaysLeft <= 3) return { text: `剩 ${d.workingDaysLeft} 个工作日`, color: 'orange' };
  return { text: `剩 ${d.workingDaysLeft} 个工作日`, color: 'green' };
}

export function fileSize(n: number): string {
  if (n < 1024) return `${n} 字节`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
