import { describe, it, expect } from 'vitest';
import { WorkCalendar } from './calendar.js';
import { deadlineStatus, defaultClocks, dueDate, maxExtensionDays, parseClockConfig } from './clocks.js';

const cal = WorkCalendar.withBuiltIn();
const rules = parseClockConfig(undefined);

describe('defaultClocks', () => {
  it('matches the DOMAIN.md table', () => {
    const summary = Object.fromEntries(
      Object.entries(defaultClocks).map(([name, rule]) => [name, `${rule.days} ${rule.kind}`]),
    );
    expect(summary).toEqual({
      acceptance: '2 working',
      assignment: '5 working',
      returnWindow: '5 working',
      handling: '60 calendar',
      reviewRequest: '30 calendar',
      reviewDecision: '30 calendar',
      reReviewRequest: '30 calendar',
      reReviewDecision: '30 calendar',
    });
    expect(maxExtensionDays).toBe(30);
  });

  it('names the legal source and a Chinese label for every clock', () => {
    expect(defaultClocks.handling.source).toBe('《信访工作条例》第三十四条');
    expect(defaultClocks.reReviewDecision.source).toBe('《信访工作条例》第三十六条');
    expect(defaultClocks.acceptance.label).toBe('受理告知');
    for (const rule of Object.values(defaultClocks)) {
      expect(rule.source).toMatch(/[\u4e00-\u9fff]/);
      expect(rule.label).toMatch(/^[\u4e00-\u9fff]+$/);
    }
  });
});

describe('parseClockConfig', () => {
  it('returns the defaults when nothing is configured', () => {
    expect(parseClockConfig(undefined)).toEqual(defaultClocks);
    expect(parseClockConfig('  ')).toEqual(defaultClocks);
    expect(parseClockConfig('{}')).toEqual(defaultClocks);
  });

  it('returns a copy, so callers cannot change the defaults', () => {
    const copy = parseClockConfig(undefined);
    copy.handling.days = 1;
    expect(defaultClocks.handling.days).toBe(60);
  });

  it('merges a partial override onto the defaults', () => {
    const merged = parseClockConfig('{"acceptance":{"kind":"working","days":3},"handling":{"days":90}}');
    expect(merged.acceptance).toEqual({ ...defaultClocks.acceptance, days: 3 });
    expect(merged.handling).toEqual({ ...defaultClocks.handling, days: 90 });
    expect(merged.assignment).toEqual(defaultClocks.assignment);
  });

  it('lets local rules switch a clock to calendar days and cite their own source', () => {
    const merged = parseClockConfig(
      JSON.stringify({ acceptance: { kind: 'calendar', days: 15, source: '《信访工作条例》第二十二条' } }),
    );
    expect(merged.acceptance).toEqual({
      kind: 'calendar',
      days: 15,
      source: '《信访工作条例》第二十二条',
      label: '受理告知',
    });
  });

  it.each([
    ['{not json', /not valid JSON/],
    ['[]', /JSON object keyed by clock name/],
    ['null', /JSON object keyed by clock name/],
    ['{"accept":{"days":3}}', /unknown clock "accept"/],
    ['{"acceptance":3}', /"acceptance" must be an object/],
    ['{"acceptance":{"day":3}}', /"acceptance.day" is not a clock setting/],
    ['{"acceptance":{"kind":"weeks"}}', /"acceptance.kind" must be "working" or "calendar", got "weeks"/],
    ['{"handling":{"days":0}}', /"handling.days" must be an integer from 1 to 365, got 0/],
    ['{"handling":{"days":-5}}', /"handling.days" must be an integer from 1 to 365/],
    ['{"handling":{"days":366}}', /"handling.days" must be an integer from 1 to 365, got 366/],
    ['{"handling":{"days":2.5}}', /"handling.days" must be an integer/],
    ['{"handling":{"days":"60"}}', /"handling.days" must be an integer from 1 to 365, got "60"/],
    ['{"handling":{"label":""}}', /"handling.label" must be a non-empty string/],
  ])('rejects %s', (json, message) => {
    expect(() => parseClockConfig(json)).toThrow(message);
    expect(() => parseClockConfig(json)).toThrow(/^Invalid clock configuration/);
  });
});

describe('dueDate', () => {
  it('counts working-day clocks from the day after the start', () => {
    expect(dueDate(cal, rules, 'acceptance', '2026-02-13')).toEqual({ date: '2026-02-24', uncoveredYears: [] });
    expect(dueDate(cal, rules, 'assignment', '2025-09-30')).toEqual({ date: '2025-10-14', uncoveredYears: [] });
    expect(dueDate(cal, rules, 'returnWindow', '2025-09-30').date).toBe('2025-10-14');
  });

  it('moves a calendar-day clock ending in a holiday to the next working day', () => {
    // 60 days from 2026-08-03 is 2026-10-02 (National Day).
    expect(dueDate(cal, rules, 'handling', '2026-08-03')).toEqual({ date: '2026-10-08', uncoveredYears: [] });
    // 30 days from 2026-01-24 is Monday 2026-02-23, the last day of the Spring Festival break.
    expect(dueDate(cal, rules, 'reviewRequest', '2026-01-24').date).toBe('2026-02-24');
  });

  it('adds approved extension days to the period', () => {
    // 60 + 30 days from 2026-08-03 is Sunday 2026-11-01.
    expect(dueDate(cal, rules, 'handling', '2026-08-03', maxExtensionDays).date).toBe('2026-11-02');
    expect(dueDate(cal, rules, 'handling', '2026-03-04', 10).date).toBe('2026-05-13');
    expect(() => dueDate(cal, rules, 'handling', '2026-08-03', -1)).toThrow(RangeError);
  });

  it('follows configured kinds and lengths', () => {
    const local = parseClockConfig('{"acceptance":{"kind":"calendar","days":15}}');
    // 15 days from 2026-02-13 is 2026-02-28, a make-up working Saturday.
    expect(dueDate(cal, local, 'acceptance', '2026-02-13').date).toBe('2026-02-28');
  });

  it('reports a due date computed into a year without holiday data', () => {
    expect(dueDate(cal, rules, 'handling', '2026-11-15')).toEqual({ date: '2027-01-14', uncoveredYears: [2027] });
  });
});

describe('deadlineStatus', () => {
  it('counts working days left before the due date', () => {
    expect(deadlineStatus(cal, '2026-02-24', '2026-02-13')).toEqual({ overdue: false, workingDaysLeft: 2 });
    expect(deadlineStatus(cal, '2026-02-24', '2026-02-23')).toEqual({ overdue: false, workingDaysLeft: 1 });
  });

  it('is not overdue on the due date itself', () => {
    expect(deadlineStatus(cal, '2026-02-24', '2026-02-24')).toEqual({ overdue: false, workingDaysLeft: 0 });
  });

  it('is overdue after the due date, with negative working days', () => {
    expect(deadlineStatus(cal, '2026-02-24', '2026-02-25')).toEqual({ overdue: true, workingDaysLeft: -1 });
    expect(deadlineStatus(cal, '2026-02-24', '2026-02-27')).toEqual({ overdue: true, workingDaysLeft: -3 });
  });

  it('stays negative when overdue over a weekend', () => {
    // Due Friday 2026-03-06: on Saturday no working day has passed, yet the case is late.
    expect(deadlineStatus(cal, '2026-03-06', '2026-03-07')).toEqual({ overdue: true, workingDaysLeft: -1 });
    expect(deadlineStatus(cal, '2026-03-06', '2026-03-09')).toEqual({ overdue: true, workingDaysLeft: -1 });
    expect(deadlineStatus(cal, '2026-03-06', '2026-03-10')).toEqual({ overdue: true, workingDaysLeft: -2 });
  });
});
