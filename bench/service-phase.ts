/**
 * Phase 2: the same traffic into the real service (its own process, fresh DATA_DIR and database), timed
 * from the first publish until /metrics counts all M applied, then until all are committed.
 */
import { join } from 'node:path';
import { phaseCpu, startCpuWindow, type PhaseCpu } from './cpu-accounting.js';
import { summariseProfile, type ProfileSummary } from './cpu-profile-summary.js';
import { startPublishing, type PhaseRun } from './publish.js';
import { appliedSeries, ServiceProcess } from './service-process.js';
import { registryCsv } from './status-traffic.js';
import { waitForCount } from './wait.js';

const APPLIED = appliedSeries('status');
/** Observed once per message when its batch commits. */
const COMMITTED = 'sirenwatch_ingest_lag_seconds_count';
const RSS = 'process_resident_memory_bytes';

export interface ServiceRun extends PhaseRun {
  root: string;
  workDir: string;
  databaseUrl?: string;
  /** Where to write the CPU profile of the ingest (absent: no profiling). */
  cpuProfileFile?: string;
  serviceEnv: Record<string, string>;
}

export interface ServiceFigures {
  firstPublishAt: number;
  appliedAt: number;
  committedAt: number;
  /** Who took the machine's CPU, per message, over the same span; `consumer` is the service. */
  cpu: PhaseCpu;
  /** Registered and connected, before the traffic. */
  rssBeforeBytes: number;
  rssBytes: number;
  peakRssBytes: number | null;
  /** Database commits of the ingest over the traffic, and the time they took in all. */
  commits: { count: number; seconds: number };
  profile: ProfileSummary | null;
}

const COMMIT_COUNT = 'sirenwatch_db_commit_duration_seconds_count';
const COMMIT_SUM = 'sirenwatch_db_commit_duration_seconds_sum';

export async function runServicePhase(run: ServiceRun): Promise<ServiceFigures> {
  const service = await ServiceProcess.start({
    root: run.root,
    mqttUrl: run.url,
    databaseUrl: run.databaseUrl,
    dataDir: join(run.workDir, 'service-data'),
    logFile: join(run.workDir, 'service.log'),
    clientId: `sirenwatch-bench-${run.tag}`,
    cpuProf: run.cpuProfileFile !== undefined,
    extraEnv: run.serviceEnv,
  });
  run.onCleanup(`the service (pid ${service.pid})`, () => service.stop());
  await service.waitReady(90_000);
  await service.importRegistry(registryCsv(run.sirens), run.sirens);
  const before = await service.metrics();
  const rssBeforeBytes = before.get(RSS) ?? 0;
  if (run.cpuProfileFile) await service.profile({ cpuProfile: 'start' });

  const cpuWindow = startCpuWindow([run.brokerPid, service.pid], run.withPostgres);
  const publishing = startPublishing({ url: run.url, clientIdPrefix: `bench-pub2-${run.tag}`, sirens: run.sirens, messages: run.messages, bootPrefix: `b2-${run.tag}` });
  run.onCleanup('phase 2 publishers', publishing.stop);
  let metrics = new Map<string, number>();
  const read = (series: string) => async () => (metrics = await service.metrics()).get(series) ?? 0;
  let appliedAt: number;
  try {
    [, appliedAt] = await Promise.all([publishing.done, waitForCount('service: messages applied', read(APPLIED), run.messages, run.stallMs)]);
  } catch (e) {
    // Say where the messages went instead (quarantined? duplicates?).
    const seen = [...metrics].filter(([k]) => k.startsWith('sirenwatch_messages_total')).map(([k, v]) => `${k} ${v}`);
    throw new Error(`${(e as Error).message}\n${seen.join('\n') || '(no sirenwatch_messages_total yet)'}\nservice log:\n${service.logTail()}`);
  }
  const committedAt = await waitForCount('service: messages committed', read(COMMITTED), run.messages, run.stallMs);
  const cpu = cpuWindow();
  if (run.cpuProfileFile) await service.profile({ cpuProfile: 'stop', file: run.cpuProfileFile });
  const after = await service.metrics();
  const rssBytes = after.get(RSS) ?? 0;
  const delta = (series: string) => (after.get(series) ?? 0) - (before.get(series) ?? 0);
  const peakRssBytes = service.peakRssBytes();
  await service.stop();
  return {
    firstPublishAt: await publishing.started,
    appliedAt,
    committedAt,
    cpu: phaseCpu(cpu, { consumer: service.pid, broker: run.brokerPid }, run.messages, run.withPostgres),
    rssBeforeBytes,
    rssBytes,
    peakRssBytes,
    commits: { count: delta(COMMIT_COUNT), seconds: delta(COMMIT_SUM) },
    profile: run.cpuProfileFile ? summariseProfile(run.cpuProfileFile, run.root) : null,
  };
}
