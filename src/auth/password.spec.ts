import { describe, expect, it } from '@jest/globals';
import { generatePassword, hashPassword, verifyPassword } from './password.js';

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('encodes the parameters and salts every hash differently', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('same password');
  });

  it('verifies with the parameters stored in the hash', async () => {
    const hash = await hashPassword('pw-12345678');
    const parts = hash.split('$');
    // A hash made with other parameters must not verify once they are changed.
    expect(await verifyPassword('pw-12345678', ['scrypt', '16384', ...parts.slice(2)].join('$'))).toBe(false);
  });

  it('never matches a malformed hash', async () => {
    const valid = (await hashPassword('anything')).split('$');
    const oddN = ['scrypt', '1000', ...valid.slice(2)].join('$');
    for (const bad of [oddN, '', 'plain', 'scrypt$x$8$1$AAAA$BBBB', 'bcrypt$1$2$3$4$5', 'scrypt$16384$8$1$AAAA$short']) {
      expect(await verifyPassword('anything', bad)).toBe(false);
    }
  });

  it('generates strong passwords of letters, digits, _ and -', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const p = generatePassword();
      expect(p).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      seen.add(p);
    }
    expect(seen.size).toBe(50);
  });
});
