import { describe, expect, it } from 'vitest';
import { day, maxSerialId, serialId } from './fields.js';

describe('day', () => {
  const schema = day('报告期限');
  it('accepts real days from 1900 to 2199', () => {
    for (const d of ['2026-03-02', '2024-02-29', '1900-01-01', '2199-12-31']) expect(schema.safeParse(d).success, d).toBe(true);
  });
  it('refuses impossible days and years outside the range, naming the field in Chinese', () => {
    const cases: [string, RegExp][] = [
      ['2026-02-30', /报告期限不是有效日期/],
      ['0000-00-00', /报告期限不是有效日期/],
      ['1899-12-31', /报告期限应在 1900 至 2199 年之间/],
      ['2200-01-01', /报告期限应在 1900 至 2199 年之间/],
      ['2026/03/02', /报告期限格式应为 YYYY-MM-DD/],
    ];
    for (const [d, message] of cases) {
      const r = schema.safeParse(d);
      expect(r.success, d).toBe(false);
      expect(r.error?.issues.map((i) => i.message).join(' '), d).toMatch(message);
    }
  });
});

describe('serialId', () => {
  const schema = serialId('通知编号');
  it('accepts 1 up to the largest 32-bit id, from strings as paths give them', () => {
    expect(schema.parse('1')).toBe(1);
    expect(schema.parse(String(maxSerialId))).toBe(maxSerialId);
  });
  it('refuses zero, fractions, text and ids no table can hold', () => {
    for (const v of ['0', '-1', '1.5', 'abc', String(maxSerialId + 1), '9007199254740991']) expect(schema.safeParse(v).success, v).toBe(false);
  });
});
