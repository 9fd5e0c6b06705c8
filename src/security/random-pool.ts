/**
 * Cryptographically random bytes for the hot path (a nonce per encrypted field, the query code):
 * each crypto.randomBytes call costs ~10 µs here (a call into OpenSSL's DRBG per request), several
 * per submission. The bytes come from crypto.randomBytes all the same, drawn 4 KB at a time, and
 * each byte is handed out once (crypto.randomUUID keeps such a pool too).
 */
import crypto from 'node:crypto';

const poolSize = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

/** `n` random bytes (fresh from crypto.randomBytes for more than 256). */
export function randomBytes(n: number): Buffer {
  if (n > 256) return crypto.randomBytes(n);
  if (offset + n > pool.length) {
    pool = crypto.randomBytes(poolSize);
    offset = 0;
  }
  const out = pool.subarray(offset, offset + n);
  offset += n;
  return out;
}
