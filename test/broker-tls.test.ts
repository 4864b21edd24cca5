import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { sirenTopic } from '../src/protocol/topics.js';
import { eventually } from './support/env.js';
import { SecureMosquitto } from './support/secure-mosquitto.js';
import { TestService } from './support/service.js';
import { healthyStatus } from './support/siren-client.js';

const ROOT = 'sirenwatch/v1'; // the topic root deploy/mosquitto/acl is written for
const SIREN = 'TLS-A';
const PASSWORDS = { [SIREN]: 'pw-siren-tls', sirenwatch: 'pw-service-tls' };
/** Long enough for several of the service's reconnects (one a second) to be refused. */
const REFUSED_FOR_MS = 3_000;

/**
 * The service on a broker with a private CA that also wants client certificates (deploy/mosquitto with
 * `require_certificate true`): MQTT_CA_FILE, MQTT_CERT_FILE and MQTT_KEY_FILE, end to end.
 */
describe('the service on a TLS broker with a private CA and client certificates', () => {
  const broker = new SecureMosquitto({ requireCertificate: true });
  const services: TestService[] = [];
  let siren: MqttClient | null = null;
  const cert = (name: string, ext: 'crt' | 'key') => join(broker.certs, `${name}.${ext}`);

  const start = async (tls: Record<string, string>) => {
    const env = { MQTT_USERNAME: 'sirenwatch', MQTT_PASSWORD: PASSWORDS.sirenwatch, ...tls };
    const svc = await TestService.start({ backend: 'embedded', mqttUrl: broker.tlsUrl, topicRoot: ROOT, env });
    services.push(svc);
    return svc;
  };
  const mqttHealth = async (svc: TestService) => (await svc.request('GET', '/api/health', { token: null })).body.mqtt;

  beforeAll(async () => {
    broker.addSiren(SIREN, PASSWORDS[SIREN]);
    broker.addAccount('sirenwatch', PASSWORDS.sirenwatch);
    broker.clientCertificate('sirenwatch');
    await broker.start();
  });

  afterAll(async () => {
    await siren?.endAsync(true);
    await Promise.all(services.map((s) => s.close()));
    await broker.stop();
  });

  it('connects with the CA and its certificate, and hears a siren over TLS', async () => {
    const svc = await start({ MQTT_CA_FILE: join(broker.certs, 'ca.crt'), MQTT_CERT_FILE: cert('sirenwatch', 'crt'), MQTT_KEY_FILE: cert('sirenwatch', 'key') });
    await eventually(async () => (await mqttHealth(svc)) === 'up', 10_000, 'mqtt up over TLS');
    await svc.register([SIREN]);

    const ca = readFileSync(join(broker.certs, 'ca.crt'));
    siren = await mqtt.connectAsync(broker.tlsUrl, { clientId: `${SIREN}-tls`, username: SIREN, password: PASSWORDS[SIREN], ca, cert: readFileSync(cert(SIREN, 'crt')), key: readFileSync(cert(SIREN, 'key')), reconnectPeriod: 0 });
    const status = { ...healthyStatus(), sirenId: SIREN, bootId: 'boot-tls', seq: 1, ts: new Date().toISOString() };
    await siren.publishAsync(sirenTopic(ROOT, SIREN, 'status'), JSON.stringify(status), { qos: 1 });
    const seen = await eventually(async () => (await svc.get<{ id: string; lastSeenAt: string | null; batteryPct: number | null }[]>('/api/sirens')).find((s) => s.id === SIREN && s.lastSeenAt), 10_000, 'the status applied');
    expect(seen.batteryPct).toBe(status.batteryPct);
  });

  it('stays down (health 503) without the CA or without its certificate', async () => {
    const [noCa, noCert] = await Promise.all([
      start({ MQTT_CERT_FILE: cert('sirenwatch', 'crt'), MQTT_KEY_FILE: cert('sirenwatch', 'key') }),
      start({ MQTT_CA_FILE: join(broker.certs, 'ca.crt') }),
    ]);
    await new Promise((resolve) => setTimeout(resolve, REFUSED_FOR_MS));
    expect(await mqttHealth(noCa)).toBe('down');
    expect(await mqttHealth(noCert)).toBe('down');
    expect((await noCa.request('GET', '/api/health', { token: null })).status).toBe(503);
  });
});
