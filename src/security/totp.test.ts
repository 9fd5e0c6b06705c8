import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, totpAt, verifyTotp } from './totp.js';

// RFC 6238 appendix B: the SHA-1 secret is ASCII "12345678901234567890"; 8-digit vectors, last 6 digits here.
const rfcSecret = base32Encode(Buffer.from('12345678901234567890'));
const vectors: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC 6238 SHA-1 test vectors (6-digit truncation)', () => {
    for (const [t, code] of vectors) expect(totpAt(rfcSecret, new Date(t * 1000))).toBe(code.slice(2));
  });
  it('matches the RFC 4226 HOTP vectors', () => {
    const key = Buffer.from('12345678901234567890');
    expect([0, 1, 2, 3, 9].map((c) => hotp(key, c))).toEqual(['755224', '287082', '359152', '969429', '520489']);
  });
  it('round-trips base32', () => {
    const b = Buffer.from([0, 1, 2, 250, 255, 17, 99]);
    expect(base32Decode(base32Encode(b))).toEqual(b);
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
  });
  it('accepts ±1 step, refuses ±2 steps, malformed codes and a replayed step', () => {
    const at = new Date(1_700_000_000_000);
    const code = (dt: number) => totpAt(rfcSecret, new Date(at.getTime() + dt * 1000));
    expect(verifyTotp(rfcSecret, code(0), at)).not.toBeNull();
    expect(verifyTotp(rfcSecret, code(-30), at)).not.toBeNull();
    expect(verifyTotp(rfcSecret, code(30), at)).not.toBeNull();
    expect(verifyTotp(rfcSecret, code(-60), at)).toBeNull();
    expect(verifyTotp(rfcSecret, code(60), at)).toBeNull();
    for (const bad of ['', '12345', '1234567', 'abcdef', ' 12345']) expect(verifyTotp(rfcSecret, bad, at)).toBeNull();
    const step = verifyTotp(rfcSecret, code(0), at)!;
    expect(verifyTotp(rfcSecret, code(0), at, step)).toBeNull();
  });
});
