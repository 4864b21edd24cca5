import { describe, expect, it } from '@jest/globals';
import { HeldAckKeepalive, type PingableClient } from './held-ack-keepalive.js';

function fakeClient() {
  const calls: string[] = [];
  const client: PingableClient = { connected: true, sendPing: () => void calls.push('ping'), reschedulePing: (force?: boolean) => void calls.push(`reschedule ${force}`) };
  return { client, calls };
}

describe('HeldAckKeepalive', () => {
  it('pings and restarts mqtt.js’s countdown while one message stays unanswered from tick to tick', () => {
    const { client, calls } = fakeClient();
    const k = new HeldAckKeepalive();
    k.received();
    expect(k.tick(client)).toBe(false); // first seen: it may be answered any moment
    expect(k.tick(client)).toBe(true);
    expect(k.tick(client)).toBe(true);
    expect(calls).toEqual(['ping', 'reschedule true', 'ping', 'reschedule true']);
  });

  it('leaves mqtt.js alone while messages are being answered, or none waits', () => {
    const { client, calls } = fakeClient();
    const k = new HeldAckKeepalive();
    for (let i = 0; i < 5; i++) {
      k.received();
      k.received();
      k.answer();
      expect(k.tick(client)).toBe(false); // one is always unanswered, but answers keep coming
    }
    k.answer();
    k.answer();
    k.answer();
    k.answer();
    k.answer();
    expect(k.tick(client)).toBe(false);
    expect(k.tick(client)).toBe(false);
    expect(calls).toEqual([]);
  });

  it('does not ping a link that is down, and starts over after it is lost', () => {
    const { client, calls } = fakeClient();
    const k = new HeldAckKeepalive();
    k.received();
    k.tick(client);
    client.connected = false;
    expect(k.tick(client)).toBe(false);
    k.reset();
    client.connected = true;
    expect(k.tick(client)).toBe(false);
    // An answer to a message of the lost connection does not count against the new one.
    k.answer();
    k.received();
    expect(k.tick(client)).toBe(false);
    expect(k.tick(client)).toBe(true);
    expect(calls).toEqual(['ping', 'reschedule true']);
  });
});
