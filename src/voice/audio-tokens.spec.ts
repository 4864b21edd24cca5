import { describe, expect, it } from '@jest/globals';
import type { HttpAdapterHost } from '@nestjs/core';
import { FakeClock } from '../common/clock.js';
import type { AppConfig } from '../config/config.schema.js';
import { AUDIO_FETCH_PATH, AudioTokens } from './audio-tokens.service.js';

const listening = { httpAdapter: { getHttpServer: () => ({ address: () => ({ address: '127.0.0.1', port: 4321 }) }) } } as unknown as HttpAdapterHost;

function tokens(base?: string) {
  const clock = new FakeClock();
  const t = new AudioTokens(clock, { VOICE_AUDIO_BASE_URL: base, HOST: '127.0.0.1', PORT: 3000 } as AppConfig, listening);
  const issue = (commandId = 'c-1') => t.issue({ audioId: 'a-1', sirenId: 'S-1', commandId, expiresAt: clock.now() + 30_000 });
  const tokenOf = (url: string) => url.split('/').at(-1)!;
  return { clock, t, issue, tokenOf };
}

describe('audio tokens', () => {
  it('gives each command its own URL on the address the service listens on, or the configured one', () => {
    const { issue } = tokens();
    const [a, b] = [issue('c-1'), issue('c-2')];
    expect(a.startsWith(`http://127.0.0.1:4321${AUDIO_FETCH_PATH}/`)).toBe(true);
    expect(a).not.toBe(b);
    expect(tokens('https://centre.example/').issue().startsWith(`https://centre.example${AUDIO_FETCH_PATH}/`)).toBe(true);
  });

  it('opens once; then, and after the command expires, 403; an unknown token 404', () => {
    const { clock, t, issue, tokenOf } = tokens();
    const once = tokenOf(issue());
    expect(t.redeem(once)).toEqual({ audioId: 'a-1', sirenId: 'S-1' });
    expect(() => t.redeem(once)).toThrow(expect.objectContaining({ code: 'FORBIDDEN', message: 'audio token: already used' }));
    const late = tokenOf(issue());
    clock.advance(30_001);
    expect(() => t.redeem(late)).toThrow(expect.objectContaining({ code: 'FORBIDDEN', message: 'audio token: expired with its command' }));
    expect(() => t.redeem('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
