import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { uuidV7 } from './time-ordered-id.js';

describe('uuidV7', () => {
  it('is a version 7, variant 10 UUID that zod accepts, with the time in its first 48 bits', () => {
    const at = Date.parse('2026-11-28T20:00:00.123Z');
    const id = uuidV7(at, crypto.randomBytes(10));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(z.uuid().safeParse(id).success).toBe(true);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('keeps the random bytes it is given, but for the version and variant bits', () => {
    const id = uuidV7(0, new Uint8Array(10).fill(0xff)).replace(/-/g, '');
    expect(id).toBe(`000000000000${'7fff'}${'bfff'}${'ff'.repeat(6)}`);
    expect(uuidV7(0, new Uint8Array(10)).replace(/-/g, '')).toBe(`000000000000${'7000'}${'8000'}${'00'.repeat(6)}`);
  });

  it('sorts by time as text, and ids of the same millisecond differ', () => {
    const t = Date.parse('2026-03-02T02:00:00Z');
    const ids = [t + 1000, t, t + 1, t + 86_400_000, t + 1].map((ms) => uuidV7(ms, crypto.randomBytes(10)));
    expect([ids[1], ids[2], ids[4], ids[0], ids[3]].map((x) => x!.slice(0, 13))).toEqual([...ids].sort().map((x) => x.slice(0, 13)));
    expect(ids[2]).not.toBe(ids[4]);
  });

  it('refuses a time it cannot hold and too few random bytes', () => {
    expect(() => uuidV7(-1, new Uint8Array(10))).toThrow(/out of range/);
    expect(() => uuidV7(2 ** 48, new Uint8Array(10))).toThrow(/out of range/);
    expect(() => uuidV7(1.5, new Uint8Array(10))).toThrow(/out of range/);
    expect(() => uuidV7(0, new Uint8Array(9))).toThrow(/10 random bytes/);
  });
});
