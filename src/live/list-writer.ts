import type { ServerResponse } from 'node:http';
import { LIST_CHUNK, listChunks, type ListItemBytes } from './list-body.js';

/** Chunk buffers whose bytes the socket has taken, for the next answers (1 MiB at most). */
const spare: Buffer[] = [];
const SPARE_KEPT = 16;

/** A chunk's buffer: memory of its own (not a slice of Node's pool), so that its view leads back to it. */
function take(n: number): Buffer {
  return (n <= LIST_CHUNK && spare.pop()) || Buffer.allocUnsafeSlow(Math.max(n, LIST_CHUNK));
}

function giveBack(view: Buffer): void {
  if (view.buffer.byteLength === LIST_CHUNK && spare.length < SPARE_KEPT) spare.push(Buffer.from(view.buffer, 0, LIST_CHUNK));
}

/**
 * Writes the siren list as the socket takes it. A chunk's buffer serves again once the socket has its
 * bytes (the write's callback): fresh ones, 430 of 64 KiB for 100 000 sirens, made every answer pay for
 * page faults and for the garbage collections their external memory set off (bench/README.md).
 */
export async function writeList(items: Iterable<ListItemBytes>, res: ServerResponse): Promise<void> {
  res.setHeader('content-type', 'application/json; charset=utf-8');
  for (const chunk of listChunks(items, LIST_CHUNK, take)) {
    if (res.destroyed) return;
    if (!res.write(chunk, (err) => err || giveBack(chunk))) await drainedOrClosed(res);
  }
  res.end();
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
