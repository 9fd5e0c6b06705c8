/**
 * Client-side checks that mirror the server's, so a citizen sees the problem next to the field
 * before anything is sent. The pure rules are the server's own modules, not copies.
 */
export { validateIdNumber, validateMobile } from '../../../src/domain/id-number';
export { normalizeQueryCode } from '../../../src/domain/query-code';

/** The server's password policy (src/security/password.ts, which cannot be bundled: it pulls in argon2). */
export function passwordProblem(password: string): string | null {
  if (password.length < 8) return '密码至少 8 位';
  if (password.length > 128) return '密码不能超过 128 位';
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 2) return '密码需包含字母、数字、符号中的至少两类';
  return null;
}

/** A real name as the server accepts it: 2–20 Chinese characters (with ·), or a Latin-script name. */
export const realNamePattern = /^[\u4e00-\u9fa5·]{2,20}$|^[A-Za-z][A-Za-z .'-]{1,49}$/;

/** Today's date as YYYY-MM-DD in the browser's time zone. */
export function localToday(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
