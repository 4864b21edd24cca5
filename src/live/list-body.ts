/**
 * The siren list's bytes. Each item is cached as its JSON up to `"lastSeenAt":` (with a leading comma),
 * because lastSeenAt is the one field that every heartbeat changes: the time is written in here, so a
 * fleet that only reports keeps its cached items. The answer is made one 64 KiB chunk at a time as the
 * response pulls it: never one 28 MB allocation (for 100 000 sirens), whose page faults cost more than
 * the copying, and never more than a few chunks in memory.
 */
export interface ListBody {
  /** Each item's cached `,{…,"lastSeenAt":`, in list order. */
  heads: Buffer[];
  /** What completes each item: its lastSeenAt as JSON and `}` (see `itemTail`), taken when the list was asked for. */
  tails: string[];
}

const CHUNK = 64 * 1024;
/** `"` + an ISO time (27 characters at most, for six-digit years) + `"}`. */
const TAIL_MAX = 30;
const [OPEN, CLOSE] = [0x5b, 0x5d];

export const itemTail = (seenAt: number | null): string => (seenAt === null ? 'null}' : `"${new Date(seenAt).toISOString()}"}`);

export function* listChunks({ heads, tails }: ListBody, size = CHUNK): Generator<Buffer> {
  let chunk = Buffer.allocUnsafe(size);
  let at = 0;
  chunk[at++] = OPEN;
  for (let i = 0; i < heads.length; i++) {
    const from = i === 0 ? 1 : 0; // the first item has no comma before it
    const need = heads[i].length - from + TAIL_MAX + 1;
    if (at + need > chunk.length) {
      yield chunk.subarray(0, at);
      chunk = Buffer.allocUnsafe(Math.max(size, need));
      at = 0;
    }
    at += heads[i].copy(chunk, at, from);
    at += chunk.write(tails[i], at, 'latin1');
  }
  // `need` kept one byte free for the closing bracket.
  chunk[at++] = CLOSE;
  yield chunk.subarray(0, at);
}
