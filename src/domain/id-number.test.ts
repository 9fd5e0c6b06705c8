import { describe, it, expect } from 'vitest';
import { idCheckChar, makeIdNumber, validateIdNumber, validateMobile } from './id-number.js';

describe('idCheckChar (ISO 7064 MOD 11-2)', () => {
  it('matches the GB 11643-1999 worked example', () => {
    // The standard's own example: 11010519491231002X.
    expect(idCheckChar('11010519491231002')).toBe('X');
  });

  it('agrees with the standard\'s formula: weights 2^(17-i) mod 11, check (12 - sum mod 11) mod 11', () => {
    const reference = (first17: string): string => {
      let sum = 0;
      for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11);
      const c = (12 - (sum % 11)) % 11;
      return c === 10 ? 'X' : String(c);
    };
    let x = 12345;
    for (let n = 0; n < 2000; n++) {
      let digits = '';
      for (let i = 0; i < 17; i++) {
        x = (x * 48271) % 2147483647; // MINSTD: deterministic, stays within 2^53
        digits += String(x % 10);
      }
      expect(idCheckChar(digits), digits).toBe(reference(digits));
    }
    expect(idCheckChar('44052419800101001')).toBe('3');
    expect(idCheckChar('13010219900101123')).toBe('7');
  });
});

describe('makeIdNumber', () => {
  it('builds numbers that validate', () => {
    const id = makeIdNumber('130102', '19900101', '123');
    expect(id).toHaveLength(18);
    expect(validateIdNumber(id)).toEqual({
      ok: true,
      normalized: id,
      birthDate: '1990-01-01',
      regionCode: '130102',
    });
  });

  it('produces an X check character when the sum calls for it', () => {
    expect(makeIdNumber('110105', '19491231', '002')).toBe('11010519491231002X');
  });

  it('rejects malformed parts', () => {
    expect(() => makeIdNumber('13010', '19900101', '123')).toThrow();
    expect(() => makeIdNumber('130102', '1990011', '123')).toThrow();
    expect(() => makeIdNumber('130102', '19900101', '12a')).toThrow();
  });

  it('every sequence 000–999 yields a valid number', () => {
    for (let i = 0; i < 1000; i++) {
      const id = makeIdNumber('130682', '20000229', String(i).padStart(3, '0'));
      expect(validateIdNumber(id).ok).toBe(true);
    }
  });
});

describe('validateIdNumber', () => {
  const good = makeIdNumber('130102', '19900101', '123');

  it('accepts a lowercase x and normalises it to X', () => {
    const r = validateIdNumber('11010519491231002x');
    expect(r).toEqual({ ok: true, normalized: '11010519491231002X', birthDate: '1949-12-31', regionCode: '110105' });
  });

  it('trims surrounding whitespace', () => {
    const r = validateIdNumber(`  ${good} `);
    expect(r.ok && r.normalized).toBe(good);
  });

  it('rejects a wrong check character', () => {
    const last = good.charAt(17);
    const wrong = good.slice(0, 17) + (last === '0' ? '1' : '0');
    expect(validateIdNumber(wrong)).toEqual({ ok: false, reason: '身份证号码校验位不正确' });
  });

  it('detects every single-digit change in the first 17 positions', () => {
    for (let i = 0; i < 17; i++) {
      const d = Number(good[i]);
      const changed = good.slice(0, i) + String((d + 1) % 10) + good.slice(i + 1);
      expect(validateIdNumber(changed).ok, `position ${i}`).toBe(false);
    }
  });

  it('rejects wrong lengths and characters', () => {
    expect(validateIdNumber('')).toEqual({ ok: false, reason: '请填写身份证号码' });
    expect(validateIdNumber('13010219900101123')).toEqual({ ok: false, reason: '身份证号码应为18位' });
    expect(validateIdNumber('130102900101123')).toEqual({ ok: false, reason: '身份证号码应为18位' });
    expect(validateIdNumber('1301021990010112A1')).toEqual({ ok: false, reason: '身份证号码前17位应为数字' });
    expect(validateIdNumber('13010219900101123Y')).toEqual({ ok: false, reason: '身份证号码最后一位应为数字或X' });
  });

  it('rejects an unknown province prefix', () => {
    const id = makeIdNumber('990102', '19900101', '123');
    expect(validateIdNumber(id)).toEqual({ ok: false, reason: '身份证号码的地区码不正确' });
  });

  it('rejects impossible birth dates', () => {
    for (const birth of ['19900230', '19000229', '19901301', '19900100', '18991231', '20230229']) {
      const id = makeIdNumber('130102', birth, '123');
      expect(validateIdNumber(id), birth).toEqual({ ok: false, reason: '身份证号码中的出生日期不正确' });
    }
  });

  it('accepts leap days in leap years, including 2000', () => {
    expect(validateIdNumber(makeIdNumber('130102', '20000229', '123')).ok).toBe(true);
    expect(validateIdNumber(makeIdNumber('130102', '20240229', '123')).ok).toBe(true);
    expect(validateIdNumber(makeIdNumber('130102', '19000101', '123')).ok).toBe(true);
  });

  it('rejects a birth date after today only when today is given', () => {
    const id = makeIdNumber('130102', '20260302', '123');
    expect(validateIdNumber(id).ok).toBe(true);
    expect(validateIdNumber(id, '2026-03-02').ok).toBe(true);
    expect(validateIdNumber(id, '2026-03-01')).toEqual({ ok: false, reason: '身份证号码中的出生日期晚于今天' });
  });

  it('throws on a malformed today, a programming error', () => {
    expect(() => validateIdNumber(good, '2026/03/01')).toThrow();
  });
});

describe('validateMobile', () => {
  it('accepts plain numbers in every 1[3-9] range', () => {
    for (const p of ['13812345678', '14512345678', '15912345678', '16612345678', '17712345678', '18812345678', '19912345678']) {
      expect(validateMobile(p)).toEqual({ ok: true, normalized: p });
    }
  });

  it('strips +86, 0086, 86, spaces and hyphens', () => {
    for (const p of ['+86 138 1234 5678', '+86-138-1234-5678', '0086 13812345678', '8613812345678', ' 138-1234-5678 ', '(+86) 13812345678']) {
      expect(validateMobile(p), p).toEqual({ ok: true, normalized: '13812345678' });
    }
  });

  it('rejects wrong lengths, letters and ranges', () => {
    expect(validateMobile('')).toEqual({ ok: false, reason: '请填写手机号码' });
    expect(validateMobile('1381234567')).toEqual({ ok: false, reason: '手机号码应为11位数字' });
    expect(validateMobile('138123456789')).toEqual({ ok: false, reason: '手机号码应为11位数字' });
    expect(validateMobile('1381234567a')).toEqual({ ok: false, reason: '手机号码应为11位数字' });
    expect(validateMobile('12812345678')).toEqual({ ok: false, reason: '手机号码号段不正确' });
    expect(validateMobile('03118765432')).toEqual({ ok: false, reason: '手机号码号段不正确' });
  });
});
