/**
 * 国密 field encryption: SM4-CTR for secrecy, HMAC-SM3 over tag ‖ iv ‖ ciphertext for integrity
 * (encrypt-then-MAC). Node 20's OpenSSL 3.0 has sm4-ctr and sm3 but no sm4-gcm, hence the separate MAC.
 */
import crypto from 'node:crypto';
import { randomBytes } from './random-pool.js';

const ivLen = 16;
const macLen = 32;

/** Encrypts with SM4-CTR and appends HMAC-SM3; `aad` (the value's tag) is bound into the MAC. */
export function sm4Encrypt(encKey: Buffer, macKey: Buffer, aad: string, plain: string): Buffer {
  const iv = randomBytes(ivLen);
  const cipher = crypto.createCipheriv('sm4-ctr', encKey, iv);
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const mac = crypto.createHmac('sm3', macKey).update(aad).update(iv).update(ct).digest();
  return Buffer.concat([iv, mac, ct]);
}

/** Checks the MAC first (constant time), then decrypts; throws on any tampering. */
export function sm4Decrypt(encKey: Buffer, macKey: Buffer, aad: string, raw: Buffer): string {
  if (raw.length < ivLen + macLen) throw new Error('SM4 密文长度不正确');
  const iv = raw.subarray(0, ivLen);
  const mac = raw.subarray(ivLen, ivLen + macLen);
  const ct = raw.subarray(ivLen + macLen);
  const expect = crypto.createHmac('sm3', macKey).update(aad).update(iv).update(ct).digest();
  if (!crypto.timingSafeEqual(mac, expect)) throw new Error('SM4 密文校验失败（被篡改或密钥不符）');
  const d = crypto.createDecipheriv('sm4-ctr', encKey, iv);
  return Buffer.concat([d.update(ct), d.final()]).toString('utf8');
}
