/**
 * The simulator as a library: a fleet of sirens on one broker, faults injected on schedule, the
 * ground truth of what the service should find, counters, and a clean stop.
 */
import { BUILTIN_PATTERNS, DEFAULT_TOPIC_ROOT } from '../src/protocol/index.js';
import type { SignalPattern } from '../src/protocol/index.js';
import type { RegistryRow } from '../src/protocol/registry-format.js';
import { systemClock } from './clock.js';
import type { Clock, TimerHandle } from './clock.js';
import { emptyCounters, tally } from './counters.js';
import type { SimulationCounters } from './counters.js';
import type { FaultProfile } from './fault-profile.js';
import { selectFaults } from './fault-selection.js';
import { fleetErrors, toSimSiren, withVoiceShare } from './fleet.js';
import { buildGroundTruth } from './ground-truth.js';
import type { GroundTruth } from './ground-truth.js';
import { mqttConnector } from './link.js';
import type { Connector } from './link.js';
import { randomStream } from './seed.js';
import { Siren } from './siren.js';
import type { SirenNotice } from './siren.js';

/** API.md's example drill: what the audible verdicts of the ground truth assume by default. */
export const DEFAULT_DRILL_PATTERNS = ['cn.pre-alert', 'cn.air-raid', 'cn.all-clear'];

export interface SimulationOptions {
  /** Broker URL, e.g. `mqtt://127.0.0.1:1883`. */
  url: string;
  sirens: RegistryRow[];
  faults?: FaultProfile;
  /** Status interval, whole seconds (default 30). */
  intervalS?: number;
  /** The `timeScale` (0 < x ≤ 1) commands may carry besides 1 (default 1). */
  timeScale?: number;
  /** Seed of every random choice (default 1); a profile's own `seed` takes over for fault selection. */
  seed?: number;
  topicRoot?: string;
  /** MQTT password of a siren (its username is its id). */
  password?: (sirenId: string) => string | undefined;
  /** A siren's command-signing secret; such a siren accepts only correctly signed commands. */
  secret?: (sirenId: string) => string | undefined;
  /** Operators' own patterns the sirens know besides the built-in library. */
  patterns?: SignalPattern[];
  /** New connections per second while the fleet comes up (default 500). */
  connectRatePerS?: number;
  connectTimeoutMs?: number;
  /** The ground truth's `generatedAt` (default: the start time); fix it for byte-identical files. */
  generatedAt?: string;
  /** Patterns of the audible drill the ground truth judges (default DEFAULT_DRILL_PATTERNS). */
  drillPatterns?: string[];
  /** Share (0–1) of the fleet that is multimedia (`voice`); default: by model, as the demo city's MMS-300. */
  voiceShare?: number;
  /** The drill's `ackTimeoutS` the ground truth assumes (default 30). */
  ackTimeoutS?: number;
  onEvent?: (event: SirenNotice) => void;
  clock?: Clock;
  connector?: Connector;
}

export interface SimulationHandle {
  readonly sirenIds: readonly string[];
  groundTruth(): GroundTruth;
  counters(): SimulationCounters;
  /** Puts a siren into (or out of) its local maintenance mode: it then rejects commands. */
  setMaintenance(sirenId: string, on: boolean): void;
  /** Resolves once every siren has connected at least once. */
  allConnected(): Promise<void>;
  /** Every connected siren publishes its own offline availability and disconnects. */
  stop(): Promise<void>;
}

export class SimulationConfigError extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join('\n'));
  }
}

export class BrokerUnreachableError extends Error {}

export function topicRootProblem(root: string): string | null {
  if (!root || /[#+]/.test(root) || root.startsWith('/') || root.endsWith('/')) return 'must be a topic without wildcards or leading/trailing "/"';
  return null;
}

function optionErrors(o: Required<Pick<SimulationOptions, 'intervalS' | 'timeScale' | 'seed' | 'topicRoot' | 'connectRatePerS'>> & Pick<SimulationOptions, 'voiceShare'>): string[] {
  const errors: string[] = [];
  if (!Number.isInteger(o.intervalS) || o.intervalS < 1 || o.intervalS > 86_400) errors.push('intervalS: a whole number of seconds, 1–86400');
  if (!(o.timeScale > 0 && o.timeScale <= 1)) errors.push('timeScale: must be > 0 and ≤ 1');
  if (!Number.isInteger(o.seed) || o.seed < 0 || o.seed > 2 ** 32 - 1) errors.push('seed: a whole number, 0–4294967295');
  const rootProblem = topicRootProblem(o.topicRoot);
  if (rootProblem) errors.push(`topicRoot: ${rootProblem}`);
  if (!(o.connectRatePerS > 0)) errors.push('connectRatePerS: must be > 0');
  if (o.voiceShare !== undefined && !(o.voiceShare >= 0 && o.voiceShare <= 1)) errors.push('voiceShare: must be from 0 to 1');
  return errors;
}

export async function startSimulation(options: SimulationOptions): Promise<SimulationHandle> {
  const clock = options.clock ?? systemClock;
  const settings = {
    intervalS: options.intervalS ?? 30,
    timeScale: options.timeScale ?? 1,
    seed: options.seed ?? 1,
    topicRoot: options.topicRoot ?? DEFAULT_TOPIC_ROOT,
    connectRatePerS: options.connectRatePerS ?? 500,
  };
  const patterns = new Map([...BUILTIN_PATTERNS, ...(options.patterns ?? [])].map((p) => [p.name, p]));
  const drillNames = options.drillPatterns ?? DEFAULT_DRILL_PATTERNS;
  const errors = [
    ...optionErrors({ ...settings, voiceShare: options.voiceShare }),
    ...fleetErrors(options.sirens),
    ...drillNames.filter((name) => !patterns.has(name)).map((name) => `drillPatterns: unknown pattern ${JSON.stringify(name)}`),
  ];
  if (errors.length) throw new SimulationConfigError(errors);
  const drillPatterns = drillNames.map((name) => patterns.get(name)!);

  const byModel = options.sirens.map(toSimSiren);
  const fleet = options.voiceShare === undefined ? byModel : withVoiceShare(byModel, options.voiceShare, (id) => randomStream(settings.seed, 'voice', id)());
  const profile = options.faults ?? { faults: [] };
  const faultSeed = profile.seed ?? settings.seed;
  const selection = selectFaults(fleet, profile, faultSeed);
  if (!selection.ok) throw new SimulationConfigError(selection.errors);
  const startedAt = clock.now();
  const groundTruth = buildGroundTruth(
    fleet,
    selection.bySiren,
    { generatedAt: options.generatedAt ?? new Date(startedAt).toISOString(), seed: faultSeed },
    { patterns: drillPatterns, timeScale: settings.timeScale, ackTimeoutS: options.ackTimeoutS ?? 30 },
  );

  const counters = emptyCounters(fleet.length);
  const everConnected = new Set<string>();
  let whenAll: (() => void) | null = null;
  const allUp = new Promise<void>((resolve) => (whenAll = resolve));
  let firstFailure = '';
  const notify = (n: SirenNotice) => {
    tally(counters, n);
    if (n.type === 'connect-failed' && !firstFailure) firstFailure = n.error;
    if (n.type === 'connected' && !everConnected.has(n.sirenId)) {
      everConnected.add(n.sirenId);
      if (everConnected.size === fleet.length) whenAll?.();
    }
    options.onEvent?.(n);
  };

  const connector = options.connector ?? mqttConnector(options.url, options.connectTimeoutMs);
  const sirens = fleet.map(
    (siren) =>
      new Siren({
        siren,
        topicRoot: settings.topicRoot,
        intervalS: settings.intervalS,
        timeScale: settings.timeScale,
        clock,
        random: randomStream(settings.seed, 'siren', siren.id),
        connector,
        password: options.password?.(siren.id),
        secret: options.secret?.(siren.id),
        findPattern: (name) => patterns.get(name),
        notify,
      }),
  );
  const byId = new Map(sirens.map((s) => [s.id, s]));

  const timers: TimerHandle[] = [];
  const later = (ms: number, fn: () => void) => timers.push(clock.setTimeout(fn, ms));
  for (const [id, assigned] of selection.bySiren) {
    const siren = byId.get(id)!;
    for (const a of assigned) {
      const atMs = (a.fault.at ?? 0) * 1000;
      // Faults from the start are in place before the first connect, so the birth already shows them.
      if (atMs === 0) siren.addFault(a);
      else later(atMs, () => siren.addFault(a));
      if ('for' in a.fault && a.fault.for !== undefined) later(atMs + a.fault.for * 1000, () => siren.removeFault(a));
    }
  }

  const stop = async () => {
    for (const t of timers) clock.clearTimeout(t);
    await Promise.all(sirens.map((s) => s.stop()));
  };

  // The first siren proves the broker is there; the rest follow at the connect rate.
  if (!(await sirens[0].start())) {
    await stop();
    throw new BrokerUnreachableError(`cannot reach the MQTT broker at ${options.url}: ${firstFailure}`);
  }
  const slotMs = 1000 / settings.connectRatePerS;
  const ramp = randomStream(settings.seed, 'ramp');
  sirens.slice(1).forEach((s, i) => later((i + ramp()) * slotMs, () => void s.start()));

  return {
    sirenIds: fleet.map((s) => s.id),
    groundTruth: () => structuredClone(groundTruth),
    counters: () => ({
      ...counters,
      sent: { ...counters.sent },
      statusFate: { ...counters.statusFate },
      connected: sirens.filter((s) => s.online).length,
      everConnected: everConnected.size,
      sounding: sirens.filter((s) => s.sounding).length,
    }),
    setMaintenance: (sirenId, on) => {
      const siren = byId.get(sirenId);
      if (!siren) throw new Error(`unknown siren ${sirenId}`);
      siren.setMaintenance(on);
    },
    allConnected: () => allUp,
    stop,
  };
}
