import { describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { Subject } from 'rxjs';
import type { Repository } from 'typeorm';
import type { AuditService } from '../auth/audit.service.js';
import { FakeClock } from '../common/clock.js';
import { IdGenerator } from '../common/ids.js';
import type { AppConfig } from '../config/config.schema.js';
import type { WriteBehind } from '../database/write-behind.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { MqttConnection } from '../mqtt/mqtt-connection.service.js';
import type { RegistryService } from '../sirens/registry.service.js';
import type { SirenStateService } from '../sirens/siren-state.service.js';
import type { AudioTokens } from '../voice/audio-tokens.service.js';
import type { CommandEntity } from './command.entity.js';
import { CommandService } from './command.service.js';

// The service logs each command at debug level: hundreds of lines of noise in a test run.
Logger.overrideLogger(['error']);

/** A broker whose acknowledgements the test hands out; the fake clock stands still, so nothing is spread. */
function setup(secretOf: (id: string) => Promise<string | null> = async () => null) {
  const published: { topic: string; ack: () => void }[] = [];
  const mqtt = { publishCommand: (_sirenId: string, topic: string) => new Promise<void>((ack) => published.push({ topic, ack })) } as unknown as MqttConnection;
  const registry = { get: (id: string) => ({ id }), secretOf } as unknown as RegistryService;
  const state = { acks$: new Subject(), events$: new Subject() } as unknown as SirenStateService;
  const audited: string[] = [];
  const audit = { recordMany: async (rows: { target: string }[]) => void audited.push(...rows.map((r) => r.target)) } as unknown as AuditService;
  const config = { MQTT_TOPIC_ROOT: 'sw', SIMULATION: false } as AppConfig;
  const svc = new CommandService({} as Repository<CommandEntity>, mqtt, registry, state, audit, { register: () => undefined } as unknown as WriteBehind, new FakeClock(), new IdGenerator(), config, new MetricsService(), {} as AudioTokens);
  return { svc, published, audited };
}

const settle = () => new Promise((r) => setImmediate(r));
const requests = (n: number) => Array.from({ length: n }, (_, i) => ({ sirenId: `S-${i}`, type: 'poll' as const, exercise: true }));

describe('CommandService.sendMany', () => {
  it('publishes the next command without waiting for the broker to acknowledge the one before', async () => {
    const { svc, published, audited } = setup();
    let done = false;
    const sending = svc.sendMany(requests(3), 'eng').then((sent) => ((done = true), sent));
    await settle();
    expect(published.map((p) => p.topic)).toEqual(['sw/sirens/S-0/cmd', 'sw/sirens/S-1/cmd', 'sw/sirens/S-2/cmd']);
    expect(done).toBe(false); // resolves only once all are acknowledged
    published.forEach((p) => p.ack());
    const sent = await sending;
    expect(sent.map((c) => c.sirenId).sort()).toEqual(['S-0', 'S-1', 'S-2']);
    expect(audited.sort()).toEqual(['S-0', 'S-1', 'S-2']);
  });

  it('keeps at most 500 unacknowledged, and goes on as acknowledgements come', async () => {
    const { svc, published } = setup();
    const sending = svc.sendMany(requests(501), 'eng');
    await settle();
    expect(published).toHaveLength(500);
    published[0].ack();
    await settle();
    expect(published).toHaveLength(501);
    published.slice(1).forEach((p) => p.ack());
    expect(await sending).toHaveLength(501);
  });

  it('stops once a command cannot be built, audits exactly what went out, and says why', async () => {
    const { svc, published, audited } = setup(async (id) => {
      if (id === 'S-1') throw new Error('secret does not open');
      return null;
    });
    const sending = svc.sendMany(requests(1_000), 'eng');
    await settle();
    published.forEach((p) => p.ack());
    await expect(sending).rejects.toThrow('secret does not open');
    expect(published.length).toBeLessThan(1_000);
    expect(audited.sort()).toEqual(published.map((p) => p.topic.split('/')[2]).sort());
    expect(audited).not.toContain('S-1');
  });
});
