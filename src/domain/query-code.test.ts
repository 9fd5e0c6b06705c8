import { randomBytes } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import {
  QUERY_CODE_ALPHABET,
  QUERY_CODE_BITS,
  QUERY_CODE_LENGTH,
  generateQueryCode,
  normalizeQueryCode,
} from './query-code.js';

const cryptoSource = (n: number): Uint8Array => new Uint8Array(randomBytes(n));
const FORMAT = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/;

describe('query code strength', () => {
  it('carries at least 80 bits', () => {
    expect(QUERY_CODE_ALPHABET).toHaveLength(32);
    expect(new Set(QUERY_CODE_ALPHABET).size).toBe(32);
    expect(QUERY_CODE_BITS).toBe(Math.log2(QUERY_CODE_ALPHABET.length) * QUERY_CODE_LENGTH);
    expect(QUERY_CODE_BITS).toBeGreaterThanOrEqual(80);
  });

  it('leaves out the confusable letters I, L, O, U', () => {
    for (const c of 'ILOU') expect(QUERY_CODE_ALPHABET).not.toContain(c);
  });
});

describe('generateQueryCode', () => {
  it('asks the source for exactly 10 bytes and uses all 80 bits', () => {
    const asked: number[] = [];
    const zeros = (n: number): Uint8Array => {
      asked.push(n);
      return new Uint8Array(n);
    };
    expect(generateQueryCode(zeros)).toBe('0000-0000-0000-0000');
    expect(asked).toEqual([10]);
    expect(generateQueryCode((n) => new Uint8Array(n).fill(0xff))).toBe('ZZZZ-ZZZZ-ZZZZ-ZZZZ');
  });

  it('maps bits to symbols most significant first', () => {
    // 0x08 = 00001 000.. → first symbol '1'; last byte 0x01 → last symbol '1'.
    const bytes = new Uint8Array([0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0x01]);
    expect(generateQueryCode(() => bytes)).toBe('1000-0000-0000-0001');
    // Symbols 0..15 as 5-bit groups 00000 00001 … 01111, packed into 10 bytes.
    const seq = new Uint8Array([0x00, 0x44, 0x32, 0x14, 0xc7, 0x42, 0x54, 0xb6, 0x35, 0xcf]);
    expect(generateQueryCode(() => seq)).toBe('0123-4567-89AB-CDEF');
  });

  it('refuses a short random source', () => {
    expect(() => generateQueryCode(() => new Uint8Array(9))).toThrow();
  });

  it('10,000 codes are well-formed, unique and normalise to themselves', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const code = generateQueryCode(cryptoSource);
      expect(code).toMatch(FORMAT);
      expect(normalizeQueryCode(code)).toBe(code);
      seen.add(code);
    }
    expect(seen.size).toBe(10_000);
  });

  it('uses every symbol of the alphabet over many codes', () => {
    const used = new Set<string>();
    for (let i = 0; i < 500; i++) for (const c of generateQueryCode(cryptoSource).replace(/-/g, '')) used.add(c);
    expect(used.size).toBe(32);
  });
});

describe('normalizeQueryCode', () => {
  it('uppercases and regroups', () => {
    expect(normalizeQueryCode('k7qm2d9fx4tb8hrc')).toBe('K7QM-2D9F-X4TB-8HRC');
    expect(normalizeQueryCode(' k7qm 2d9f x4tb 8hrc ')).toBe('K7QM-2D9F-X4TB-8HRC');
    expect(normalizeQueryCode('K7-QM2D-9FX4-TB8H-RC')).toBe('K7QM-2D9F-X4TB-8HRC');
    expect(normalizeQueryCode('K7QM—2D9F－X4TB–8HRC')).toBe('K7QM-2D9F-X4TB-8HRC');
  });

  it('reads O as 0 and I, L as 1', () => {
    expect(normalizeQueryCode('OOOO-IIII-LLLL-oil0')).toBe('0000-1111-1111-0110');
  });

  it('rejects U, punctuation and wrong lengths', () => {
    expect(normalizeQueryCode('K7QM-2D9F-X4TB-8HRU')).toBeNull();
    expect(normalizeQueryCode('K7QM-2D9F-X4TB-8HR')).toBeNull();
    expect(normalizeQueryCode('K7QM-2D9F-X4TB-8HRCA')).toBeNull();
    expect(normalizeQueryCode('K7QM-2D9F-X4TB-8HR!')).toBeNull();
    expect(normalizeQueryCode('')).toBeNull();
    expect(normalizeQueryCode('查询码查询码查询码查询码查询码查询')).toBeNull();
  });
});
