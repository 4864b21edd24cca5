import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AppConfig } from './config.schema.js';

/** The TLS settings of the broker connection (paths to PEM files), as the configuration holds them. */
export type MqttTlsSettings = Pick<AppConfig, 'MQTT_URL' | 'MQTT_CA_FILE' | 'MQTT_CERT_FILE' | 'MQTT_KEY_FILE'>;

/** What mqtt.js (tls.connect) takes: the PEM files' contents. */
export interface MqttTlsOptions {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

/** Each setting and the tls.connect option its file's content goes to. */
const OPTION_OF = { MQTT_CA_FILE: 'ca', MQTT_CERT_FILE: 'cert', MQTT_KEY_FILE: 'key' } as const;
type TlsFile = keyof typeof OPTION_OF;
const FILES = Object.keys(OPTION_OF) as TlsFile[];

/**
 * What is wrong with the TLS settings, one line each naming the variable (none: they can be used).
 * Every file is read and parsed now, at start, so that a wrong path or a key that does not belong to
 * the certificate fails the start instead of every reconnect. Never quotes a file's content.
 */
export function mqttTlsProblems(s: MqttTlsSettings): string[] {
  const given = FILES.filter((k) => s[k] !== undefined);
  if (!given.length) return [];
  const problems: string[] = [];
  if (!s.MQTT_URL || !/^(mqtts|wss):\/\//.test(s.MQTT_URL)) problems.push(`${given.join(', ')}: only with an mqtts:// or wss:// MQTT_URL (the broker connection is not TLS)`);
  if ((s.MQTT_CERT_FILE === undefined) !== (s.MQTT_KEY_FILE === undefined)) problems.push('MQTT_CERT_FILE, MQTT_KEY_FILE: give both (the client certificate and its private key) or neither');
  const read = (k: TlsFile): Buffer | null => {
    try {
      return readFileSync(s[k]!);
    } catch (e) {
      problems.push(`${k}: cannot read ${s[k]} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return null;
    }
  };
  const parse = <T>(k: TlsFile, what: string, make: (pem: Buffer) => T): T | null => {
    const pem = s[k] === undefined ? null : read(k);
    if (!pem) return null;
    try {
      return make(pem);
    } catch {
      problems.push(`${k}: ${s[k]} is not a PEM ${what}`);
      return null;
    }
  };
  parse('MQTT_CA_FILE', 'certificate', (pem) => new X509Certificate(pem));
  const cert = parse('MQTT_CERT_FILE', 'certificate', (pem) => new X509Certificate(pem));
  const key = parse('MQTT_KEY_FILE', 'private key (unencrypted)', (pem) => createPrivateKey(pem));
  if (cert && key && !cert.checkPrivateKey(key)) problems.push(`MQTT_KEY_FILE: ${s.MQTT_KEY_FILE} is not the private key of MQTT_CERT_FILE ${s.MQTT_CERT_FILE}`);
  return problems;
}

/** The files' contents for the connection (checked at start by mqttTlsProblems). */
export function readMqttTls(s: MqttTlsSettings): MqttTlsOptions {
  const options: MqttTlsOptions = {};
  for (const k of FILES) if (s[k] !== undefined) options[OPTION_OF[k]] = readFileSync(s[k]);
  return options;
}
