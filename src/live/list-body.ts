/**
 * The siren list's bytes. Each item is cached as its JSON up to `"lastSeenAt":` (with a leading comma),
 * because lastSeenAt is the one field that every heartbeat changes: the time is written in here, so a
 * fleet that only reports keeps its cached items. The answer is made one 64 KiB chunk at a time as the
 * response pulls it: never one 28 MB allocation (for 100 000 sirens), whose page faults cost more than
 * the copying, and never more than a few chunks in memory. The items are walked as the chunks are made,
 * too: arrays of 100 000 items per answer were garbage enough to set off a full collection every few
 * answers (bench/README.md).
 */
export interface ListItemBytes {
  /**
   * The item's cached `,{…,"lastSeenAt":` as UTF-8. Bytes, not text: copying them is a plain memory
   * copy, and a Chinese name would make the whole item's text two bytes per character.
   */
  head: Buffer;
  /**
   * When the siren was last heard (ms), NaN if never: written here as API.md's ISO time, or null. A
   * number, never null, so that refilling one object does not box each time anew.
   */
  seenAt: number;
}

/** `"` + an ISO time (27 characters at most, for six-digit years) + `"}`. */
const TAIL_MAX = 30;
const [OPEN, CLOSE, QUOTE, END_ITEM] = [0x5b, 0x5d, 0x22, 0x7d];
const NULL = Buffer.from('null');
const DAY_MS = 86_400_000;
/** Dates in these years are written digit by digit; any other goes through Date (toISOString's own form). */
const FAST_FROM = Date.UTC(1970, 0, 1);
const FAST_UNTIL = Date.UTC(10000, 0, 1);

export const LIST_CHUNK = 64 * 1024;

/**
 * `take(n)` gives a buffer of at least n bytes for the next chunk (list-writer.ts reuses them). Each item
 * the iterable yields is copied before the next is asked for, so it may hand out one object, refilled.
 */
export function* listChunks(items: Iterable<ListItemBytes>, size = LIST_CHUNK, take: (n: number) => Buffer = (n) => Buffer.allocUnsafe(n)): Generator<Buffer> {
  const dates = new DateBytes();
  let chunk = take(size);
  let at = 0;
  chunk[at++] = OPEN;
  let first = true;
  for (const { head, seenAt } of items) {
    const from = first ? 1 : 0; // the first item has no comma before it
    first = false;
    const need = head.length - from + TAIL_MAX + 1;
    if (at + need > chunk.length) {
      yield chunk.subarray(0, at);
      chunk = take(Math.max(size, need));
      at = 0;
    }
    at += head.copy(chunk, at, from);
    if (Number.isNaN(seenAt)) at += NULL.copy(chunk, at);
    else {
      chunk[at++] = QUOTE;
      at = dates.write(seenAt, chunk, at);
      chunk[at++] = QUOTE;
    }
    chunk[at++] = END_ITEM;
  }
  // `need` kept one byte free for the closing bracket.
  chunk[at++] = CLOSE;
  yield chunk.subarray(0, at);
}

/**
 * Writes times as `Date.prototype.toISOString` does, without making a string per item: a list's times
 * mostly fall on one or two days, so the date part is kept from the last time written.
 */
export class DateBytes {
  private day = NaN;
  private readonly datePart = Buffer.alloc(11); // YYYY-MM-DDT

  /** Writes `ms` at `at`; returns where it ended. */
  write(ms: number, out: Buffer, at: number): number {
    if (!(ms >= FAST_FROM && ms < FAST_UNTIL) || !Number.isInteger(ms)) return at + out.write(new Date(ms).toISOString(), at, 'latin1');
    const day = Math.floor(ms / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      const d = new Date(day * DAY_MS);
      this.datePart.write(d.toISOString().slice(0, 11), 'latin1');
    }
    at += this.datePart.copy(out, at);
    let t = ms - day * DAY_MS;
    const milli = t % 1000;
    t = (t - milli) / 1000;
    const sec = t % 60;
    t = (t - sec) / 60;
    const min = t % 60;
    const hour = (t - min) / 60;
    at = two(out, at, hour);
    out[at++] = 0x3a; // :
    at = two(out, at, min);
    out[at++] = 0x3a;
    at = two(out, at, sec);
    out[at++] = 0x2e; // .
    out[at++] = 0x30 + Math.floor(milli / 100);
    out[at++] = 0x30 + (Math.floor(milli / 10) % 10);
    out[at++] = 0x30 + (milli % 10);
    out[at++] = 0x5a; // Z
    return at;
  }
}

function two(out: Buffer, at: number, n: number): number {
  out[at] = 0x30 + Math.floor(n / 10);
  out[at + 1] = 0x30 + (n % 10);
  return at + 2;
}
