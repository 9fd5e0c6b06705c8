import { describe, expect, it } from 'vitest';
import { parseHolidayNotice } from './holiday-notice.js';

describe('holiday notice table', () => {
  it('reads ranges and make-up workdays, both date styles', () => {
    const days = parseHolidayNotice('元旦 2027-01-01至2027-01-03 放假 2026-12-27上班\n\n春节：2027年2月6日至2027年2月8日放假 2027年2月14日（星期日）上班、2027-02-20上班');
    expect(days.filter((d) => d.kind === 'holiday').map((d) => d.date)).toEqual(['2027-01-01', '2027-01-02', '2027-01-03', '2027-02-06', '2027-02-07', '2027-02-08']);
    expect(days.filter((d) => d.kind === 'workday')).toEqual([
      { date: '2026-12-27', kind: 'workday', note: '元旦调休上班' },
      { date: '2027-02-14', kind: 'workday', note: '春节调休上班' },
      { date: '2027-02-20', kind: 'workday', note: '春节调休上班' },
    ]);
  });

  it('names the line it cannot read', () => {
    expect(() => parseHolidayNotice('元旦 2027-01-01至2027-01-03 放假\n国庆 十月一日')).toThrow(/第 2 行/);
  });
});
