import { describe, expect, it } from 'vitest';
import { chineseDate, documentCounterName, documentKinds, formatDocumentNumber, kindInfo, regionAbbreviation, unitAbbreviation } from './kinds.js';

describe('document numbers (发文字号)', () => {
  it('abbreviates issuing units by region and kind of unit', () => {
    expect(unitAbbreviation({ kind: 'bureau', level: 'county', regionCode: '130123', deptCode: null, name: '正定县信访局' }, '正定县')).toBe('正信');
    expect(unitAbbreviation({ kind: 'department', level: 'county', regionCode: '130123', deptCode: 'zj', name: '正定县住房和城乡建设局' }, '正定县')).toBe('正住建');
    expect(unitAbbreviation({ kind: 'bureau', level: 'province', regionCode: '130000', deptCode: null, name: '河北省信访局' }, '河北省')).toBe('冀信');
    expect(unitAbbreviation({ kind: 'mailbox', level: 'city', regionCode: '130100', deptCode: null, name: '石家庄市市长信箱' }, '石家庄市')).toBe('石信箱');
    expect(unitAbbreviation({ kind: 'department', level: 'city', regionCode: '130100', deptCode: 'xx', name: '石家庄市审计局' }, '石家庄市')).toBe('石审计');
    expect(regionAbbreviation('city', '133100', '雄安新区')).toBe('雄安');
  });

  it('formats the number as 代字〔年份〕序号号 with the kind character', () => {
    expect(formatDocumentNumber('正信', 'acceptance_notice', 2026, 12)).toBe('正信受〔2026〕12号');
    expect(formatDocumentNumber('正信', 'rejection_notice', 2026, 1)).toBe('正信不受〔2026〕1号');
    expect(formatDocumentNumber('正住建', 'responsibility_letter', 2027, 3)).toBe('正住建责〔2027〕3号');
    expect(() => formatDocumentNumber('正信', 'assignment_letter', 2026, 0)).toThrow(RangeError);
  });

  it('numbers each unit, kind and year apart', () => {
    const names = new Set([
      documentCounterName('130123-xfj', 'acceptance_notice', 2026),
      documentCounterName('130123-xfj', 'acceptance_notice', 2027),
      documentCounterName('130123-xfj', 'rejection_notice', 2026),
      documentCounterName('130100-xfj', 'acceptance_notice', 2026),
    ]);
    expect(names.size).toBe(4);
  });

  it('gives every kind a distinct number character and a title; only the 双向责任书 needs the petitioner', () => {
    const chars = documentKinds.map((k) => kindInfo(k).numberChar);
    expect(new Set(chars).size).toBe(documentKinds.length);
    expect(documentKinds.filter((k) => kindInfo(k).petitionerSigns)).toEqual(['responsibility_letter']);
    expect(documentKinds.filter((k) => kindInfo(k).audience === 'unit')).toEqual(['assignment_letter', 'forwarding_letter']);
  });

  it('writes dates the GB/T 9704 way', () => {
    expect(chineseDate('2026-03-02')).toBe('2026年3月2日');
    expect(chineseDate('2026-12-31')).toBe('2026年12月31日');
    expect(() => chineseDate('2026-3-2')).toThrow(RangeError);
  });
});
