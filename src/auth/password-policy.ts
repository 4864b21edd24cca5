/** The least length of a new password (NIST SP 800-63B asks for at least 8; operators' accounts sound sirens). */
export const PASSWORD_MIN_LENGTH = 12;

/**
 * Passwords that are at least 12 characters and still among the first tried by anyone guessing
 * (leaked-password lists), compared without case. Short ones are refused by length already.
 */
const COMMON = new Set(
  [
    '123456789012',
    '1234567890123',
    '12345678901234',
    '123456789abc',
    '1q2w3e4r5t6y',
    'qwertyuiop12',
    'qwertyuiopas',
    'qwerty123456',
    'qwertyuiop123',
    '1qaz2wsx3edc',
    'zaq12wsxcde3',
    'abcdefghijkl',
    'abc123456789',
    'password1234',
    'password12345',
    'password123456',
    'passwordpassword',
    'p@ssw0rd1234',
    'p@ssword1234',
    'administrator',
    'administrator1',
    'admin1234567',
    'admin123456789',
    'adminadminadmin',
    'changeme1234',
    'letmein12345',
    'welcome12345',
    'iloveyou1234',
    'trustno1trustno1',
    'football1234',
    'baseball1234',
    'superman1234',
    'sunshine1234',
    'princess1234',
    'monkey123456',
    'dragon123456',
    'master123456',
    'woaini1314520',
    'woaini520520',
    '5201314520131',
    'sirenwatch123',
    'sirenwatch1234',
    'sirenwatch2026',
  ].map((p) => p.toLowerCase()),
);

/** Why the password may not be used, naming the rule; null when it passes. Never repeats the password. */
export function passwordProblem(password: string, username?: string): string | null {
  if ([...password].length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (username !== undefined && password.toLowerCase() === username.toLowerCase()) return 'must not be the username';
  if (COMMON.has(password.toLowerCase())) return 'is too common: choose a less guessable one';
  if (/^(.)\1*$/u.test(password)) return 'must not repeat one character';
  return null;
}
