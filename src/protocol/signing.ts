import { createHmac, timingSafeEqual } from 'node:crypto';

/** JSON with keys sorted at every level: the text that a command signature covers. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** HMAC-SHA256 (hex) over the command without its `sig`, keyed by the siren's secret. */
export function signCommand<T extends object>(command: T, secret: string): T & { sig: string } {
  const { sig: _ignored, ...unsigned } = command as T & { sig?: string };
  const sig = createHmac('sha256', secret).update(canonicalJson(unsigned)).digest('hex');
  return { ...(unsigned as T), sig };
}

export function verifyCommandSignature(command: object & { sig?: unknown }, secret: string): boolean {
  if (typeof command.sig !== 'string' || !/^[0-9a-f]{64}$/.test(command.sig)) return false;
  const expected = signCommand(command, secret).sig;
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(command.sig, 'hex'));
}
