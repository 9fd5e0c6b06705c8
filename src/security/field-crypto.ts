/**
 * Field encryption for personal data (ID number, phone, name, address).
 * Every ciphertext is tagged with its algorithm and key id ('a1:' = AES-256-GCM, key 1) so a later
 * algorithm (SM4) or a rotated key can be read beside the old ones. Lookups use a keyed hash
 * (HMAC-SHA-256) so equal values can be found without decrypting anything.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export class FieldCrypto {
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('数据加密主密钥必须为 32 字节');
    this.encKey = Buffer.from(crypto.hkdfSync('sha256', masterKey, Buffer.alloc(0), 'xinfang-field-enc', 32));
    this.macKey = Buffer.from(crypto.hkdfSync('sha256', masterKey, Buffer.alloc(0), 'xinfang-field-mac', 32));
  }

  /** Encrypts a string; the same plaintext gives a different ciphertext each time. */
  encrypt(plain: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.encKey, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `a1:${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64')}`;
  }

  /** Decrypts a tagged ciphertext; throws if it was tampered with. */
  decrypt(value: string): string {
    const [tag, body] = value.split(':', 2);
    if (tag !== 'a1' || body === undefined) throw new Error(`未知的加密格式：${tag ?? ''}`);
    const raw = Buffer.from(body, 'base64');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.encKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }

  encryptOptional(plain: string | null | undefined): string | null {
    return plain === null || plain === undefined || plain === '' ? null : this.encrypt(plain);
  }

  decryptOptional(value: string | null): string | null {
    return value === null ? null : this.decrypt(value);
  }

  /** Keyed hash for equality lookups (ID number, phone, query code). */
  lookupHash(value: string): string {
    return crypto.createHmac('sha256', this.macKey).update(value, 'utf8').digest('base64url');
  }
}

/**
 * Loads the master key: XINFANG_DATA_KEY (32 bytes as base64 or hex) wins; otherwise a key file,
 * created with mode 0600 on first run so a fresh `npm start` works without set-up.
 */
export function loadMasterKey(env: { XINFANG_DATA_KEY?: string; XINFANG_KEY_FILE?: string }, dataDir: string): Buffer {
  const fromEnv = env.XINFANG_DATA_KEY?.trim();
  if (fromEnv) {
    const buf = /^[0-9a-fA-F]{64}$/.test(fromEnv) ? Buffer.from(fromEnv, 'hex') : Buffer.from(fromEnv, 'base64');
    if (buf.length !== 32) throw new Error('XINFANG_DATA_KEY 必须是 32 字节的 base64 或 64 位十六进制');
    return buf;
  }
  const file = env.XINFANG_KEY_FILE ?? path.join(dataDir, 'keys', 'data.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  const buf = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (buf.length !== 32) throw new Error(`密钥文件 ${file} 内容无效`);
  return buf;
}
