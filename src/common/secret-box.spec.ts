import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { KEY_FILE, loadSecretKey, SecretBox } from './secret-box.js';

describe('SecretBox', () => {
  const box = new SecretBox(loadSecretKey({ SECRET_KEY: 'k'.repeat(32), DATA_DIR: '/nonexistent' }));

  it('seals so that the value is unreadable, fresh each time, and opens it again', () => {
    const a = box.seal('the-siren-secret', 'S-1');
    expect(a).not.toContain('the-siren-secret');
    expect(SecretBox.isSealed(a)).toBe(true);
    expect(a).not.toBe(box.seal('the-siren-secret', 'S-1'));
    expect(box.open(a, 'S-1')).toBe('the-siren-secret');
  });

  it('refuses another record, another key, or an altered value', () => {
    const sealed = box.seal('the-siren-secret', 'S-1');
    expect(() => box.open(sealed, 'S-2')).toThrow();
    const other = new SecretBox(loadSecretKey({ SECRET_KEY: 'x'.repeat(32), DATA_DIR: '/nonexistent' }));
    expect(() => other.open(sealed, 'S-1')).toThrow();
    const flipped = sealed.slice(0, -2) + (sealed.at(-2) === 'A' ? 'B' : 'A') + sealed.slice(-1);
    expect(flipped).not.toBe(sealed);
    expect(() => box.open(flipped, 'S-1')).toThrow();
    expect(() => box.open('plain-text', 'S-1')).toThrow('not a sealed secret');
  });

  it('generates distinct 256-bit secrets', () => {
    const a = box.generate();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(a).not.toBe(box.generate());
  });
});

describe('loadSecretKey without SECRET_KEY', () => {
  it('creates a private key file in DATA_DIR once and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secret-box-'));
    const first = loadSecretKey({ DATA_DIR: dir });
    expect(first).toHaveLength(32);
    expect(statSync(join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(loadSecretKey({ DATA_DIR: dir }).equals(first)).toBe(true);
    expect(readFileSync(join(dir, KEY_FILE), 'utf8').trim()).toBe(first.toString('base64'));
  });
});
