import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { withTimeout } from '../common/with-timeout.js';
import type { ListItemBytes } from './list-body.js';
import { writeList } from './list-writer.js';

const T = Date.parse('2026-12-01T03:00:00.000Z');
const body = (n: number): ListItemBytes[] =>
  Array.from({ length: n }, (_, i) => ({ head: Buffer.from(`,{"id":"S-${String(i).padStart(6, '0')}","name":"东湖区第${i}号警报器","lastSeenAt":`), seenAt: i % 2 ? T : NaN }));

let server: Server | null = null;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A loopback server whose every request is answered by writeList; `written` settles when it returns. */
async function serve(list: ListItemBytes[]) {
  const written: Promise<void>[] = [];
  server = createServer((_req, res) => void written.push(writeList(list, res)));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, written };
}

const fetchText = (url: string) =>
  new Promise<{ type: string | undefined; text: string }>((resolve, reject) =>
    get(url, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (b: Buffer) => parts.push(b));
      res.on('end', () => resolve({ type: res.headers['content-type'], text: Buffer.concat(parts).toString('utf8') }));
    }).on('error', reject),
  );

describe('writeList', () => {
  it('answers the whole list as JSON, and serves the next answer from the buffers the socket gave back', async () => {
    const { url, written } = await serve(body(2_000)); // about 150 KB: three chunks
    const first = await fetchText(url);
    await written[0];
    expect(first.type).toBe('application/json; charset=utf-8');
    const items = JSON.parse(first.text) as { id: string; name: string; lastSeenAt: string | null }[];
    expect(items).toHaveLength(2_000);
    expect(items[1999]).toEqual({ id: 'S-001999', name: '东湖区第1999号警报器', lastSeenAt: '2026-12-01T03:00:00.000Z' });
    expect(items[0].lastSeenAt).toBeNull();
    const fresh = jest.spyOn(Buffer, 'allocUnsafeSlow');
    try {
      const second = await fetchText(url);
      await written[1];
      expect(second.text).toBe(first.text);
      expect(fresh).not.toHaveBeenCalled();
    } finally {
      fresh.mockRestore();
    }
  });

  it('stops, without waiting forever, when the client goes away mid-answer', async () => {
    const { url, written } = await serve(body(60_000)); // about 4.5 MB: more than the socket takes at once
    await new Promise<void>((resolve, reject) => {
      const req = get(url, (res) => res.once('data', () => (req.destroy(), resolve())));
      req.on('error', () => undefined);
      req.setTimeout(5_000, () => reject(new Error('no data')));
    });
    await expect(withTimeout(written[0].then(() => 'returned'), 5_000, 'hung')).resolves.toBe('returned');
  });
});
