import { describe, expect, it } from '@jest/globals';
import { byteLength, joinedChunks } from './joined-chunks.js';

describe('joinedChunks', () => {
  const parts = ['[', '{"a":1}', ',{"b":"é"}', ',{"c":3}', ']'].map((s) => Buffer.from(s));

  it('yields the same bytes in order, in chunks of at least the size but the last', () => {
    const chunks = [...joinedChunks(parts, 8)];
    expect(Buffer.concat(chunks).toString()).toBe('[{"a":1},{"b":"é"},{"c":3}]');
    expect(chunks.map((c) => c.length)).toEqual([8, 11, 8, 1]);
    expect(byteLength(parts)).toBe(28);
  });

  it('yields one chunk when everything fits, and none for no parts', () => {
    expect([...joinedChunks(parts)].map((c) => c.toString())).toEqual(['[{"a":1},{"b":"é"},{"c":3}]']);
    expect([...joinedChunks([])]).toEqual([]);
  });
});
