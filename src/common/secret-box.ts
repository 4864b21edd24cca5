import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../config/config.schema.js';

const PREFIX = 'enc:v1:';
export const KEY_FILE = 'secret.key';

/**
 * AES-256-GCM for secrets kept in the database (sirens' signing keys). The record's id is bound in
 * as associated data, so a sealed value copied onto another row does not open there.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('SecretBox needs a 32-byte key');
  }

  static isSealed(stored: string): boolean {
    return stored.startsWith(PREFIX);
  }

  /** A new random secret (256 bits, base64url) to provision somewhere. */
  generate(): string {
    return randomBytes(32).toString('base64url');
  }

  seal(plain: string, boundTo: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(boundTo, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
  }

  /** Throws when the value was sealed under another key or for another record, or was altered. */
  open(sealed: string, boundTo: string): string {
    if (!SecretBox.isSealed(sealed)) throw new Error('not a sealed secret');
    const [iv, tag, body] = sealed.slice(PREFIX.length).split('.').map((p) => Buffer.from(p, 'base64url'));
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(boundTo, 'utf8')).setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  }
}

/**
 * The at-rest key: SECRET_KEY (required in production; every instance sharing the database needs
 * the same) hashed to 256 bits, or else a random key kept in DATA_DIR/secret.key (mode 600) for the demo.
 */
export function loadSecretKey(config: Pick<AppConfig, 'SECRET_KEY' | 'DATA_DIR'>): Buffer {
  if (config.SECRET_KEY) return createHash('sha256').update(config.SECRET_KEY, 'utf8').digest();
  const file = join(config.DATA_DIR, KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(config.DATA_DIR, { recursive: true });
    // 'wx': two processes starting together never overwrite each other's key.
    try {
      writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    chmodSync(file, 0o600);
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file}: not a 32-byte base64 key; remove it only if no secrets were sealed with it`);
  return key;
}
