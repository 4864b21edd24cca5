import { describe, expect, it } from '@jest/globals';
import { EventEmitter } from 'node:events';
import type { IClientOptions, MqttClient } from 'mqtt';
import { demoCity } from '../protocol/demo-city.js';
import { CommandPublishers } from './command-publishers.js';

/** Stands in for mqtt.js: records how it was connected; `connected` is set by the test. */
class FakeClient extends EventEmitter {
  connected = true;
  ended = false;
  constructor(readonly options: IClientOptions) {
    super();
  }
  async endAsync(): Promise<void> {
    this.ended = true;
  }
}

function pool(count: number) {
  const made: FakeClient[] = [];
  const base: IClientOptions = { clientId: 'centre', clean: false, username: 'sirenwatch', will: { topic: 'x/server/availability', payload: Buffer.from('{}'), qos: 1, retain: true } };
  const publishers = new CommandPublishers('mqtt://127.0.0.1:1883', count, base, (_url, options) => {
    const c = new FakeClient(options);
    made.push(c);
    return c as unknown as MqttClient;
  });
  return { publishers, made };
}

describe('CommandPublishers', () => {
  it('opens the connections under ids of their own, without a session or the centre’s will', () => {
    const { made } = pool(3);
    expect(made.map((c) => c.options.clientId)).toEqual(['centre-cmd1', 'centre-cmd2', 'centre-cmd3']);
    for (const c of made) expect([c.options.clean, c.options.will, c.options.username]).toEqual([true, undefined, 'sirenwatch']);
  });

  it('gives a siren always the same connection, and shares the sirens out evenly', () => {
    const { publishers, made } = pool(4);
    const ids = demoCity(4_000).map((s) => s.id);
    const first = ids.map((id) => publishers.for(id));
    expect(ids.map((id) => publishers.for(id))).toEqual(first);
    const share = made.map((c) => first.filter((f) => f === (c as unknown as MqttClient)).length);
    for (const n of share) expect(Math.abs(n - 1_000)).toBeLessThan(150);
  });

  it('answers null for a siren whose connection is down, so that its command takes the centre’s own', () => {
    const { publishers, made } = pool(2);
    const id = 'NC-01-001';
    const chosen = publishers.for(id) as unknown as FakeClient;
    chosen.connected = false;
    expect(publishers.for(id)).toBeNull();
    const other = made.find((c) => c !== chosen)!;
    const onOther = demoCity(50).find((s) => (publishers.for(s.id) as unknown as FakeClient) === other);
    expect(onOther).toBeDefined();
  });

  it('with no connections, answers null for every siren; stop ends every connection', async () => {
    expect(pool(0).publishers.for('NC-01-001')).toBeNull();
    const { publishers, made } = pool(2);
    await publishers.stop();
    expect(made.map((c) => c.ended)).toEqual([true, true]);
  });
});
