import { describe, expect, it } from 'vitest';
import { parseIcsHolidays } from './ics-calendar.js';

const cal = (...events: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//CN', ...events, 'END:VCALENDAR', ''].join('\r\n');
const ev = (...props: string[]) => ['BEGIN:VEVENT', ...props, 'END:VEVENT'].join('\r\n');

describe('ICS holiday calendar', () => {
  it('reads all-day holidays (DTEND exclusive) and make-up workdays', () => {
    const days = parseIcsHolidays(
      cal(
        ev('UID:1', 'DTSTART;VALUE=DATE:20270206', 'DTEND;VALUE=DATE:20270209', 'SUMMARY:春节'),
        ev('UID:2', 'DTSTART;VALUE=DATE:20270214', 'DTEND;VALUE=DATE:20270215', 'SUMMARY:春节调休上班'),
        ev('UID:3', 'DTSTART:20270405', 'SUMMARY:清明节 休'),
        ev('UID:4', 'DTSTART;VALUE=DATE:20270501', 'DURATION:P2D', 'SUMMARY:劳动节', 'BEGIN:VALARM', 'TRIGGER:-PT15M', 'SUMMARY:提醒上班', 'END:VALARM'),
      ),
    );
    expect(days).toEqual([
      { date: '2027-02-06', kind: 'holiday', note: '春节' },
      { date: '2027-02-07', kind: 'holiday', note: '春节' },
      { date: '2027-02-08', kind: 'holiday', note: '春节' },
      { date: '2027-02-14', kind: 'workday', note: '春节调休上班' },
      { date: '2027-04-05', kind: 'holiday', note: '清明节 休' },
      { date: '2027-05-01', kind: 'holiday', note: '劳动节' },
      { date: '2027-05-02', kind: 'holiday', note: '劳动节' },
    ]);
  });

  it('unfolds long lines, unescapes text, reads UTC times as China dates and LF-only files', () => {
    const text = ['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DTSTART:20270930T160000Z', 'DTEND:20271001T155959Z', 'SUMMARY:国庆节\\, 中秋', ' 节', 'END:VEVENT', 'END:VCALENDAR'].join('\n');
    expect(parseIcsHolidays(text)).toEqual([{ date: '2027-10-01', kind: 'holiday', note: '国庆节, 中秋节' }]);
  });

  it.each([
    ['', '文件为空'],
    ['元旦 2027-01-01 放假', '不是 iCalendar'],
    [cal(), '没有任何事件'],
    [cal(ev('SUMMARY:春节')), '缺少 DTSTART'],
    [cal(ev('DTSTART;VALUE=DATE:2027-02-06', 'SUMMARY:春节')), '第 5 行：DTSTART 的日期「2027-02-06」格式不正确'],
    [cal(ev('DTSTART;VALUE=DATE:20270230', 'SUMMARY:春节')), '不存在'],
    [cal(ev('DTSTART;VALUE=DATE:20270206')), '缺少 SUMMARY'],
    [cal(ev('DTSTART;VALUE=DATE:20270206', 'DTEND;VALUE=DATE:20270201', 'SUMMARY:春节')), '早于开始日期'],
    [cal(ev('DTSTART;VALUE=DATE:20270206', 'RRULE:FREQ=YEARLY', 'SUMMARY:春节')), '不支持重复规则'],
    [cal(ev('DTSTART;VALUE=DATE:20270206', 'SUMMARY:春节'), ev('DTSTART;VALUE=DATE:20270206', 'SUMMARY:补班')), '同时被标为放假'],
    [['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DTSTART:20270206', 'SUMMARY:春节', 'END:VCALENDAR'].join('\r\n'), '缺少 END:VEVENT'],
    [['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DTSTART:20270206', 'SUMMARY:春节', 'END:VEVENT'].join('\r\n'), '缺少 END:VCALENDAR'],
    [cal('garbage line'), '第 4 行：无法识别'],
    [cal(ev('DTSTART;VALUE=DATE:20270101', 'DTEND;VALUE=DATE:20290101', 'SUMMARY:长假')), '超过 366 天'],
  ])('rejects malformed input with a Chinese message: %#', (text, msg) => {
    expect(() => parseIcsHolidays(text)).toThrow(msg);
  });
});
