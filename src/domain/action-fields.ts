/**
 * The form of each staff action (POST /api/office/cases/{id}/actions/{action}): which fields it takes
 * and their JSON types. A field an action does not take is refused, so a misspelt optional field
 * (`instruction` for `instructions`) or a yes/no sent as text (`"approve": "false"`) never passes
 * silently as something else. Lengths and meanings are checked by the action itself.
 */
import type { StaffAction } from './case-state.js';

export type FieldType = 'string' | 'boolean' | 'integer' | 'string[]';

export const actionFields = {
  accept: { note: 'string' },
  reject: { reasonCode: 'string', guidanceChannel: 'string', explanation: 'string' },
  assign: { unitId: 'string', instructions: 'string' },
  forward: { unitId: 'string', instructions: 'string' },
  sign: {},
  return: { reason: 'string' },
  urge: { message: 'string' },
  supervise: { message: 'string' },
  'request-extension': { days: 'integer', reason: 'string' },
  'approve-extension': { approve: 'boolean', note: 'string' },
  reply: { text: 'string', attachmentIds: 'string[]' },
  'review-decision': { outcome: 'string', text: 'string' },
  merge: { intoCaseId: 'string' },
  unmerge: { reason: 'string' },
  close: {},
  note: { text: 'string' },
} as const satisfies Record<StaffAction, Record<string, FieldType>>;

const typeLabels: Record<FieldType, string> = { string: '应为文字', boolean: '应为 true 或 false', integer: '应为整数', 'string[]': '应为文字的列表' };

function hasType(v: unknown, t: FieldType): boolean {
  switch (t) {
    case 'string':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'string[]':
      return Array.isArray(v) && v.every((x) => typeof x === 'string');
  }
}

/**
 * Field errors of an action's body (Chinese, by field), or null when its fields are all its own and of
 * the right type. null and absent are alike: whether a field is required is the action's to say.
 */
export function actionFieldErrors(action: StaffAction, body: Record<string, unknown>): Record<string, string> | null {
  const fields: Record<string, FieldType> = actionFields[action];
  const errors: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    const t = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (!t) errors[key] = '此操作不接受该项';
    else if (value !== null && value !== undefined && !hasType(value, t)) errors[key] = typeLabels[t];
  }
  return Object.keys(errors).length ? errors : null;
}
