import { describe, expect, it } from '@jest/globals';
import { centreSubscriptions, parseSirenTopic, sirenTopic } from './topics.js';

describe('topics', () => {
  const root = 'sirenwatch/v1';
  it('builds and parses a siren topic', () => {
    const t = sirenTopic(root, 'NC-DH-0001', 'status');
    expect(t).toBe('sirenwatch/v1/sirens/NC-DH-0001/status');
    expect(parseSirenTopic(root, t)).toEqual({ sirenId: 'NC-DH-0001', validId: true, channel: 'status' });
  });
  it('flags ids outside the allowed alphabet and refuses other topics', () => {
    expect(parseSirenTopic(root, 'sirenwatch/v1/sirens/bad id!/status')?.validId).toBe(false);
    expect(parseSirenTopic(root, `sirenwatch/v1/sirens/${'x'.repeat(65)}/ack`)?.validId).toBe(false);
    expect(parseSirenTopic(root, 'sirenwatch/v1/sirens/A/cmd')).toBeNull();
    expect(parseSirenTopic(root, 'other/v1/sirens/A/status')).toBeNull();
    expect(parseSirenTopic(root, 'sirenwatch/v1/server/availability')).toBeNull();
  });
  it('subscribes to every siren channel but cmd', () => {
    expect(centreSubscriptions(root)).toEqual([
      'sirenwatch/v1/sirens/+/availability',
      'sirenwatch/v1/sirens/+/status',
      'sirenwatch/v1/sirens/+/event',
      'sirenwatch/v1/sirens/+/ack',
    ]);
  });
});
