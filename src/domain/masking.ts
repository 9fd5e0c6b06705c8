/**
 * Masking of personal data for display (脱敏). Staff see masked values unless a permission
 * and a stated reason unmask them; these functions are the single definition of "masked".
 * All work on Unicode code points, so rare characters outside the BMP count as one.
 */

const HAN = /\p{Script=Han}/u;
/** Separators kept visible in names: the interpunct of transliterated names and spaces. */
const NAME_SEPARATOR = /^[\s·•・.\-]$/u;

/** Masks a name: Chinese keeps the first and last character ('张三明' → '张*明', '张三' → '张*'); other scripts keep each word's initial ('John Smith' → 'J*** S****'). */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  if (chars.some((c) => HAN.test(c))) {
    if (chars.length === 1) return '*';
    if (chars.length === 2) return `${chars[0]}*`;
    const inner = chars.slice(1, -1).map((c) => (NAME_SEPARATOR.test(c) ? c : '*'));
    return `${chars[0]}${inner.join('')}${chars[chars.length - 1]}`;
  }
  // Latin and other scripts: keep the initial of every word, star the rest of it.
  let atWordStart = true;
  return chars
    .map((c) => {
      if (NAME_SEPARATOR.test(c)) {
        atWordStart = true;
        return c;
      }
      const out = atWordStart ? c : '*';
      atWordStart = false;
      return out;
    })
    .join('');
}

/** Masks an ID number keeping the first 6 (region) and last 4 characters: '130102199001011234' → '130102********1234'; shorter than 11 is fully starred. */
export function maskIdNumber(id: string): string {
  const chars = Array.from(id.trim());
  if (chars.length < 11) return '*'.repeat(chars.length);
  return chars.slice(0, 6).join('') + '*'.repeat(chars.length - 10) + chars.slice(-4).join('');
}

/** Masks a phone number keeping the first 3 and last 4 characters: '13812345678' → '138****5678'; shorter than 8 keeps only the last 2. */
export function maskPhone(phone: string): string {
  const chars = Array.from(phone.trim());
  if (chars.length < 8) {
    const keep = Math.min(2, Math.max(0, chars.length - 2));
    return '*'.repeat(chars.length - keep) + chars.slice(chars.length - keep).join('');
  }
  return chars.slice(0, 3).join('') + '*'.repeat(chars.length - 7) + chars.slice(-4).join('');
}

/** Masks an address keeping its first 6 characters (the region part), but never more than half of it, then '***'. */
export function maskAddress(address: string): string {
  const chars = Array.from(address.trim());
  if (chars.length === 0) return '';
  const keep = Math.min(6, Math.floor(chars.length / 2));
  return `${chars.slice(0, keep).join('')}***`;
}
