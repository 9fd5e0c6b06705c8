import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '../domain/calendar.js';
import { defaultClocks } from '../domain/clocks.js';
import { alertKey, NEVER, planSweep, urgeFrom, urgeWindow, watchedClocks } from './sweep-plan.js';

const cal = WorkCalendar.withBuiltIn();
const base = { due_accept: null, due_assign: null, due_reply: null, due_review_decision: null };

describe('sweep plan (fixed dates, real holiday data)', () => {
  it('counts the urge date back in working days, across the 2026 Spring Festival', () => {
    // 2026-02-15…23 off, Saturday 02-14 a make-up workday.
    expect(urgeFrom(cal, '2026-02-26', 3)).toBe('2026-02-14');
    expect(urgeFrom(cal, '2026-03-09', 3)).toBe('2026-03-04');
    expect(urgeFrom(cal, '2026-03-04', 0)).toBe('2026-03-04');
  });

  it('never urges a 2-working-day clock on arrival: the window shrinks to the last working day', () => {
    expect(urgeWindow(defaultClocks.acceptance, 3)).toBe(1);
    expect(urgeWindow(defaultClocks.assignment, 3)).toBe(3);
    expect(urgeWindow(defaultClocks.handling, 3)).toBe(3);
  });

  it('watches only the clocks a unit can miss in the current state', () => {
    expect(watchedClocks({ ...base, state: 'submitted', due_accept: '2026-03-04', due_assign: '2026-03-09' }).map((c) => c.clock)).toEqual(['acceptance', 'assignment']);
    expect(watchedClocks({ ...base, state: 'in_progress', due_reply: '2026-05-01' }).map((c) => c.clock)).toEqual(['handling']);
    expect(watchedClocks({ ...base, state: 'replied', due_reply: '2026-05-01' })).toEqual([]);
  });

  it('plans urge, then supervise, then nothing; next date is when to look again', () => {
    const c = { ...base, state: 'in_progress', due_reply: '2026-05-06' };
    const early = planSweep(cal, defaultClocks, 3, c, '2026-04-01', new Set());
    expect(early.alerts).toEqual([]);
    const from = early.next;
    expect(planSweep(cal, defaultClocks, 3, c, from, new Set()).alerts).toEqual([{ clock: 'handling', due: '2026-05-06', kind: 'urged' }]);
    const urged = new Set([alertKey('handling', '2026-05-06', 'urged')]);
    const after = planSweep(cal, defaultClocks, 3, c, from, urged);
    expect(after).toEqual({ alerts: [], next: '2026-05-07' });
    expect(planSweep(cal, defaultClocks, 3, c, '2026-05-07', urged).alerts).toEqual([{ clock: 'handling', due: '2026-05-06', kind: 'supervised' }]);
    const both = new Set([...urged, alertKey('handling', '2026-05-06', 'supervised')]);
    expect(planSweep(cal, defaultClocks, 3, c, '2026-05-20', both)).toEqual({ alerts: [], next: NEVER });
  });
});
