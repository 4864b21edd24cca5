import { describe, expect, it } from '@jest/globals';
import { ConfigError, describeConfig, loadConfig } from './load-config.js';
import type { AppConfig } from './config.schema.js';

const PROD = {
  NODE_ENV: 'production',
  MQTT_URL: 'mqtts://centre:mq-pass-123@broker.example:8883',
  DATABASE_URL: 'postgres://sirenwatch:db-pass-456@db.example:5432/sirenwatch',
  ADMIN_USERNAME: 'chief',
  ADMIN_PASSWORD: 'admin-pass-789',
  SECRET_KEY: 'at-rest-key-0123456789abcdefghijklmnop',
};

/** The ConfigError message that loading `env` throws. */
function configError(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      PORT: 3000, HOST: '127.0.0.1', MQTT_PORT: 1883, MQTT_TOPIC_ROOT: 'sirenwatch/v1', MQTT_PROTOCOL_VERSION: 4, DATA_DIR: './data',
      ADMIN_USERNAME: 'admin', JWT_TTL_S: 43_200, LOGIN_MAX_FAILURES: 10, LOGIN_WINDOW_S: 900, LOG_LEVEL: 'info',
      DEFAULT_INTERVAL_S: 30, OFFLINE_MULTIPLE: 3, WILL_HOLD_S: 2, BATTERY_LOW_PCT: 30, BATTERY_OK_PCT: 35, OVERTEMP_C: 70,
      OVERTEMP_CLEAR_C: 65, RSSI_LOW_DBM: -110, LOSS_PCT: 5, CLOCK_SKEW_S: 60, FAULT_FLAP_HOLDOFF_S: 120, HEAP_GROWTH_PERCENT: 20,
      SIMULATION: false, demo: false, withSim: false,
    });
    expect(c.MQTT_CLIENT_ID).toMatch(/^sirenwatch-/);
    for (const k of ['MQTT_URL', 'DATABASE_URL', 'ADMIN_PASSWORD', 'MQTT_USERNAME', 'MQTT_PASSWORD', 'NODE_ENV'] as const) expect(c[k]).toBeUndefined();
  });

  it('logs JSON in production and text elsewhere unless LOG_FORMAT says otherwise', () => {
    expect(loadConfig(PROD).LOG_FORMAT).toBe('json');
    expect(loadConfig({ ...PROD, LOG_FORMAT: 'text' }).LOG_FORMAT).toBe('text');
    expect(loadConfig({}).LOG_FORMAT).toBe('text');
    expect(loadConfig({ LOG_FORMAT: 'json' }).LOG_FORMAT).toBe('json');
    expect(configError({ LOG_FORMAT: 'xml' })).toContain('LOG_FORMAT: ');
  });

  it('coerces numbers, booleans and the protocol version from text', () => {
    const c = loadConfig({ PORT: '8080', WILL_HOLD_S: '0', RSSI_LOW_DBM: '-100.5', MQTT_PROTOCOL_VERSION: '5', SIMULATION: '1' });
    expect(c).toMatchObject({ PORT: 8080, WILL_HOLD_S: 0, RSSI_LOW_DBM: -100.5, MQTT_PROTOCOL_VERSION: 5, SIMULATION: true });
    expect(loadConfig({ SIMULATION: 'true' }).SIMULATION).toBe(true);
    expect(loadConfig({ SIMULATION: '0' }).SIMULATION).toBe(false);
  });

  it('treats an empty variable as unset and ignores variables it does not know', () => {
    const c = loadConfig({ PORT: '', LOG_LEVEL: '', PATH: '/usr/bin', HOME: '/root' });
    expect(c.PORT).toBe(3000);
    expect(c.LOG_LEVEL).toBe('info');
    expect(c).not.toHaveProperty('PATH');
    expect(c).not.toHaveProperty('HOME');
  });

  it('turns simulation on for the demo unless SIMULATION says otherwise, and passes the flags on', () => {
    expect(loadConfig({}, { demo: true, withSim: true })).toMatchObject({ SIMULATION: true, demo: true, withSim: true });
    expect(loadConfig({ SIMULATION: 'false' }, { demo: true, withSim: false }).SIMULATION).toBe(false);
    expect(loadConfig({ SIMULATION: 'true' }, { demo: false, withSim: false }).SIMULATION).toBe(true);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '80.5'],
    ['MQTT_URL', 'http://broker:1883'],
    ['MQTT_URL', 'broker:1883'],
    ['DATABASE_URL', 'mysql://db/sirenwatch'],
    ['MQTT_TOPIC_ROOT', 'sirenwatch/#'],
    ['MQTT_SHARE_GROUP', 'a b'],
    ['MQTT_PROTOCOL_VERSION', '3'],
    ['SIMULATION', 'yes'],
    ['LOG_LEVEL', 'trace'],
    ['JWT_TTL_S', '10'],
    ['BATTERY_LOW_PCT', '101'],
    ['LOSS_PCT', '-1'],
    ['OFFLINE_MULTIPLE', '0'],
    ['CLOCK_SKEW_S', 'sixty'],
    ['QUARANTINE_MAX_ROWS', '99'],
    ['HEAP_GROWTH_PERCENT', '301'],
    ['HEAP_GROWTH_PERCENT', '12.5'],
  ])('names %s when it is %p', (key, value) => {
    expect(configError({ [key]: value })).toMatch(new RegExp(`^invalid configuration: (.*; )?${key}: `));
  });

  it('names every bad variable at once', () => {
    const msg = configError({ PORT: 'x', LOG_LEVEL: 'loud', WILL_HOLD_S: '-1' });
    for (const key of ['PORT', 'LOG_LEVEL', 'WILL_HOLD_S']) expect(msg).toContain(`${key}: `);
  });

  it('does not repeat a refused password in the message', () => {
    const msg = configError({ ADMIN_PASSWORD: 'short' });
    expect(msg).toContain('ADMIN_PASSWORD: must be at least 12 characters');
    expect(msg).not.toContain('short');
  });

  it('holds the first admin password to the password policy', () => {
    expect(configError({ ADMIN_PASSWORD: 'Password1234' })).toContain('ADMIN_PASSWORD: is too common');
    expect(configError({ ADMIN_USERNAME: 'controlroom01', ADMIN_PASSWORD: 'ControlRoom01' })).toContain('ADMIN_PASSWORD: must not be the username');
  });

  it('runs a cluster only on a shared PostgreSQL and broker, and advertises HOST:PORT unless told', () => {
    expect(configError({ CLUSTER: 'true' })).toMatch(/CLUSTER: needs DATABASE_URL and MQTT_URL/);
    const shared = { CLUSTER: 'true', DATABASE_URL: PROD.DATABASE_URL, MQTT_URL: PROD.MQTT_URL };
    expect(() => loadConfig(shared, { demo: true, withSim: false })).toThrow(/CLUSTER: not with --demo/);
    expect(loadConfig({ ...shared, HOST: '10.0.0.5', PORT: '3100' })).toMatchObject({ CLUSTER: true, CLUSTER_ADVERTISE_URL: 'http://10.0.0.5:3100', CLUSTER_LOCK_POLL_MS: 1000 });
    expect(loadConfig({ ...shared, HOST: '::1' }).CLUSTER_ADVERTISE_URL).toBe('http://[::1]:3000');
    expect(loadConfig({ ...shared, CLUSTER_ADVERTISE_URL: 'http://sirenwatch-b:3000' }).CLUSTER_ADVERTISE_URL).toBe('http://sirenwatch-b:3000');
    expect(configError({ ...shared, CLUSTER_ADVERTISE_URL: 'http://a/path' })).toMatch(/CLUSTER_ADVERTISE_URL.*base URL/);
    expect(configError({ ...shared, CLUSTER_ADVERTISE_URL: `http://${'h'.repeat(60)}:3000` })).toMatch(/longer than 63 characters/);
  });

  it('takes CORS origins as a list and refuses anything but bare origins', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://ops.example.org, http://127.0.0.1:8080' }).CORS_ORIGINS).toEqual(['https://ops.example.org', 'http://127.0.0.1:8080']);
    expect(loadConfig({}).CORS_ORIGINS).toEqual([]);
    expect(configError({ CORS_ORIGINS: 'https://ops.example.org/console' })).toContain('CORS_ORIGINS');
  });

  describe('NODE_ENV=production', () => {
    it('starts with everything given', () => {
      expect(loadConfig(PROD)).toMatchObject({ NODE_ENV: 'production', ADMIN_USERNAME: 'chief', MQTT_URL: PROD.MQTT_URL });
    });

    it('names each missing setting', () => {
      const msg = configError({ NODE_ENV: 'production' });
      for (const key of ['MQTT_URL', 'DATABASE_URL', 'ADMIN_PASSWORD', 'SECRET_KEY']) expect(msg).toContain(`${key}: is required when NODE_ENV=production`);
    });

    it.each(['MQTT_URL', 'DATABASE_URL', 'ADMIN_PASSWORD', 'SECRET_KEY'])('fails without %s alone, naming only it', (key) => {
      const msg = configError({ ...PROD, [key]: undefined });
      expect(msg).toBe(`invalid configuration: ${key}: is required when NODE_ENV=production`);
    });

    it('counts an empty variable as missing', () => {
      expect(configError({ ...PROD, DATABASE_URL: '' })).toContain('DATABASE_URL: is required');
    });

    // API.md: "In production mode the service refuses to start without them" (ADMIN_USERNAME / ADMIN_PASSWORD).
    // The schema's default 'admin' fills ADMIN_USERNAME in before the production check runs.
    it('BUG: fails without ADMIN_USERNAME, naming it', () => {
      expect(configError({ ...PROD, ADMIN_USERNAME: undefined })).toContain('ADMIN_USERNAME: is required when NODE_ENV=production');
    });

    it('does not require them outside production', () => {
      expect(() => loadConfig({ NODE_ENV: 'development' })).not.toThrow();
      expect(() => loadConfig({ NODE_ENV: 'test' })).not.toThrow();
    });
  });
});

describe('describeConfig', () => {
  const config = loadConfig({ ...PROD, MQTT_USERNAME: 'centre', MQTT_PASSWORD: 'mq-pass-123' });

  it('masks passwords and the credentials inside URLs, keeping the rest of the URL', () => {
    const d = describeConfig(config);
    expect(d.ADMIN_PASSWORD).toBe('***');
    expect(d.MQTT_PASSWORD).toBe('***');
    expect(d.SECRET_KEY).toBe('***');
    expect(d.MQTT_URL).toBe('mqtts://***@broker.example:8883');
    expect(d.DATABASE_URL).toBe('postgres://***@db.example:5432/sirenwatch');
  });

  it('lets no secret through anywhere in its output', () => {
    const text = JSON.stringify(describeConfig(config));
    for (const secret of ['mq-pass-123', 'db-pass-456', 'admin-pass-789', PROD.SECRET_KEY]) expect(text).not.toContain(secret);
  });

  it('masks a user name alone in a URL and leaves a URL without credentials as it is', () => {
    const c = loadConfig({ MQTT_URL: 'mqtt://centre@broker:1883', DATABASE_URL: 'postgres://db:5432/sw' });
    expect(describeConfig(c)).toMatchObject({ MQTT_URL: 'mqtt://***@broker:1883', DATABASE_URL: 'postgres://db:5432/sw' });
  });

  it('keeps other settings and unset secrets as they are, and does not change the config', () => {
    const plain = loadConfig({ PORT: '8080' });
    const d = describeConfig(plain);
    expect(d).toMatchObject({ PORT: 8080, ADMIN_USERNAME: 'admin', MQTT_TOPIC_ROOT: 'sirenwatch/v1' });
    expect(d.ADMIN_PASSWORD).toBeUndefined();
    expect(d.MQTT_URL).toBeUndefined();
    describeConfig(config);
    expect((config as AppConfig).ADMIN_PASSWORD).toBe('admin-pass-789');
    expect(config.DATABASE_URL).toBe(PROD.DATABASE_URL);
  });
});
