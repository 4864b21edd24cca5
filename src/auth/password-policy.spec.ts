import { describe, expect, it } from '@jest/globals';
import { generatePassword } from './password.js';
import { passwordProblem } from './password-policy.js';

describe('password policy', () => {
  it('passes the generated first-admin password and long, personal ones', () => {
    for (let i = 0; i < 50; i++) expect(passwordProblem(generatePassword(), 'admin')).toBeNull();
    for (const p of ['test-admin-password-1', 'correct horse battery', '警报器值班室密码很长的一句']) expect(passwordProblem(p, 'admin')).toBeNull();
  });

  it('names the rule a refused password breaks', () => {
    expect(passwordProblem('short-pw-11')).toBe('must be at least 12 characters');
    expect(passwordProblem('Duty-Officer-7', 'duty-officer-7')).toBe('must not be the username');
    expect(passwordProblem('Password1234')).toBe('is too common: choose a less guessable one');
    expect(passwordProblem('zzzzzzzzzzzzzz')).toBe('must not repeat one character');
  });

  it('counts characters, not UTF-16 units', () => {
    expect(passwordProblem('🚨🚨🚨🚨🚨🚨')).toBe('must be at least 12 characters');
  });
});
