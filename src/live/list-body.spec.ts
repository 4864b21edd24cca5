import { describe, expect, it } from '@jest/globals';
import { seenAtText, listChunks } from './list-body.js';

const head = (json: string) => Buffer.from(`,${json.slice(0, -1)},"lastSeenAt":`);
const T = Date.parse('2026-11-30T08:00:00.000Z');

describe('listChunks', () => {
  it('writes each item with its time (or null) and the brackets, in order', () => {
    const body = { heads: [head('{"id":"A"}'), head('{"id":"B","name":"东湖"}')], tails: [seenAtText(T), seenAtText(null)] };
    const text = Buffer.concat([...listChunks(body)]).toString('utf8');
    expect(JSON.parse(text)).toEqual([
      { id: 'A', lastSeenAt: '2026-11-30T08:00:00.000Z' },
      { id: 'B', name: '东湖', lastSeenAt: null },
    ]);
  });

  it('splits into chunks of at most the size, never inside an item, and the chunks join up', () => {
    const heads = Array.from({ length: 50 }, (_, i) => head(`{"id":"S-${i}"}`));
    const chunks = [...listChunks({ heads, tails: heads.map(() => seenAtText(T)) }, 200)];
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(200);
    for (const c of chunks.slice(0, -1)) expect(c.subarray(-1).toString()).toBe('}');
    expect((JSON.parse(Buffer.concat(chunks).toString()) as { id: string }[]).map((i) => i.id)).toEqual(heads.map((_, i) => `S-${i}`));
  });

  it('never cuts a multi-byte character: each chunk is whole UTF-8', () => {
    const heads = Array.from({ length: 40 }, (_, i) => head(`{"id":"S-${i}","name":"东湖区第${i}号警报器"}`));
    const chunks = [...listChunks({ heads, tails: heads.map(() => seenAtText(T)) }, 256)];
    expect(chunks.length).toBeGreaterThan(3);
    const decoder = new TextDecoder('utf-8', { fatal: true });
    for (const c of chunks) expect(() => decoder.decode(c)).not.toThrow();
    expect((JSON.parse(Buffer.concat(chunks).toString()) as { name: string }[])[39].name).toBe('东湖区第39号警报器');
  });

  it('takes an item larger than the chunk size, and an empty list', () => {
    const big = head(`{"id":"${'x'.repeat(500)}"}`);
    expect(JSON.parse(Buffer.concat([...listChunks({ heads: [big], tails: [seenAtText(T)] }, 64)]).toString())[0].id).toHaveLength(500);
    expect(Buffer.concat([...listChunks({ heads: [], tails: [] })]).toString()).toBe('[]');
  });
});
