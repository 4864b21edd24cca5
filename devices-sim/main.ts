#!/usr/bin/env node
/** `npm run sim -- …`: the field simulator on the command line (SIMULATOR.md). */
import { readFile, writeFile } from 'node:fs/promises';
import { demoCity } from '../src/protocol/demo-city.js';
import { parseRegistryCsv } from '../src/protocol/registry-format.js';
import type { RegistryRow } from '../src/protocol/registry-format.js';
import { parseCli, UsageError, USAGE } from './cli-args.js';
import type { CliOptions } from './cli-args.js';
import { parseFaultProfile } from './fault-profile.js';
import type { FaultProfile } from './fault-profile.js';
import { startProgress } from './progress.js';
import type { Progress } from './progress.js';
import { BrokerUnreachableError, SimulationConfigError, startSimulation } from './simulation.js';
import type { SimulationHandle } from './simulation.js';

/** Exit codes. */
const OK = 0;
const UNREACHABLE = 1;
const BAD_INPUT = 2;

class InputError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
  }
}

async function readText(option: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new InputError([`--${option} ${path}: cannot read it (${(e as Error).message})`]);
  }
}

async function loadFleet(cli: CliOptions, warn: (line: string) => void): Promise<RegistryRow[]> {
  // The service's demo registry is demoCity() with its default seed: the same sirens, whatever --seed.
  if (!cli.registry) return demoCity(cli.sirens);
  const parsed = parseRegistryCsv(await readText('registry', cli.registry));
  const refused = parsed.rejected.map((r) => `--registry ${cli.registry} line ${r.line}: ${r.reason}`);
  if (parsed.rows.length === 0) throw new InputError([...refused, `--registry ${cli.registry}: no usable sirens`]);
  // As the service's import does: good lines are used, refused ones are reported.
  for (const line of refused) warn(`${line} (siren left out)`);
  return parsed.rows.map((r) => r.row);
}

async function loadFaults(cli: CliOptions): Promise<FaultProfile | undefined> {
  if (!cli.faults) return undefined;
  const result = parseFaultProfile(await readText('faults', cli.faults));
  if (!result.ok) throw new InputError(result.errors.map((e) => `--faults ${cli.faults}: ${e}`));
  return result.profile;
}

/** Resolves on Ctrl-C, SIGTERM or the end of --duration; a second Ctrl-C quits at once. */
function stopRequested(cli: CliOptions, progress: Progress): Promise<void> {
  return new Promise((resolve) => {
    let asked = false;
    const ask = (why: string) => {
      if (asked) process.exit(130);
      asked = true;
      progress.note(`${why}: stopping, every siren says offline…`);
      resolve();
    };
    process.on('SIGINT', () => ask('interrupted'));
    process.on('SIGTERM', () => ask('terminated'));
    if (cli.durationS !== undefined) setTimeout(() => ask(`${cli.durationS} s are up`), cli.durationS * 1000);
  });
}

async function run(cli: CliOptions): Promise<number> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const sirens = await loadFleet(cli, log);
  const faults = await loadFaults(cli);
  let progress: Progress | null = null;
  let handle: SimulationHandle;
  try {
    handle = await startSimulation({
      url: cli.url,
      sirens,
      faults,
      intervalS: cli.intervalS,
      timeScale: cli.timeScale,
      voiceShare: cli.voiceShare,
      seed: cli.seed,
      topicRoot: cli.topicRoot,
      generatedAt: cli.generatedAt,
      onEvent: (e) => progress?.onEvent(e),
    });
  } catch (e) {
    if (e instanceof BrokerUnreachableError) {
      log(`sirenwatch-sim: ${e.message}`);
      log('Is the broker running? Set it with --url or MQTT_URL.');
      return UNREACHABLE;
    }
    throw e;
  }
  progress = startProgress(process.stdout, () => handle.counters());
  progress.note(`${sirens.length} sirens on ${cli.url} (topic root ${cli.topicRoot}, seed ${cli.seed}, interval ${cli.intervalS} s)`);
  if (cli.groundTruth) {
    await writeFile(cli.groundTruth, `${JSON.stringify(handle.groundTruth(), null, 2)}\n`);
    progress.note(`ground truth written to ${cli.groundTruth}`);
  }
  await stopRequested(cli, progress);
  await handle.stop();
  progress.stop();
  const c = handle.counters();
  process.stdout.write(`stopped cleanly: ${c.sentTotal} messages sent, ${c.faultsInjected} faults injected\n`);
  return OK;
}

async function main(argv: string[]): Promise<number> {
  try {
    const cli = parseCli(argv, process.env);
    if (cli.help) {
      process.stdout.write(USAGE);
      return OK;
    }
    return await run(cli);
  } catch (e) {
    if (e instanceof UsageError) process.stderr.write(`sirenwatch-sim: ${e.message}\nTry --help.\n`);
    else if (e instanceof InputError || e instanceof SimulationConfigError) {
      const lines = e instanceof InputError ? e.lines : e.errors;
      for (const line of lines) process.stderr.write(`sirenwatch-sim: ${line}\n`);
    } else throw e;
    return BAD_INPUT;
  }
}

process.exitCode = await main(process.argv.slice(2));
// mqtt.js and the signal handlers would keep the process alive after a clean stop.
process.exit();
