import { expect } from '@jest/globals';
import type { ApiClient } from './service.js';

/** Reads SSE frames from the live stream until `match` finds one (or times out). */
export async function streamUntil(svc: ApiClient, match: (event: string, data: any) => boolean, timeoutMs = 8_000) {
  const token = await svc.token();
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  const res = await fetch(`${svc.baseUrl}/api/stream?token=${token}`, { signal: ac.signal });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = res.body!.getReader();
  let buf = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended');
      buf += Buffer.from(value).toString('utf8');
      let cut;
      while ((cut = buf.indexOf('\n\n')) >= 0) {
        const frame = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        const event = /^event: (.*)$/m.exec(frame)?.[1];
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (event && data && match(event, JSON.parse(data))) return { event, data: JSON.parse(data) };
      }
    }
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
}
