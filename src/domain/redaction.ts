/**
 * 阳光信访 redaction: what must go before a case is published. Pure; the caller supplies the
 * petitioner's own data (names, addresses) that no pattern can recognise.
 */

/** Personal data known about the case that must not appear in a published text. */
export interface KnownPersonalData {
  names: readonly string[];
  addresses: readonly string[];
}

export type PersonalDataKind = 'idNumber' | 'phone' | 'email' | 'name' | 'address';

export const personalDataLabels: Record<PersonalDataKind, string> = {
  idNumber: '身份证号码',
  phone: '电话号码',
  email: '电子邮箱',
  name: '信访人姓名',
  address: '详细地址',
};

// 18-digit (and old 15-digit) resident ID numbers, not part of a longer digit run.
const ID_NUMBER = /(?<![0-9])(?:\d{17}[\dXx]|\d{15})(?![0-9Xx])/g;
// Mainland mobiles (with optional +86 and separators) and landlines with an area code.
const MOBILE = /(?<![0-9])(?:(?:\+|00)?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?![0-9])/g;
const LANDLINE = /(?<![0-9])0\d{2,3}[\s-]?\d{7,8}(?![0-9])/g;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

const usableNames = (known: KnownPersonalData) =>
  known.names.map((n) => n.trim()).filter((n) => Array.from(n).length >= 2);
const usableAddresses = (known: KnownPersonalData) =>
  known.addresses.map((a) => a.trim()).filter((a) => Array.from(a).length >= 4);

/** A name as published: surname and 某 ('张建国' → '张某'). */
export function anonymousName(name: string): string {
  const first = Array.from(name.trim())[0] ?? '';
  return `${first}某`;
}

/** Replaces ID numbers, phone numbers, e-mail addresses and the known names and addresses in a text. */
export function redactText(text: string, known: KnownPersonalData): string {
  let out = text
    .replace(ID_NUMBER, '［身份证号码已隐去］')
    .replace(MOBILE, '［电话已隐去］')
    .replace(LANDLINE, '［电话已隐去］')
    .replace(EMAIL, '［邮箱已隐去］');
  // Longest first, so '张建国' is replaced before a co-petitioner called '张建'.
  for (const a of [...usableAddresses(known)].sort((x, y) => y.length - x.length)) out = out.split(a).join('［地址已隐去］');
  for (const n of [...usableNames(known)].sort((x, y) => y.length - x.length)) out = out.split(n).join(anonymousName(n));
  return out;
}

/** The kinds of personal data still found in a text; empty when it may be published. */
export function personalDataIn(text: string, known: KnownPersonalData): PersonalDataKind[] {
  const found = new Set<PersonalDataKind>();
  if (text.match(ID_NUMBER)) found.add('idNumber');
  if (text.match(MOBILE) || text.match(LANDLINE)) found.add('phone');
  if (text.match(EMAIL)) found.add('email');
  if (usableNames(known).some((n) => text.includes(n))) found.add('name');
  if (usableAddresses(known).some((a) => text.includes(a))) found.add('address');
  return [...found];
}
