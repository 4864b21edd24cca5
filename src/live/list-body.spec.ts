import { describe, expect, it } from '@jest/globals';
import { DateBytes, listChunks, type ListItemBytes } from './list-body.js';

const head = (json: string) => Buffer.from(`,${json.slice(0, -1)},"lastSeenAt":`);
const T = Date.parse('2026-11-30T08:00:00.000Z');
const items = (heads: Buffer[], seenAt: (i: number) => number = () => T): ListItemBytes[] => heads.map((h, i) => ({ head: h, seenAt: seenAt(i) }));

describe('listChunks', () => {
  it('writes each item with its time (or null) and the brackets, in order', () => {
    const body = items([head('{"id":"A"}'), head('{"id":"B","name":"东湖"}')], (i) => (i ? NaN : T));
    const text = Buffer.concat([...listChunks(body)]).toString('utf8');
    expect(JSON.parse(text)).toEqual([
      { id: 'A', lastSeenAt: '2026-11-30T08:00:00.000Z' },
      { id: 'B', name: '东湖', lastSeenAt: null },
    ]);
  });

  it('splits into chunks of at most the size, never inside an item, and the chunks join up', () => {
    const heads = Array.from({ length: 50 }, (_, i) => head(`{"id":"S-${i}"}`));
    const chunks = [...listChunks(items(heads), 200)];
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(200);
    for (const c of chunks.slice(0, -1)) expect(c.subarray(-1).toString()).toBe('}');
    expect((JSON.parse(Buffer.concat(chunks).toString()) as { id: string }[]).map((i) => i.id)).toEqual(heads.map((_, i) => `S-${i}`));
  });

  it('never cuts a multi-byte character: each chunk is whole UTF-8', () => {
    const heads = Array.from({ length: 40 }, (_, i) => head(`{"id":"S-${i}","name":"东湖区第${i}号警报器"}`));
    const chunks = [...listChunks(items(heads), 256)];
    expect(chunks.length).toBeGreaterThan(3);
    const decoder = new TextDecoder('utf-8', { fatal: true });
    for (const c of chunks) expect(() => decoder.decode(c)).not.toThrow();
    expect((JSON.parse(Buffer.concat(chunks).toString()) as { name: string }[])[39].name).toBe('东湖区第39号警报器');
  });

  it('takes an item larger than the chunk size, and an empty list', () => {
    const big = head(`{"id":"${'x'.repeat(500)}"}`);
    expect(JSON.parse(Buffer.concat([...listChunks(items([big]), 64)]).toString())[0].id).toHaveLength(500);
    expect(Buffer.concat([...listChunks([])]).toString()).toBe('[]');
  });
});

describe('DateBytes', () => {
  const written = (dates: DateBytes, ms: number) => {
    const out = Buffer.alloc(40);
    return out.toString('latin1', 0, dates.write(ms, out, 0));
  };

  it('writes every time as toISOString does, across days, years and the edges of its fast path', () => {
    const dates = new DateBytes();
    const edges = [0, 1, 999, 1000, 59_999, 86_399_999, 86_400_000, Date.parse('2000-02-29T23:59:59.999Z'), Date.parse('2026-12-31T23:59:59.999Z'), Date.parse('9999-12-31T23:59:59.999Z')];
    // Others: before 1970, past 9999 (six-digit years) and fractional ms take Date's own path.
    const others = [-1, -86_400_001, Date.parse('0001-01-01T00:00:00.000Z'), 8.64e15, Date.parse('+010000-01-01T00:00:00.000Z'), T + 0.5];
    // 20 000 times over six years, in an order that changes day nearly every time (a seeded LCG).
    let x = 12345;
    const spread = Array.from({ length: 20_000 }, () => ((x = (x * 1103515245 + 12345) % 2 ** 31), T - (x % (6 * 365 * 86_400_000))));
    for (const ms of [...edges, ...others, ...spread]) expect([ms, written(dates, ms)]).toEqual([ms, new Date(ms).toISOString()]);
  });
});
