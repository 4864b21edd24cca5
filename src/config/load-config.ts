import { configSchema, PRODUCTION_REQUIRED, SECRET_KEYS, type AppConfig } from './config.schema.js';
import { describeIssues } from '../protocol/parse.js';
import { mqttTlsProblems } from './mqtt-tls.js';

export class ConfigError extends Error {}

export interface RunFlags {
  demo: boolean;
  withSim: boolean;
}

/** Reads and validates the environment once; throws a ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv, flags: RunFlags = { demo: false, withSim: false }): AppConfig {
  const known = Object.fromEntries(Object.entries(env).filter(([k, v]) => k in configSchema.shape && v !== ''));
  const parsed = configSchema.safeParse(known);
  const problems = parsed.success ? [] : [describeIssues(parsed.error, 20)];
  if (known.NODE_ENV === 'production') {
    const missing = PRODUCTION_REQUIRED.filter((k) => !known[k]);
    if (missing.length) problems.push(missing.map((k) => `${k}: is required when NODE_ENV=production`).join('; '));
  }
  const advertise = parsed.data ? advertiseUrl(parsed.data) : '';
  if (parsed.data?.CLUSTER) {
    if (advertise.length > 63) problems.push(`CLUSTER_ADVERTISE_URL: ${advertise} is longer than 63 characters (it names the leader lock's database session)`);
    const missing = (['DATABASE_URL', 'MQTT_URL'] as const).filter((k) => !known[k]);
    if (missing.length) problems.push(`CLUSTER: needs ${missing.join(' and ')} (the instances share one PostgreSQL, which holds the leader lock, and one broker)`);
    if (flags.demo) problems.push('CLUSTER: not with --demo (the demo runs an embedded broker and database of its own)');
  }
  if (parsed.data) problems.push(...mqttTlsProblems(parsed.data));
  const admin = parsed.data?.ADMIN_PASSWORD;
  if (admin !== undefined && admin.toLowerCase() === (parsed.data?.ADMIN_USERNAME ?? 'admin').toLowerCase()) problems.push('ADMIN_PASSWORD: must not be the username');
  if (!parsed.success || problems.length) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  const simulation = parsed.data.SIMULATION ?? flags.demo;
  const logFormat = parsed.data.LOG_FORMAT ?? (known.NODE_ENV === 'production' ? 'json' : 'text');
  return { ...parsed.data, CLUSTER_ADVERTISE_URL: advertise, ADMIN_USERNAME: parsed.data.ADMIN_USERNAME ?? 'admin', LOG_FORMAT: logFormat, SIMULATION: simulation, mqttPortExplicit: 'MQTT_PORT' in known, ...flags };
}

/** How the other instances of a cluster reach this one: CLUSTER_ADVERTISE_URL, else HOST and PORT. */
function advertiseUrl(c: { CLUSTER_ADVERTISE_URL?: string; HOST: string; PORT: number }): string {
  return c.CLUSTER_ADVERTISE_URL ?? `http://${c.HOST.includes(':') ? `[${c.HOST}]` : c.HOST}:${c.PORT}`;
}

/** The effective configuration with secrets masked (credentials inside URLs too). */
export function describeConfig(config: AppConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config };
  for (const key of SECRET_KEYS) {
    const v = config[key];
    if (typeof v !== 'string') continue;
    out[key] = key.endsWith('_URL') ? maskUrl(v) : '***';
  }
  return out;
}

/** A URL without its credentials: user, password and any password in the query. */
function maskUrl(raw: string): string {
  try {
    const u = new URL(raw);
    if (u.username || u.password) {
      u.username = '***';
      u.password = '';
    }
    for (const key of [...u.searchParams.keys()]) if (/pass|secret|token|key/i.test(key)) u.searchParams.set(key, '***');
    return u.toString();
  } catch {
    return '***';
  }
}
