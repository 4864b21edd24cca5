import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { eventually, uniq } from './support/env.js';
import { SecureMosquitto } from './support/secure-mosquitto.js';

const ROOT = 'sirenwatch/v1'; // the topic root deploy/mosquitto/acl is written for
const [A, B] = ['SEC-A', 'SEC-B'];
const PASSWORDS: Record<string, string> = { [A]: 'pw-siren-a', [B]: 'pw-siren-b', sirenwatch: 'pw-service', capfeed: 'pw-capfeed' };
const t = (path: string) => `${ROOT}/${path}`;

/** PROTOCOL.md "Identity and trust" against a real Mosquitto running the project's own configuration. */
describe('broker security (deploy/mosquitto on a real Mosquitto)', () => {
  const broker = new SecureMosquitto();
  const clients: MqttClient[] = [];

  /** Connects as `user`; `heard` collects "topic payload" lines of what it receives. */
  async function login(user: string, o: IClientOptions & { url?: string } = {}): Promise<{ c: MqttClient; heard: string[] }> {
    const c = await mqtt.connectAsync(o.url ?? broker.url, { clientId: `${user}-${uniq()}`, username: user, password: PASSWORDS[user], reconnectPeriod: 0, ...o });
    clients.push(c);
    const heard: string[] = [];
    c.on('message', (topic, payload) => heard.push(`${topic} ${payload.toString()}`));
    return { c, heard };
  }

  beforeAll(async () => {
    broker.addSiren(A, PASSWORDS[A]);
    broker.addSiren(B, PASSWORDS[B]);
    broker.addAccount('sirenwatch', PASSWORDS.sirenwatch);
    broker.addAccount('capfeed', PASSWORDS.capfeed);
    await broker.start();
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await broker.stop();
  });

  it('a siren cannot publish as another siren', async () => {
    const service = await login('sirenwatch');
    await service.c.subscribeAsync(t('sirens/+/status'), { qos: 1 });
    const a = await login(A);
    await a.c.publishAsync(t(`sirens/${B}/status`), 'spoofed', { qos: 1 });
    await a.c.publishAsync(t(`sirens/${A}/status`), 'own', { qos: 1 });
    // Same connection, same order: once "own" is in, "spoofed" would have been before it.
    await eventually(() => service.heard.includes(`${t(`sirens/${A}/status`)} own`), 5_000, 'own status');
    expect(service.heard).toEqual([`${t(`sirens/${A}/status`)} own`]);
  });

  it('a siren cannot read another siren’s commands, nor send it one', async () => {
    const a = await login(A);
    const b = await login(B);
    await a.c.subscribeAsync([t(`sirens/${B}/cmd`), t(`sirens/${A}/cmd`)], { qos: 1 });
    await b.c.subscribeAsync(t(`sirens/${B}/cmd`), { qos: 1 });
    await a.c.publishAsync(t(`sirens/${B}/cmd`), 'forged', { qos: 1 });
    const service = await login('sirenwatch');
    await service.c.publishAsync(t(`sirens/${B}/cmd`), 'for-b', { qos: 1 });
    await service.c.publishAsync(t(`sirens/${A}/cmd`), 'for-a', { qos: 1 });
    await eventually(() => a.heard.length >= 1 && b.heard.length >= 1, 5_000, 'commands delivered');
    await new Promise((r) => setTimeout(r, 300));
    expect(a.heard).toEqual([`${t(`sirens/${A}/cmd`)} for-a`]);
    expect(b.heard).toEqual([`${t(`sirens/${B}/cmd`)} for-b`]);
  });

  it('a siren cannot publish alerts; the CAP feed can (MQTT 5 tells the siren "not authorized")', async () => {
    const service = await login('sirenwatch');
    await service.c.subscribeAsync(t('alerts/cap'), { qos: 1 });
    const a = await login(A);
    await a.c.publishAsync(t('alerts/cap'), 'fake-alert', { qos: 1 }); // PUBACK: the broker has judged it
    const a5 = await login(A, { protocolVersion: 5 });
    await expect(a5.c.publishAsync(t('alerts/cap'), 'fake-alert-5', { qos: 1 })).rejects.toMatchObject({ code: 135 });
    const feed = await login('capfeed');
    await feed.c.publishAsync(t('alerts/cap'), 'real-alert', { qos: 1 });
    await eventually(() => service.heard.length >= 1, 5_000, 'real alert');
    await new Promise((r) => setTimeout(r, 300));
    expect(service.heard).toEqual([`${t('alerts/cap')} real-alert`]);
  });

  it('refuses a wrong password and anonymous clients', async () => {
    await expect(login(A, { password: 'wrong' })).rejects.toThrow(/Not authorized|Bad username or password/i);
    await expect(mqtt.connectAsync(broker.url, { reconnectPeriod: 0 })).rejects.toThrow(/Not authorized/i);
  });

  it('speaks TLS with the CA of make-certs.sh, and nothing without it', async () => {
    const ca = readFileSync(join(broker.certs, 'ca.crt'));
    // The client certificate make-certs.sh issued for the siren chains to the same CA.
    expect(execFileSync('openssl', ['verify', '-CAfile', join(broker.certs, 'ca.crt'), join(broker.certs, `${A}.crt`)]).toString()).toContain(': OK');
    const service = await login('sirenwatch');
    await service.c.subscribeAsync(t('sirens/+/status'), { qos: 1 });
    const a = await login(A, { url: broker.tlsUrl, ca, cert: readFileSync(join(broker.certs, `${A}.crt`)), key: readFileSync(join(broker.certs, `${A}.key`)) });
    await a.c.publishAsync(t(`sirens/${A}/status`), 'over-tls', { qos: 1 });
    await a.c.publishAsync(t(`sirens/${B}/status`), 'spoofed-over-tls', { qos: 1 });
    await a.c.publishAsync(t(`sirens/${A}/status`), 'over-tls-2', { qos: 1 });
    await eventually(() => service.heard.length >= 2, 5_000, 'statuses over TLS');
    expect(service.heard).toEqual([`${t(`sirens/${A}/status`)} over-tls`, `${t(`sirens/${A}/status`)} over-tls-2`]);
    await expect(login(A, { url: broker.tlsUrl })).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
    await expect(login(A, { url: broker.tlsUrl, ca, password: 'wrong' })).rejects.toThrow(/Not authorized|Bad username/i);
  });
});
