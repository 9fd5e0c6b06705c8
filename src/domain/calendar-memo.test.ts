import { describe, expect, it } from 'vitest';
import { WorkCalendar } from './calendar.js';
import { memoizeWorkingDays } from './calendar-memo.js';

describe('memoizeWorkingDays', () => {
  const plain = WorkCalendar.withBuiltIn();
  const memo = memoizeWorkingDays(plain, 50);

  it('answers exactly like the calendar, repeatedly and past its size bound', () => {
    const days = ['2025-09-30', '2025-10-01', '2025-10-09', '2026-01-01', '2026-02-14', '2026-03-02', '2026-06-30'];
    for (let round = 0; round < 3; round++) {
      for (const a of days) for (const b of days) expect(memo.workingDaysBetween(a, b)).toBe(plain.workingDaysBetween(a, b));
    }
  });

  it('keeps everything else of the calendar', () => {
    expect(memo).toBeInstanceOf(WorkCalendar);
    expect(memo.isWorkday('2025-10-01')).toBe(false);
    expect(memo.addWorkingDays('2025-09-30', 1)).toEqual(plain.addWorkingDays('2025-09-30', 1));
    expect(memo.coveredYears).toEqual(plain.coveredYears);
  });

  it('gives due dates exactly like the calendar, with the uncovered years, each caller its own copy', () => {
    const starts = ['2025-09-30', '2026-01-30', '2026-09-30', '2026-12-20', '2031-05-05'];
    for (let round = 0; round < 3; round++) {
      for (const s of starts) {
        for (const n of [1, 15, 60]) {
          expect(memo.addWorkingDays(s, n)).toEqual(plain.addWorkingDays(s, n));
          expect(memo.addCalendarDays(s, n)).toEqual(plain.addCalendarDays(s, n));
        }
      }
    }
    const first = memo.addWorkingDays('2026-12-20', 15);
    expect(first.uncoveredYears).toEqual([2027]);
    first.uncoveredYears.push(1999);
    expect(memo.addWorkingDays('2026-12-20', 15).uncoveredYears).toEqual([2027]);
    expect(() => memo.addWorkingDays('2026-12-20', 0)).toThrow(RangeError);
  });

  it('still refuses malformed dates', () => {
    expect(() => memo.workingDaysBetween('2026-02-30', '2026-03-02')).toThrow(RangeError);
  });
});
