import { closeSync, fdatasyncSync, fstatSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writevSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

export interface JournalRecord {
  topic: string;
  payload: Buffer;
  receivedAt: number;
  retained: boolean;
}

const HEADER = 8; // u32 body length, u32 crc32 of body
const SEGMENT_BYTES = 64 * 1024 * 1024;
const name = (start: number) => `seg-${String(start).padStart(16, '0')}.jnl`;

/**
 * The local append-only journal that makes ingest durable without holding MQTT acks for a database
 * commit: a message is written here (the OS has it, so a kill -9 cannot lose it) before its PUBACK,
 * and the database batch that applies it stores the journal offset as its checkpoint. At start,
 * everything after the checkpoint is replayed. Offsets are global byte positions across segments.
 */
export class Journal {
  private fd = -1;
  private segmentStart = 0;
  private position = 0;
  private unsynced = false;

  constructor(private readonly dir: string) {}

  /** Opens the newest segment, cutting off a record torn by a crash mid-write. */
  open(): void {
    mkdirSync(this.dir, { recursive: true });
    const starts = this.segments();
    this.segmentStart = starts.at(-1) ?? 0;
    this.fd = openSync(join(this.dir, name(this.segmentStart)), 'a+');
    const valid = this.scan(this.segmentStart, () => undefined);
    if (valid < fstatSync(this.fd).size) ftruncateSync(this.fd, valid);
    this.position = valid;
  }

  /** Global offset just past the last record. */
  get end(): number {
    return this.segmentStart + this.position;
  }

  append(r: JournalRecord): number {
    const topic = Buffer.from(r.topic, 'utf8');
    const body = Buffer.allocUnsafe(11 + topic.length + r.payload.length);
    body.writeDoubleLE(r.receivedAt, 0);
    body.writeUInt8(r.retained ? 1 : 0, 8);
    body.writeUInt16LE(topic.length, 9);
    topic.copy(body, 11);
    r.payload.copy(body, 11 + topic.length);
    const head = Buffer.allocUnsafe(HEADER);
    head.writeUInt32LE(body.length, 0);
    head.writeUInt32LE(crc32(body), 4);
    if (this.position >= SEGMENT_BYTES) this.rotate();
    writevSync(this.fd, [head, body]);
    this.position += HEADER + body.length;
    this.unsynced = true;
    return this.end;
  }

  /** Flushes to disk (power-loss safety); a process crash alone loses nothing already written. */
  sync(): void {
    if (!this.unsynced || this.fd < 0) return;
    fdatasyncSync(this.fd);
    this.unsynced = false;
  }

  /** Calls `each` for every record after `from`, with the offset just past it. */
  replay(from: number, each: (r: JournalRecord, end: number) => void): number {
    let count = 0;
    for (const start of this.segments()) {
      const next = this.segments().find((s) => s > start) ?? Infinity;
      if (next <= from) continue;
      this.scan(start, (r, end) => {
        if (end > from) {
          each(r, end);
          count++;
        }
      });
    }
    return count;
  }

  /** Deletes segments wholly before the committed checkpoint. */
  release(checkpoint: number): void {
    const starts = this.segments();
    starts.forEach((start, i) => {
      const next = starts[i + 1];
      if (next !== undefined && next <= checkpoint) unlinkSync(join(this.dir, name(start)));
    });
  }

  /** What the segments still on disk take (released ones are gone). */
  bytesOnDisk(): number {
    return this.segments().reduce((sum, start) => sum + statSync(join(this.dir, name(start))).size, 0);
  }

  close(): void {
    if (this.fd < 0) return;
    this.sync();
    closeSync(this.fd);
    this.fd = -1;
  }

  private rotate(): void {
    this.sync();
    closeSync(this.fd);
    this.segmentStart += this.position;
    this.position = 0;
    this.fd = openSync(join(this.dir, name(this.segmentStart)), 'a+');
  }

  private segments(): number[] {
    return readdirSync(this.dir)
      .filter((f) => /^seg-\d{16}\.jnl$/.test(f))
      .map((f) => Number(f.slice(4, 20)))
      .sort((a, b) => a - b);
  }

  /** Reads a segment's whole records; returns the length of its valid prefix. */
  private scan(start: number, each: (r: JournalRecord, end: number) => void): number {
    const buf = readFileSync(join(this.dir, name(start)));
    let at = 0;
    while (at + HEADER <= buf.length) {
      const len = buf.readUInt32LE(at);
      if (len < 11 || at + HEADER + len > buf.length) break;
      const body = buf.subarray(at + HEADER, at + HEADER + len);
      if (crc32(body) !== buf.readUInt32LE(at + 4)) break;
      const topicLen = body.readUInt16LE(9);
      at += HEADER + len;
      each(
        { receivedAt: body.readDoubleLE(0), retained: body.readUInt8(8) === 1, topic: body.toString('utf8', 11, 11 + topicLen), payload: Buffer.from(body.subarray(11 + topicLen)) },
        start + at,
      );
    }
    return at;
  }
}
