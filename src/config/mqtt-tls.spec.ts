import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './load-config.js';
import { mqttTlsProblems, readMqttTls } from './mqtt-tls.js';

const TLS_URL = 'mqtts://broker.example:8883';

describe('MQTT TLS files', () => {
  let dir: string;
  const at = (name: string) => join(dir, name);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mqtt-tls-'));
    // The operator's own tool: a private CA, the broker's certificate and one client certificate.
    execFileSync('sh', ['deploy/mosquitto/make-certs.sh', '-d', dir, 'centre'], { stdio: 'ignore' });
    writeFileSync(at('not-pem.crt'), 'hello\n');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes a private CA, and a client certificate with its own key, for an mqtts:// broker', () => {
    const settings = { MQTT_URL: TLS_URL, MQTT_CA_FILE: at('ca.crt'), MQTT_CERT_FILE: at('centre.crt'), MQTT_KEY_FILE: at('centre.key') };
    expect(mqttTlsProblems(settings)).toEqual([]);
    expect(readMqttTls(settings)).toEqual({ ca: readFileSync(at('ca.crt')), cert: readFileSync(at('centre.crt')), key: readFileSync(at('centre.key')) });
    expect(mqttTlsProblems({ MQTT_URL: 'wss://broker.example/mqtt', MQTT_CA_FILE: at('ca.crt') })).toEqual([]);
  });

  it('adds nothing when none is set', () => {
    expect(mqttTlsProblems({ MQTT_URL: 'mqtt://broker:1883' })).toEqual([]);
    expect(readMqttTls({ MQTT_URL: TLS_URL })).toEqual({});
  });

  it('says which setting is wrong and why, without quoting a file', () => {
    expect(mqttTlsProblems({ MQTT_URL: 'mqtt://broker:1883', MQTT_CA_FILE: at('ca.crt') })).toEqual(['MQTT_CA_FILE: only with an mqtts:// or wss:// MQTT_URL (the broker connection is not TLS)']);
    expect(mqttTlsProblems({ MQTT_CA_FILE: at('ca.crt') })[0]).toMatch(/^MQTT_CA_FILE: only with an mqtts/);
    expect(mqttTlsProblems({ MQTT_URL: TLS_URL, MQTT_CERT_FILE: at('centre.crt') })).toEqual(['MQTT_CERT_FILE, MQTT_KEY_FILE: give both (the client certificate and its private key) or neither']);
    expect(mqttTlsProblems({ MQTT_URL: TLS_URL, MQTT_CA_FILE: at('missing.crt') })).toEqual([`MQTT_CA_FILE: cannot read ${at('missing.crt')} (ENOENT)`]);
    expect(mqttTlsProblems({ MQTT_URL: TLS_URL, MQTT_CA_FILE: at('not-pem.crt') })).toEqual([`MQTT_CA_FILE: ${at('not-pem.crt')} is not a PEM certificate`]);
    // A certificate given as the key, and the broker's key given for the centre's certificate.
    expect(mqttTlsProblems({ MQTT_URL: TLS_URL, MQTT_CERT_FILE: at('centre.crt'), MQTT_KEY_FILE: at('centre.crt') })).toEqual([`MQTT_KEY_FILE: ${at('centre.crt')} is not a PEM private key (unencrypted)`]);
    const mismatch = mqttTlsProblems({ MQTT_URL: TLS_URL, MQTT_CERT_FILE: at('centre.crt'), MQTT_KEY_FILE: at('server.key') });
    expect(mismatch).toEqual([`MQTT_KEY_FILE: ${at('server.key')} is not the private key of MQTT_CERT_FILE ${at('centre.crt')}`]);
    expect(mismatch.join()).not.toContain('PRIVATE KEY');
  });

  it('fails the start with them, as every other setting does', () => {
    expect(() => loadConfig({ MQTT_URL: TLS_URL, MQTT_CA_FILE: at('missing.crt') })).toThrow(ConfigError);
    expect(() => loadConfig({ MQTT_URL: TLS_URL, MQTT_CA_FILE: at('missing.crt') })).toThrow(`invalid configuration: MQTT_CA_FILE: cannot read ${at('missing.crt')} (ENOENT)`);
    expect(loadConfig({ MQTT_URL: TLS_URL, MQTT_CA_FILE: at('ca.crt') }).MQTT_CA_FILE).toBe(at('ca.crt'));
  });
});
