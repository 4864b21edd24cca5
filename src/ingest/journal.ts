import { closeSync, fdatasyncSync, fstatSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeSync, writevSync } from 'node:fs';
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
/** Buffers per writev call (the kernel's IOV_MAX is 1024). */
const WRITEV_MAX = 1024;
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
  /** Records appended but not yet handed to the OS; `flush` writes them (before their acks leave). */
  private pending: Buffer[] = [];

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

  /** Global offset just past the last record (appended, whether flushed yet or not). */
  get end(): number {
    return this.segmentStart + this.position;
  }

  /**
   * Queues one record and returns the offset just past it. It reaches the OS at the next `flush`,
   * which the caller runs before the record's ack can leave the process (and before a checkpoint
   * that covers it is taken), so a crash in between loses only unacknowledged messages.
   */
  append(r: JournalRecord): number {
    const topicLen = Buffer.byteLength(r.topic);
    const bodyLen = 11 + topicLen + r.payload.length;
    if (this.position >= SEGMENT_BYTES) this.rotate();
    const rec = Buffer.allocUnsafe(HEADER + bodyLen);
    rec.writeDoubleLE(r.receivedAt, HEADER);
    rec.writeUInt8(r.retained ? 1 : 0, HEADER + 8);
    rec.writeUInt16LE(topicLen, HEADER + 9);
    rec.write(r.topic, HEADER + 11, 'utf8');
    r.payload.copy(rec, HEADER + 11 + topicLen);
    rec.writeUInt32LE(bodyLen, 0);
    rec.writeUInt32LE(crc32(rec.subarray(HEADER)), 4);
    this.pending.push(rec);
    this.position += rec.length;
    return this.end;
  }

  /** Hands every queued record to the OS (a process crash after this loses none of them). */
  flush(): void {
    if (!this.pending.length || this.fd < 0) return;
    const all = this.pending;
    this.pending = [];
    for (let i = 0; i < all.length; i += WRITEV_MAX) {
      const chunk = all.length <= WRITEV_MAX ? all : all.slice(i, i + WRITEV_MAX);
      let written = writevSync(this.fd, chunk);
      // writev may write less than asked (rare on files): write the rest record by record.
      for (const buf of chunk) {
        if (written >= buf.length) written -= buf.length;
        else {
          writeAllSync(this.fd, buf.subarray(written));
          written = 0;
        }
      }
    }
    this.unsynced = true;
  }

  /** Flushes to disk (power-loss safety); a process crash alone loses nothing already written. */
  sync(): void {
    this.flush();
    if (!this.unsynced || this.fd < 0) return;
    fdatasyncSync(this.fd);
    this.unsynced = false;
  }

  /** Calls `each` for every record after `from`, with the offset just past it. */
  replay(from: number, each: (r: JournalRecord, end: number) => void): number {
    this.flush();
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

function writeAllSync(fd: number, buf: Buffer): void {
  for (let at = 0; at < buf.length; ) at += writeSync(fd, buf, at);
}
