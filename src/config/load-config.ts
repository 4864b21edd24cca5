import { configSchema, SECRET_KEYS, type AppConfig } from './config.schema.js';
import { describeIssues } from '../protocol/parse.js';

export class ConfigError extends Error {}

export interface RunFlags {
  demo: boolean;
  withSim: boolean;
}

/** Reads and validates the environment once; throws a ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv, flags: RunFlags = { demo: false, withSim: false }): AppConfig {
  const known = Object.fromEntries(Object.entries(env).filter(([k, v]) => k in configSchema.shape && v !== ''));
  const parsed = configSchema.safeParse(known);
  if (!parsed.success) throw new ConfigError(`invalid configuration: ${describeIssues(parsed.error, 20)}`);
  const simulation = parsed.data.SIMULATION ?? flags.demo;
  return { ...parsed.data, SIMULATION: simulation, ...flags };
}

/** The effective configuration with secrets masked (credentials inside URLs too). */
export function describeConfig(config: AppConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config };
  for (const key of SECRET_KEYS) {
    const v = config[key];
    if (typeof v !== 'string') continue;
    out[key] = key.endsWith('_URL') ? v.replace(/\/\/[^@/]*@/, '//***@') : '***';
  }
  return out;
}
