/**
 * The siren list's bytes. Each item is cached as its JSON up to `"lastSeenAt":` (with a leading comma),
 * because lastSeenAt is the one field that every heartbeat changes: the time is written in here, so a
 * fleet that only reports keeps its cached items. The answer is made one 64 KiB chunk at a time as the
 * response pulls it: never one 28 MB allocation (for 100 000 sirens), whose page faults cost more than
 * the copying, and never more than a few chunks in memory.
 */
export interface ListBody {
  /**
   * Each item's cached `,{…,"lastSeenAt":` as UTF-8, in list order. Bytes, not text: copying them is a
   * plain memory copy, and a Chinese name would make the whole item's text two bytes per character.
   */
  heads: Buffer[];
  /**
   * Each item's lastSeenAt as an ISO time (null: never heard), taken when the list was asked for; the
   * quotes and the item's `}` are written here. One flat string per siren: the JSON text built ahead
   * was three strings (6 MiB for 100 000 sirens).
   */
  tails: (string | null)[];
}

/** `"` + an ISO time (27 characters at most, for six-digit years) + `"}`. */
const TAIL_MAX = 30;
const [OPEN, CLOSE, QUOTE, END_ITEM] = [0x5b, 0x5d, 0x22, 0x7d];

export const seenAtText = (seenAt: number | null): string | null => (seenAt === null ? null : new Date(seenAt).toISOString());

export const LIST_CHUNK = 64 * 1024;

/** `take(n)` gives a buffer of at least n bytes for the next chunk (list-writer.ts reuses them). */
export function* listChunks({ heads, tails }: ListBody, size = LIST_CHUNK, take: (n: number) => Buffer = (n) => Buffer.allocUnsafe(n)): Generator<Buffer> {
  let chunk = take(size);
  let at = 0;
  chunk[at++] = OPEN;
  for (let i = 0; i < heads.length; i++) {
    const from = i === 0 ? 1 : 0; // the first item has no comma before it
    const need = heads[i].length - from + TAIL_MAX + 1;
    if (at + need > chunk.length) {
      yield chunk.subarray(0, at);
      chunk = take(Math.max(size, need));
      at = 0;
    }
    at += heads[i].copy(chunk, at, from);
    const seenAt = tails[i];
    if (seenAt === null) at += chunk.write('null', at, 'latin1');
    else {
      chunk[at++] = QUOTE;
      at += chunk.write(seenAt, at, 'latin1');
      chunk[at++] = QUOTE;
    }
    chunk[at++] = END_ITEM;
  }
  // `need` kept one byte free for the closing bracket.
  chunk[at++] = CLOSE;
  yield chunk.subarray(0, at);
}
