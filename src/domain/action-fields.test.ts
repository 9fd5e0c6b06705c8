import { describe, expect, it } from 'vitest';
import { actionFieldErrors, actionFields } from './action-fields.js';
import { staffActions } from './case-state.js';

describe('actionFieldErrors', () => {
  it('passes each action its own fields, empty bodies and nulls', () => {
    expect(actionFieldErrors('assign', { unitId: '130123-zj', instructions: '请依法处理' })).toBeNull();
    expect(actionFieldErrors('request-extension', { days: 10, reason: '需要现场勘验' })).toBeNull();
    expect(actionFieldErrors('approve-extension', { approve: false, note: null })).toBeNull();
    expect(actionFieldErrors('reply', { text: '经核查……', attachmentIds: ['a', 'b'] })).toBeNull();
    for (const a of staffActions) expect(actionFieldErrors(a, {}), a).toBeNull();
  });

  it('names a field the action does not take, a misspelling among them', () => {
    expect(actionFieldErrors('assign', { unitId: '130123-zj', instruction: '请依法处理' })).toEqual({ instruction: '此操作不接受该项' });
    expect(actionFieldErrors('sign', { note: '已签收' })).toEqual({ note: '此操作不接受该项' });
    expect(actionFieldErrors('close', { __proto__: 1, constructor: 2 } as Record<string, unknown>)).toEqual({ constructor: '此操作不接受该项' });
  });

  it('refuses a yes/no sent as text, a number of days as text or a fraction, and a list of anything else', () => {
    expect(actionFieldErrors('approve-extension', { approve: 'false' })).toEqual({ approve: '应为 true 或 false' });
    expect(actionFieldErrors('request-extension', { days: '10', reason: '需要现场勘验' })).toEqual({ days: '应为整数' });
    expect(actionFieldErrors('request-extension', { days: 1.5 })).toEqual({ days: '应为整数' });
    expect(actionFieldErrors('reply', { text: 5, attachmentIds: [1] })).toEqual({ text: '应为文字', attachmentIds: '应为文字的列表' });
  });

  it('has a form for every action', () => {
    expect(Object.keys(actionFields).sort()).toEqual([...staffActions].sort());
  });
});
