/**
 * 查询码: the code issued on submission with which anyone holding it can follow a case.
 * It is a bearer secret, so it must not be guessable: 16 Crockford base32 symbols carry
 * exactly 80 random bits. The alphabet leaves out I, L, O and U so codes read aloud over the
 * phone or copied from an SMS survive the usual confusions, which normalizeQueryCode repairs.
 */

/** Crockford base32: digits and letters without I, L, O, U. */
export const QUERY_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Number of symbols in a code. */
export const QUERY_CODE_LENGTH = 16;
/** Bits of randomness in a code: log2(32) × 16 = 80. */
export const QUERY_CODE_BITS = Math.log2(QUERY_CODE_ALPHABET.length) * QUERY_CODE_LENGTH;

const GROUP = 4;
const BYTES_NEEDED = Math.ceil((QUERY_CODE_LENGTH * 5) / 8);

/** Generates a query code from 10 bytes of an injected cryptographic random source, e.g. 'K7QM-2D9F-X4TB-8HRC'. */
export function generateQueryCode(randomBytes: (n: number) => Uint8Array): string {
  const bytes = randomBytes(BYTES_NEEDED);
  if (bytes.length < BYTES_NEEDED) {
    throw new Error(`random source returned ${bytes.length} bytes, ${BYTES_NEEDED} needed`);
  }
  // Read the 80 bits five at a time, most significant first.
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < BYTES_NEEDED; i++) {
    buffer = ((buffer << 8) | (bytes[i] ?? 0)) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += QUERY_CODE_ALPHABET.charAt((buffer >> bits) & 31);
    }
  }
  return group(out);
}

/** Canonicalises user input to the grouped form ('k7qm 2d9f-x4tb-8hrc' → 'K7QM-2D9F-X4TB-8HRC'), reading O as 0 and I/L as 1; null unless 16 valid symbols. */
export function normalizeQueryCode(input: string): string | null {
  const compact = input
    .toUpperCase()
    .replace(/[\s\-‐‑‒–—－_]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (compact.length !== QUERY_CODE_LENGTH) return null;
  for (const c of compact) {
    if (!QUERY_CODE_ALPHABET.includes(c)) return null;
  }
  return group(compact);
}

function group(symbols: string): string {
  const parts: string[] = [];
  for (let i = 0; i < symbols.length; i += GROUP) parts.push(symbols.slice(i, i + GROUP));
  return parts.join('-');
}
