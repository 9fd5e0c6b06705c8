/**
 * 工作台 queues: which cases make up each queue for a staff member today, and which queues belong
 * to which roles. Used by the workbench counts and by the queue list (GET /api/office/cases?queue=).
 */
import type { AppContext } from './context.js';
import type { StaffPrincipal } from './auth.service.js';
import { today } from './deadlines.js';
import { addDays } from '../domain/calendar.js';
import type { Permission } from '../domain/permissions.js';
import type { QueueDefinition, QueueSort, WorkbenchFilter } from '../store/workbench.repository.js';

/** 工作台 queues, in the order of the work. */
export const queueKeys = ['accept', 'assign', 'sign', 'handling', 'due_soon', 'overdue', 'extension', 'review', 'evaluation'] as const;
export type QueueKey = (typeof queueKeys)[number];

export const queueLabels: Record<QueueKey, string> = {
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

/** Which permissions make a queue part of someone's work (any of them). */
const queuePermissions: Record<QueueKey, Permission[]> = {
  accept: ['case.accept'],
  assign: ['case.assign'],
  sign: ['case.sign'],
  handling: ['case.read'],
  due_soon: ['case.read'],
  overdue: ['case.read'],
  extension: ['case.extension.approve', 'case.extension.request'],
  review: ['case.review.decide'],
  evaluation: ['case.read'],
};

/**
 * The jurisdiction as the queue queries take it: '/' when it is the whole unit tree (the provincial
 * bureau), which spares the subtree test on every case.
 */
export function jurisdictionPath(ctx: AppContext, p: StaffPrincipal): string {
  const roots = ctx.units.childrenOf(null);
  return roots.length === 1 && roots[0]!.id === p.scope.id ? '/' : p.scope.path;
}

/** 即将到期: staff's next deadline falls within this many working days. */
export const soonWorkingDays = 3;

const openStates = ['submitted', 'accepted', 'returned', 'assigned', 'in_progress', 'under_review'];

/** The filter that makes up a queue for this staff member today. */
export function queueDefinition(ctx: AppContext, p: StaffPrincipal, key: QueueKey): QueueDefinition {
  const d = today(ctx);
  switch (key) {
    case 'accept':
      return { key, states: ['submitted'] };
    case 'assign':
      return { key, states: ['accepted', 'returned'] };
    case 'sign':
      return { key, states: ['assigned'], pendingForUnitId: p.unit.id };
    case 'handling':
      return { key, states: ['in_progress'] };
    case 'due_soon':
      return { key, states: openStates, dueFrom: d, dueTo: ctx.calendar.addWorkingDays(d, soonWorkingDays).date };
    case 'overdue':
      return { key, states: openStates, dueTo: addDays(d, -1) };
    case 'extension':
      return { key, states: ['in_progress'], pendingExtension: true };
    case 'review':
      return { key, states: ['under_review'] };
    case 'evaluation':
      return { key, states: ['replied'], awaitingEvaluation: true };
  }
}

/** The queues that belong to this staff member's roles. */
export function queuesFor(p: StaffPrincipal): QueueKey[] {
  return queueKeys.filter((k) => queuePermissions[k].some((perm) => p.permissions.has(perm)));
}

export interface WorkbenchQuery {
  state?: string | undefined;
  queue?: QueueKey | undefined;
  region?: string | undefined;
  target?: string | undefined;
  sort?: QueueSort | undefined;
}

/** The queue-list filter for GET /api/office/cases: a named queue, region, target and order. */
export function workbenchFilter(ctx: AppContext, p: StaffPrincipal, q: WorkbenchQuery): WorkbenchFilter & { states?: string[] | undefined } {
  const asked = q.state ? q.state.split(',') : undefined;
  const def = q.queue ? queueDefinition(ctx, p, q.queue) : undefined;
  let states = asked ?? def?.states;
  if (asked && def?.states) states = asked.filter((s) => def.states!.includes(s));
  if (states && states.length === 0) states = ['__none__'];
  const { key: _key, states: _s, ...rest } = def ?? { key: '' };
  return { ...rest, states, regionCode: q.region, target: q.target, sort: q.sort };
}
