/** The command line of SIMULATOR.md, checked with messages that name the option at fault. */
import { parseArgs } from 'node:util';
import { DEFAULT_TOPIC_ROOT } from '../src/protocol/index.js';
import { topicRootProblem } from './simulation.js';

export const USAGE = `Usage: npm run sim -- [options]   (or: npx sirenwatch-sim [options])

Simulated civil-defence sirens for sirenwatch: one MQTT connection per siren, PROTOCOL.md on the wire.

Options:
  --url URL              broker (default: $MQTT_URL or mqtt://localhost:1883)
  --sirens N             generate N sirens in the demo city (default 200)
  --registry FILE        use the sirens of this CSV (API.md's import format) instead
  --faults FILE          a fault profile (JSON, see devices-sim/README.md)
  --interval S           status interval in whole seconds (default 30)
  --time-scale X         the timeScale (0 < X <= 1) commands may carry besides 1 (default 1)
  --ground-truth FILE    write what was injected and how each siren should be judged
  --generated-at ISO     the ground truth's generatedAt (default: $SOURCE_DATE_EPOCH, else the start time)
  --duration S           stop cleanly (every siren says offline) after S seconds (default: run until Ctrl-C)
  --voice-share X        share (0-1) of the sirens that are multimedia (voice); default: by model (MMS-300)
  --seed N               seed of every random choice (default 1)
  --topic-root R         topic root, as the service's MQTT_TOPIC_ROOT (default ${DEFAULT_TOPIC_ROOT})
  -h, --help             show this help

Exit codes: 0 clean stop, 1 broker unreachable, 2 bad arguments, registry or fault profile.
`;

export interface CliOptions {
  help?: false;
  url: string;
  sirens: number;
  registry?: string;
  faults?: string;
  intervalS: number;
  timeScale: number;
  groundTruth?: string;
  generatedAt?: string;
  durationS?: number;
  seed: number;
  topicRoot: string;
  voiceShare?: number;
}

export class UsageError extends Error {}

function integer(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`--${name}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

function positive(name: string, text: string, max: number): number {
  const n = Number(text);
  if (!/^\d*\.?\d+$/.test(text) || !(n > 0) || n > max) throw new UsageError(`--${name}: expected a number > 0 and ≤ ${max}, got ${JSON.stringify(text)}`);
  return n;
}

function share(text: string): number {
  const n = Number(text);
  if (!/^\d*\.?\d+$/.test(text) || n > 1) throw new UsageError(`--voice-share: expected a number from 0 to 1, got ${JSON.stringify(text)}`);
  return n;
}

const URL_SCHEMES = ['mqtt:', 'mqtts:', 'tcp:', 'ssl:', 'ws:', 'wss:'];

function brokerUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--url: not a URL: ${JSON.stringify(text)}`);
  }
  if (!URL_SCHEMES.includes(url.protocol)) throw new UsageError(`--url: the scheme must be one of ${URL_SCHEMES.join(' ')}, got ${url.protocol}`);
  return text;
}

function generatedAt(option: string | undefined, epoch: string | undefined): string | undefined {
  if (option !== undefined) {
    if (Number.isNaN(Date.parse(option))) throw new UsageError(`--generated-at: not a date: ${JSON.stringify(option)}`);
    return new Date(option).toISOString();
  }
  if (epoch === undefined || epoch === '') return undefined;
  if (!/^\d+$/.test(epoch)) throw new UsageError(`SOURCE_DATE_EPOCH: expected whole seconds, got ${JSON.stringify(epoch)}`);
  return new Date(Number(epoch) * 1000).toISOString();
}

export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliOptions | { help: true } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: 'string' },
        sirens: { type: 'string' },
        registry: { type: 'string' },
        faults: { type: 'string' },
        interval: { type: 'string' },
        'time-scale': { type: 'string' },
        'ground-truth': { type: 'string' },
        'generated-at': { type: 'string' },
        duration: { type: 'string' },
        seed: { type: 'string' },
        'voice-share': { type: 'string' },
        'topic-root': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) return { help: true };
  if (values.sirens !== undefined && values.registry !== undefined) throw new UsageError('--sirens and --registry: use one or the other');
  const topicRoot = values['topic-root'] ?? DEFAULT_TOPIC_ROOT;
  const rootProblem = topicRootProblem(topicRoot);
  if (rootProblem) throw new UsageError(`--topic-root: ${rootProblem}, got ${JSON.stringify(topicRoot)}`);
  for (const file of ['registry', 'faults', 'ground-truth'] as const) {
    if (values[file] === '') throw new UsageError(`--${file}: needs a file name`);
  }
  return {
    url: brokerUrl(values.url ?? (env.MQTT_URL || 'mqtt://localhost:1883')),
    sirens: integer('sirens', values.sirens, 200, 1, 100_000),
    registry: values.registry,
    faults: values.faults,
    intervalS: integer('interval', values.interval, 30, 1, 86_400),
    timeScale: values['time-scale'] === undefined ? 1 : positive('time-scale', values['time-scale'], 1),
    groundTruth: values['ground-truth'],
    generatedAt: generatedAt(values['generated-at'], env.SOURCE_DATE_EPOCH),
    durationS: values.duration === undefined ? undefined : positive('duration', values.duration, 365 * 86_400),
    seed: integer('seed', values.seed, 1, 0, 2 ** 32 - 1),
    topicRoot,
    voiceShare: values['voice-share'] === undefined ? undefined : share(values['voice-share']),
  };
}
