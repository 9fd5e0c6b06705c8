/**
 * Resident identity numbers (居民身份证号码, GB 11643-1999) and mainland mobile numbers.
 * Pure: the caller passes `today` when the future-birth check matters, so tests use fixed dates.
 */

export type IdNumberResult =
  | { ok: true; normalized: string; birthDate: string; regionCode: string }
  | { ok: false; reason: string };

export type MobileResult = { ok: true; normalized: string } | { ok: false; reason: string };

/** ISO 7064 MOD 11-2 weights for positions 1..17 (2^(18-i) mod 11). */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character for each value of (weighted sum mod 11). */
const CHECK_CHARS = '10X98765432';

/**
 * First two digits of GB/T 2260 province-level codes. 81/82/83 are used by the residence
 * permits of Hong Kong, Macau and Taiwan residents, which share the 18-digit format.
 */
const PROVINCE_PREFIXES = new Set([
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71', '81', '82', '83',
]);

/** Computes the MOD 11-2 check character for the first 17 digits of an ID number. */
export function idCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('idCheckChar needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS.charAt(sum % 11);
}

/** True when y-m-d is a real Gregorian calendar date. */
function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const dim = [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
  return d <= dim;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/**
 * Validates an 18-digit resident ID number (GB 11643-1999): region prefix, real birth date
 * (year ≥ 1900, not after `today` when given as 'YYYY-MM-DD') and the MOD 11-2 check character.
 * A lowercase x is accepted and normalised to X; surrounding whitespace is ignored.
 */
export function validateIdNumber(s: string, today?: string): IdNumberResult {
  const v = s.trim().toUpperCase();
  if (v === '') return { ok: false, reason: '请填写身份证号码' };
  if (v.length !== 18) return { ok: false, reason: '身份证号码应为18位' };
  if (!/^\d{17}$/.test(v.slice(0, 17))) return { ok: false, reason: '身份证号码前17位应为数字' };
  const last = v.charAt(17);
  if (!/^[0-9X]$/.test(last)) return { ok: false, reason: '身份证号码最后一位应为数字或X' };

  const regionCode = v.slice(0, 6);
  if (!PROVINCE_PREFIXES.has(regionCode.slice(0, 2))) {
    return { ok: false, reason: '身份证号码的地区码不正确' };
  }

  const y = Number(v.slice(6, 10));
  const m = Number(v.slice(10, 12));
  const d = Number(v.slice(12, 14));
  if (y < 1900 || !isRealDate(y, m, d)) {
    return { ok: false, reason: '身份证号码中的出生日期不正确' };
  }
  const birthDate = `${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`;
  if (today !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error(`today must be YYYY-MM-DD, got '${today}'`);
    // ISO dates of equal length compare correctly as strings.
    if (birthDate > today) return { ok: false, reason: '身份证号码中的出生日期晚于今天' };
  }

  if (idCheckChar(v.slice(0, 17)) !== last) return { ok: false, reason: '身份证号码校验位不正确' };
  return { ok: true, normalized: v, birthDate, regionCode };
}

/** Builds a valid ID number from a 6-digit region code, a YYYYMMDD birth date and a 3-digit sequence (demo data, tests). */
export function makeIdNumber(regionCode6: string, birth: string, seq3: string): string {
  if (!/^\d{6}$/.test(regionCode6)) throw new Error(`region code must be 6 digits, got '${regionCode6}'`);
  if (!/^\d{8}$/.test(birth)) throw new Error(`birth must be YYYYMMDD, got '${birth}'`);
  if (!/^\d{3}$/.test(seq3)) throw new Error(`sequence must be 3 digits, got '${seq3}'`);
  const first17 = regionCode6 + birth + seq3;
  return first17 + idCheckChar(first17);
}

/**
 * Validates a mainland mobile number: 11 digits, 1[3-9]xxxxxxxxx. Spaces, hyphens, dots and
 * parentheses are stripped, as is a leading +86 / 0086 / 86 country code.
 */
export function validateMobile(s: string): MobileResult {
  let v = s.trim().replace(/[\s\-.()（）]/g, '');
  if (v === '') return { ok: false, reason: '请填写手机号码' };
  if (v.startsWith('+86')) v = v.slice(3);
  else if (v.startsWith('0086')) v = v.slice(4);
  else if (v.length === 13 && v.startsWith('86')) v = v.slice(2);
  if (!/^\d{11}$/.test(v)) return { ok: false, reason: '手机号码应为11位数字' };
  if (!/^1[3-9]/.test(v)) return { ok: false, reason: '手机号码号段不正确' };
  return { ok: true, normalized: v };
}
