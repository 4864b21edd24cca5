import { afterEach, describe, expect, it } from '@jest/globals';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal, type JournalRecord } from './journal.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'journal-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const rec = (i: number): JournalRecord => ({ topic: `root/sirens/S${i}/status`, payload: Buffer.from(`{"seq":${i}}`), receivedAt: 1000 + i, retained: i % 2 === 0 });

function all(j: Journal, from: number) {
  const out: [JournalRecord, number][] = [];
  j.replay(from, (r, end) => out.push([r, end]));
  return out;
}

describe('journal', () => {
  it('replays every record after a checkpoint, exactly as written', () => {
    const dir = tempDir();
    const j = new Journal(dir);
    j.open();
    const ends = [0, 1, 2, 3].map((i) => j.append(rec(i)));
    j.close();
    const reopened = new Journal(dir);
    reopened.open();
    expect(reopened.end).toBe(ends[3]);
    const after = all(reopened, ends[1]);
    expect(after.map(([r]) => r)).toEqual([rec(2), rec(3)]);
    expect(after.map(([, end]) => end)).toEqual([ends[2], ends[3]]);
    expect(all(reopened, 0)).toHaveLength(4);
  });

  it('cuts off a record torn by a crash and goes on appending after the last whole one', () => {
    const dir = tempDir();
    const j = new Journal(dir);
    j.open();
    const end = j.append(rec(1));
    j.close();
    appendFileSync(join(dir, readdirSync(dir)[0]), Buffer.from([40, 0, 0, 0, 1, 2, 3]));
    const reopened = new Journal(dir);
    reopened.open();
    expect(reopened.end).toBe(end);
    reopened.append(rec(2));
    expect(all(reopened, 0).map(([r]) => r)).toEqual([rec(1), rec(2)]);
  });

  it('keeps binary payloads intact', () => {
    const j = new Journal(tempDir());
    j.open();
    const payload = Buffer.from([0, 255, 10, 13, 0xc3]);
    j.append({ topic: 't', payload, receivedAt: 5, retained: false });
    expect(all(j, 0)[0][0].payload).toEqual(payload);
  });

  it('hands queued records to the OS only at flush, in one go and in order', () => {
    const dir = tempDir();
    const j = new Journal(dir);
    j.open();
    const ends = Array.from({ length: 2500 }, (_, i) => j.append(rec(i)));
    // A crash now (no flush): the file holds none of them, and their acks never left.
    const crashed = new Journal(dir);
    crashed.open();
    expect(crashed.end).toBe(0);
    j.flush();
    const after = new Journal(dir);
    after.open();
    expect(after.end).toBe(ends.at(-1));
    expect(all(after, ends[2399]).map(([r]) => r)).toEqual([rec(2400), ...Array.from({ length: 99 }, (_, i) => rec(2401 + i))]);
  });
});
