import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addRotatedKey, cipherFromEnv, FieldCrypto, loadKeyring } from './field-crypto.js';

const key1 = crypto.randomBytes(32);
const key2 = crypto.randomBytes(32);

describe('field encryption', () => {
  it('AES-256-GCM by default, tagged a1, randomised, tamper-evident', () => {
    const c = new FieldCrypto(key1);
    const a = c.encrypt('11010519491231002X');
    expect(a.startsWith('a1:')).toBe(true);
    expect(c.encrypt('11010519491231002X')).not.toBe(a);
    expect(c.decrypt(a)).toBe('11010519491231002X');
    const raw = Buffer.from(a.slice(3), 'base64');
    raw[raw.length - 1]! ^= 1;
    expect(() => c.decrypt(`a1:${raw.toString('base64')}`)).toThrow();
  });

  it('SM4-CTR + HMAC-SM3 when chosen, tagged s1, tamper-evident, tag bound into the MAC', () => {
    const c = new FieldCrypto(key1, { cipher: 'sm4' });
    const s = c.encrypt('13812345678');
    expect(s.startsWith('s1:')).toBe(true);
    expect(c.decrypt(s)).toBe('13812345678');
    const raw = Buffer.from(s.slice(3), 'base64');
    raw[raw.length - 1]! ^= 1;
    expect(() => c.decrypt(`s1:${raw.toString('base64')}`)).toThrow(/校验失败/);
    // Relabelling a value as another key id is detected, too.
    const ring = new FieldCrypto({ keys: new Map([[1, key1], [2, key1]]), current: 2, cipher: 'sm4' });
    expect(() => ring.decrypt(`s2:${s.slice(3)}`)).toThrow();
  });

  it('a keyring reads every algorithm and key id, writes under the current one, keeps lookups stable', () => {
    const old = new FieldCrypto(key1);
    const oldSm4 = new FieldCrypto(key1, { cipher: 'sm4' });
    const ring = new FieldCrypto({ keys: new Map([[1, key1], [2, key2]]), current: 2, cipher: 'aes' });
    expect(ring.currentTag).toBe('a2');
    const v = ring.encrypt('张建国');
    expect(v.startsWith('a2:')).toBe(true);
    expect(ring.decrypt(v)).toBe('张建国');
    expect(ring.decrypt(old.encrypt('甲'))).toBe('甲');
    expect(ring.decrypt(oldSm4.encrypt('乙'))).toBe('乙');
    expect(() => old.decrypt(v)).toThrow(/缺少 2 号/);
    expect(ring.lookupHash('phone:13812345678')).toBe(old.lookupHash('phone:13812345678'));
    expect(() => old.decrypt('x9:abc')).toThrow(/未知的加密格式/);
    expect(FieldCrypto.isCiphertext(v)).toBe(true);
    expect(FieldCrypto.isCiphertext('13812345678')).toBe(false);
  });

  it('XINFANG_CIPHER accepts aes or sm4 only', () => {
    expect(cipherFromEnv({})).toBe('aes');
    expect(cipherFromEnv({ XINFANG_CIPHER: 'SM4' })).toBe('sm4');
    expect(() => cipherFromEnv({ XINFANG_CIPHER: 'des' })).toThrow();
  });

  it('rotated keys live beside the key file (mode 0600) and the highest id is current', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-keys-'));
    try {
      const env = { XINFANG_CIPHER: 'sm4' };
      const ring = loadKeyring(env, dir);
      expect(ring.current).toBe(1);
      expect(addRotatedKey(env, dir, ring)).toBe(2);
      const again = loadKeyring(env, dir);
      expect([...again.keys.keys()].sort()).toEqual([1, 2]);
      expect(again.current).toBe(2);
      expect(fs.statSync(path.join(dir, 'keys', 'data.key.2')).mode & 0o777).toBe(0o600);
      expect(new FieldCrypto(again).currentTag).toBe('s2');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
