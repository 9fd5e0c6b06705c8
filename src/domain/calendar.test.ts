import { describe, it, expect } from 'vitest';
import {
  WorkCalendar,
  addDays,
  compareDates,
  dayOfWeek,
  daysBetween,
  isDate,
  localDateOf,
} from './calendar.js';

// Real State Council data from chinese-days. It currently ends with 2026; when the package gains
// 2027 data, the "uncovered year" cases below must move to the next missing year.
const cal = WorkCalendar.withBuiltIn();

describe('date helpers', () => {
  it('adds days across month, leap day and year ends', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2026-02-13', 0)).toBe('2026-02-13');
  });

  it('gives the day of week with 0 = Sunday', () => {
    expect(dayOfWeek('2026-02-13')).toBe(5); // Friday
    expect(dayOfWeek('2026-02-14')).toBe(6);
    expect(dayOfWeek('2026-02-15')).toBe(0);
  });

  it('compares dates and counts calendar days between them', () => {
    expect(compareDates('2026-02-13', '2026-02-24')).toBeLessThan(0);
    expect(compareDates('2026-02-24', '2026-02-13')).toBeGreaterThan(0);
    expect(compareDates('2026-02-24', '2026-02-24')).toBe(0);
    expect(daysBetween('2025-12-31', '2026-01-05')).toBe(5);
    expect(daysBetween('2026-01-05', '2025-12-31')).toBe(-5);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
  });

  it('rejects malformed and impossible dates instead of rolling them over', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(/no such day/);
    expect(() => dayOfWeek('2026-2-3')).toThrow(/YYYY-MM-DD/);
    expect(() => compareDates('2026-02-13T00:00:00Z', '2026-02-13')).toThrow(RangeError);
  });

  it('tells real days from impossible ones without throwing', () => {
    for (const d of ['2026-03-02', '2024-02-29', '2000-02-29', '1900-01-01', '9999-12-31', '1000-01-01']) expect(isDate(d), d).toBe(true);
    // 0000–0999 are refused: Date.UTC reads years 0–99 as 1900–1999, so they would not round-trip safely.
    for (const d of ['2026-02-30', '2026-02-29', '1900-02-29', '2026-13-01', '2026-00-10', '2026-01-00', '0000-00-00', '0000-01-01', '0999-12-31', '2026-3-2', '2026-03-02T00:00:00Z', '', ' 2026-03-02']) {
      expect(isDate(d), d).toBe(false);
    }
  });

  it('takes the Asia/Shanghai date of an instant around midnight UTC+8', () => {
    expect(localDateOf('2026-02-13T15:59:59.999Z')).toBe('2026-02-13');
    expect(localDateOf('2026-02-13T16:00:00.000Z')).toBe('2026-02-14');
    expect(localDateOf('2026-02-14T00:00:00+08:00')).toBe('2026-02-14');
    expect(localDateOf('2026-02-13T23:59:59+08:00')).toBe('2026-02-13');
    // New Year's Eve in UTC is already New Year's Day in Beijing.
    expect(localDateOf('2025-12-31T16:30:00Z')).toBe('2026-01-01');
    expect(() => localDateOf('yesterday')).toThrow(/Invalid timestamp/);
  });
});

describe('WorkCalendar built-in data', () => {
  it('covers every year present in the data and nothing else', () => {
    expect(cal.isCovered(2004)).toBe(true);
    expect(cal.isCovered(2025)).toBe(true);
    expect(cal.isCovered(2026)).toBe(true);
    expect(cal.isCovered(2003)).toBe(false);
    expect(cal.isCovered(2027)).toBe(false);
    expect(cal.coveredYears[0]).toBe(2004);
  });

  it('treats plain weekdays as working and weekends as rest', () => {
    expect(cal.isWorkday('2026-03-04')).toBe(true); // Wednesday
    expect(cal.isWorkday('2026-03-07')).toBe(false); // Saturday
    expect(cal.isWorkday('2026-03-08')).toBe(false); // Sunday
  });

  it('knows the 2026 Spring Festival holiday and its make-up Saturdays', () => {
    expect(cal.isWorkday('2026-02-14')).toBe(true); // Saturday made a workday (调休)
    for (let d = '2026-02-15'; d <= '2026-02-23'; d = addDays(d, 1)) {
      expect(cal.isWorkday(d), d).toBe(false);
    }
    expect(cal.isWorkday('2026-02-24')).toBe(true);
    expect(cal.isWorkday('2026-02-28')).toBe(true); // Saturday made a workday
    expect(cal.addWorkingDays('2026-02-13', 1).date).toBe('2026-02-14');
    expect(cal.addWorkingDays('2026-02-14', 1).date).toBe('2026-02-24');
    expect(cal.workingDaysBetween('2026-02-13', '2026-02-28')).toBe(6);
  });

  it('knows National Day 2026 and its make-up Sunday', () => {
    expect(cal.isWorkday('2026-09-20')).toBe(true); // Sunday made a workday
    expect(cal.isWorkday('2026-10-01')).toBe(false);
    expect(cal.isWorkday('2026-10-07')).toBe(false); // Wednesday, a day in lieu
    expect(cal.isWorkday('2026-10-08')).toBe(true);
    expect(cal.isWorkday('2026-10-10')).toBe(true); // Saturday made a workday
  });
});

describe('addWorkingDays', () => {
  it('passes the DOMAIN.md vectors (State Council notices)', () => {
    expect(cal.addWorkingDays('2026-02-13', 2)).toEqual({ date: '2026-02-24', uncoveredYears: [] });
    expect(cal.addWorkingDays('2025-09-30', 5)).toEqual({ date: '2025-10-14', uncoveredYears: [] });
    expect(cal.addWorkingDays('2025-12-31', 2)).toEqual({ date: '2026-01-05', uncoveredYears: [] });
  });

  it('counts from the day after start and skips weekends', () => {
    expect(cal.addWorkingDays('2026-03-04', 1).date).toBe('2026-03-05');
    expect(cal.addWorkingDays('2026-03-06', 1).date).toBe('2026-03-09'); // Fri → Mon
    expect(cal.addWorkingDays('2026-03-07', 1).date).toBe('2026-03-09'); // received on Saturday
    expect(cal.addWorkingDays('2026-03-06', 5).date).toBe('2026-03-13');
  });

  it('requires n to be a positive integer', () => {
    expect(() => cal.addWorkingDays('2026-03-04', 0)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2026-03-04', 1.5)).toThrow(RangeError);
  });
});

describe('addCalendarDays', () => {
  it('ends on the last day when that is a working day', () => {
    expect(cal.addCalendarDays('2026-03-04', 30)).toEqual({ date: '2026-04-03', uncoveredYears: [] });
  });

  it('moves a period ending in a public holiday to the next working day', () => {
    // 60 days from 2026-08-03 is 2026-10-02, inside the National Day golden week.
    expect(addDays('2026-08-03', 60)).toBe('2026-10-02');
    expect(cal.addCalendarDays('2026-08-03', 60)).toEqual({ date: '2026-10-08', uncoveredYears: [] });
  });

  it('moves a period ending on a weekend to the next working day', () => {
    expect(cal.addCalendarDays('2026-03-01', 6).date).toBe('2026-03-09'); // Sat 03-07 → Mon
    // 90 days from 2026-08-03 is Sunday 2026-11-01.
    expect(cal.addCalendarDays('2026-08-03', 90).date).toBe('2026-11-02');
  });

  it('keeps a period ending on a make-up working weekend day', () => {
    expect(cal.addCalendarDays('2026-09-10', 10).date).toBe('2026-09-20'); // Sunday, 调休 workday
  });
});

describe('workingDaysBetween', () => {
  it('counts working days after from up to and including to', () => {
    expect(cal.workingDaysBetween('2026-02-13', '2026-02-24')).toBe(2);
    expect(cal.workingDaysBetween('2025-09-30', '2025-10-14')).toBe(5);
    expect(cal.workingDaysBetween('2026-03-06', '2026-03-08')).toBe(0); // only a weekend
  });

  it('is zero on the same day and negative when to is earlier', () => {
    expect(cal.workingDaysBetween('2026-02-24', '2026-02-24')).toBe(0);
    expect(cal.workingDaysBetween('2026-02-24', '2026-02-13')).toBe(-2);
  });
});

describe('uncovered years', () => {
  it('reports a computation that steps into a year without holiday data', () => {
    // 2027-01-01 is counted as a plain Friday because nothing is known about 2027.
    expect(cal.addWorkingDays('2026-12-30', 5)).toEqual({ date: '2027-01-06', uncoveredYears: [2027] });
    expect(cal.addCalendarDays('2026-11-15', 60)).toEqual({ date: '2027-01-14', uncoveredYears: [2027] });
  });

  it('does not report a year once admin-imported data covers it', () => {
    const with2027 = WorkCalendar.withBuiltIn({
      overrides: [{ date: '2027-01-01', kind: 'holiday' }],
      years: [2027],
    });
    expect(with2027.isCovered(2027)).toBe(true);
    expect(with2027.addWorkingDays('2026-12-30', 5)).toEqual({ date: '2027-01-07', uncoveredYears: [] });
  });

  it('reports every uncovered year of a calendar without built-in data', () => {
    const bare = new WorkCalendar({ overrides: [], coveredYears: [] });
    expect(bare.addWorkingDays('2026-02-13', 2)).toEqual({ date: '2026-02-17', uncoveredYears: [2026] });
    expect(bare.addWorkingDays('2025-12-31', 2)).toEqual({ date: '2026-01-02', uncoveredYears: [2026] });
    expect(bare.addWorkingDays('2025-12-30', 3).uncoveredYears).toEqual([2025, 2026]);
  });
});

describe('overrides', () => {
  it('lets extra overrides win over built-in ones for the same date', () => {
    const local = WorkCalendar.withBuiltIn({
      overrides: [
        { date: '2026-02-16', kind: 'workday' }, // built-in holiday
        { date: '2026-02-14', kind: 'holiday' }, // built-in make-up workday
      ],
      years: [],
    });
    expect(local.isWorkday('2026-02-16')).toBe(true);
    expect(local.isWorkday('2026-02-14')).toBe(false);
    expect(local.addWorkingDays('2026-02-13', 1).date).toBe('2026-02-16');
    // The built-in calendar is unaffected.
    expect(cal.isWorkday('2026-02-16')).toBe(false);
  });

  it('applies a plain override set with no built-in data', () => {
    const custom = new WorkCalendar({
      overrides: [
        { date: '2030-06-03', kind: 'holiday' }, // Monday
        { date: '2030-06-08', kind: 'workday' }, // Saturday
      ],
      coveredYears: [2030],
    });
    expect(custom.addWorkingDays('2030-05-31', 1)).toEqual({ date: '2030-06-04', uncoveredYears: [] });
    expect(custom.isWorkday('2030-06-08')).toBe(true);
  });

  it('rejects a malformed override date', () => {
    expect(() => new WorkCalendar({ overrides: [{ date: '2026/10/01', kind: 'holiday' }], coveredYears: [] })).toThrow(
      RangeError,
    );
  });
});
