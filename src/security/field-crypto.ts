/**
 * Field encryption for personal data (ID number, phone, name, address).
 * Every ciphertext is tagged with its algorithm and key id: 'a1:' = AES-256-GCM under key 1,
 * 's2:' = SM4-CTR + HMAC-SM3 under key 2 … so values written before a rotation or under the other
 * algorithm are read beside the new ones. Lookups use a keyed hash (HMAC-SHA-256) so equal values
 * can be found without decrypting anything.
 *
 * The lookup MAC key is derived from key 1 and deliberately does not rotate: every lookup column
 * (ID number, phone, query code hashes) would otherwise have to be rewritten in one step with the
 * service stopped, or lookups would miss in between. Rotation protects the ciphertexts (dumps,
 * backups); key 1 stays in the keyring as the lookup key and is never used to encrypt again.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sm4Decrypt, sm4Encrypt } from './sm-crypto.js';
import { randomBytes } from './random-pool.js';

export type CipherName = 'aes' | 'sm4';

export interface Keyring {
  /** Master keys by id (1, 2, …); 1 is the original key and also the lookup-hash key. */
  keys: Map<number, Buffer>;
  /** The key id new values are encrypted under. */
  current: number;
  cipher: CipherName;
}

interface DerivedKeys {
  aes: Buffer;
  sm4Enc: Buffer;
  sm4Mac: Buffer;
}

function derive(master: Buffer, info: string, len: number): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', master, Buffer.alloc(0), info, len));
}

const tagPattern = /^([as])(\d{1,6})$/;

export class FieldCrypto {
  private readonly derived = new Map<number, DerivedKeys>();
  private readonly macKey: Buffer;
  readonly cipher: CipherName;
  readonly currentKeyId: number;
  private readonly ring: Keyring;

  constructor(masterKey: Buffer | Keyring, opts: { cipher?: CipherName } = {}) {
    const ring: Keyring = Buffer.isBuffer(masterKey) ? { keys: new Map([[1, masterKey]]), current: 1, cipher: opts.cipher ?? 'aes' } : masterKey;
    this.ring = { keys: new Map(ring.keys), current: ring.current, cipher: opts.cipher ?? ring.cipher };
    for (const [id, key] of ring.keys) {
      if (key.length !== 32) throw new Error('数据加密主密钥必须为 32 字节');
      this.derived.set(id, { aes: derive(key, 'xinfang-field-enc', 32), sm4Enc: derive(key, 'xinfang-sm4-enc', 16), sm4Mac: derive(key, 'xinfang-sm3-mac', 32) });
    }
    const first = ring.keys.get(1);
    if (!first) throw new Error('密钥环缺少 1 号密钥（查询哈希密钥）');
    if (!this.derived.has(ring.current)) throw new Error(`密钥环缺少当前密钥 ${ring.current}`);
    this.macKey = derive(first, 'xinfang-field-mac', 32);
    this.cipher = opts.cipher ?? ring.cipher;
    this.currentKeyId = ring.current;
  }

  /** A copy that reads everything this one reads and writes with `cipher`, under `addKey` when given (rotation). */
  with(opts: { cipher?: CipherName; addKey?: { id: number; key: Buffer } }): FieldCrypto {
    const keys = new Map(this.ring.keys);
    if (opts.addKey) keys.set(opts.addKey.id, opts.addKey.key);
    return new FieldCrypto({ keys, current: opts.addKey?.id ?? this.ring.current, cipher: opts.cipher ?? this.cipher });
  }

  /** The tag new values get, e.g. 'a1' or 's2'. */
  get currentTag(): string {
    return `${this.cipher === 'sm4' ? 's' : 'a'}${this.currentKeyId}`;
  }

  /** Encrypts a string; the same plaintext gives a different ciphertext each time. */
  encrypt(plain: string): string {
    const tag = this.currentTag;
    const k = this.derived.get(this.currentKeyId)!;
    if (this.cipher === 'sm4') return `${tag}:${sm4Encrypt(k.sm4Enc, k.sm4Mac, tag, plain).toString('base64')}`;
    const iv = randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', k.aes, iv);
    // Key 1 keeps the original format (no AAD) so values written before key ids existed still read.
    if (this.currentKeyId !== 1) cipher.setAAD(Buffer.from(tag));
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${tag}:${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64')}`;
  }

  /** Decrypts a tagged ciphertext of any algorithm and key id in the keyring; throws if tampered with. */
  decrypt(value: string): string {
    const i = value.indexOf(':');
    const tag = i > 0 ? value.slice(0, i) : '';
    const m = tagPattern.exec(tag);
    if (!m) throw new Error(`未知的加密格式：${tag}`);
    const keyId = Number(m[2]);
    const k = this.derived.get(keyId);
    if (!k) throw new Error(`缺少 ${keyId} 号数据密钥，无法解密`);
    const raw = Buffer.from(value.slice(i + 1), 'base64');
    if (m[1] === 's') return sm4Decrypt(k.sm4Enc, k.sm4Mac, tag, raw);
    const decipher = crypto.createDecipheriv('aes-256-gcm', k.aes, raw.subarray(0, 12));
    if (keyId !== 1) decipher.setAAD(Buffer.from(tag));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }

  /** True when a value is a ciphertext this class wrote (of any algorithm or key). */
  static isCiphertext(value: string): boolean {
    const i = value.indexOf(':');
    return i > 0 && tagPattern.test(value.slice(0, i));
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

function parseKey(text: string, what: string): Buffer {
  const t = text.trim();
  const buf = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (buf.length !== 32) throw new Error(`${what} 必须是 32 字节的 base64 或 64 位十六进制`);
  return buf;
}

type KeyEnv = { XINFANG_DATA_KEY?: string; XINFANG_KEY_FILE?: string; XINFANG_CIPHER?: string };

/** The key file of key 1; rotated keys sit beside it as `<file>.2`, `<file>.3` … */
export function keyFilePath(env: KeyEnv, dataDir: string): string {
  return env.XINFANG_KEY_FILE ?? path.join(dataDir, 'keys', 'data.key');
}

/**
 * Loads the master key: XINFANG_DATA_KEY (32 bytes as base64 or hex) wins; otherwise a key file,
 * created with mode 0600 on first run so a fresh `npm start` works without set-up.
 */
export function loadMasterKey(env: KeyEnv, dataDir: string): Buffer {
  const fromEnv = env.XINFANG_DATA_KEY?.trim();
  if (fromEnv) return parseKey(fromEnv, 'XINFANG_DATA_KEY');
  const file = keyFilePath(env, dataDir);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  const buf = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (buf.length !== 32) throw new Error(`密钥文件 ${file} 内容无效`);
  return buf;
}

/** Parses XINFANG_CIPHER ('aes' default, 'sm4'); anything else is a start-up error, never a silent default. */
export function cipherFromEnv(env: KeyEnv): CipherName {
  const c = (env.XINFANG_CIPHER ?? 'aes').trim().toLowerCase();
  if (c === 'aes' || c === 'aes-256-gcm' || c === '') return 'aes';
  if (c === 'sm4' || c === 'sm4-ctr') return 'sm4';
  throw new Error(`XINFANG_CIPHER 只能是 aes 或 sm4：${env.XINFANG_CIPHER}`);
}

/** Key 1 (environment or key file) plus every rotated key file `<file>.N`; the highest id is current. */
export function loadKeyring(env: KeyEnv, dataDir: string): Keyring {
  const keys = new Map<number, Buffer>([[1, loadMasterKey(env, dataDir)]]);
  const file = keyFilePath(env, dataDir);
  const dir = path.dirname(file);
  const base = path.basename(file);
  if (fs.existsSync(dir)) {
    for (const name of fs.readdirSync(dir)) {
      const m = name.startsWith(`${base}.`) ? /^(\d{1,6})$/.exec(name.slice(base.length + 1)) : null;
      if (m && Number(m[1]) > 1) keys.set(Number(m[1]), parseKey(fs.readFileSync(path.join(dir, name), 'utf8'), `密钥文件 ${name}`));
    }
  }
  return { keys, current: Math.max(...keys.keys()), cipher: cipherFromEnv(env) };
}

/** Writes a fresh key `<file>.N` (mode 0600) and returns its id; the caller then re-encrypts. */
export function addRotatedKey(env: KeyEnv, dataDir: string, ring: Keyring): number {
  const id = Math.max(...ring.keys.keys()) + 1;
  const file = `${keyFilePath(env, dataDir)}.${id}`;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = crypto.randomBytes(32);
  fs.writeFileSync(file, key.toString('base64'), { mode: 0o600, flag: 'wx' });
  ring.keys.set(id, key);
  ring.current = id;
  return id;
}
