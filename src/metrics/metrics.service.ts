import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The Prometheus registry and the metric names of API.md, in one place. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly messages = new Counter({
    name: 'sirenwatch_messages_total',
    help: 'Siren messages by channel and result (applied, duplicate, late, quarantined)',
    labelNames: ['channel', 'result'] as const,
    registers: [this.registry],
  });
  readonly quarantined = new Counter({
    name: 'sirenwatch_quarantined_total',
    help: 'Messages kept in quarantine, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly ingestLag = new Histogram({
    name: 'sirenwatch_ingest_lag_seconds',
    help: 'Broker receive to database commit',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  /** Filled at scrape time by whoever knows the fleet's health (see `onScrapeSirens`). */
  private sirensCollector: (() => Record<string, number>) | null = null;
  readonly sirens = new Gauge({
    name: 'sirenwatch_sirens',
    help: 'Sirens by health',
    labelNames: ['health'] as const,
    registers: [this.registry],
    collect: () => {
      const counts = this.sirensCollector?.() ?? {};
      for (const [health, n] of Object.entries(counts)) this.sirens.set({ health }, n);
    },
  });
  /** Always 1 here (set below): a standby of a cluster is not this service but a forwarder that says 0 (src/cluster). */
  readonly leader = new Gauge({ name: 'sirenwatch_leader', help: '1 on the instance that holds the leader lock', registers: [this.registry] });
  readonly sseClients = new Gauge({ name: 'sirenwatch_sse_clients', help: 'Connected live-stream clients', registers: [this.registry] });
  readonly seqLost = new Counter({ name: 'sirenwatch_seq_lost_total', help: 'Siren messages lost in transit (seq gaps)', registers: [this.registry] });
  readonly annunciations = new Counter({
    name: 'sirenwatch_annunciations_total',
    help: 'Lines put in front of the operator: single faults and incidents',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly annunciations10m = new Gauge({ name: 'sirenwatch_annunciations_10m', help: 'Annunciations in the last 10 minutes', registers: [this.registry] });
  readonly floodSeconds = new Counter({
    name: 'sirenwatch_flood_seconds_total',
    help: 'Time with more annunciations in 10 minutes than an operator can handle (FLOOD_ANNUNCIATIONS)',
    registers: [this.registry],
  });
  readonly notifications = new Counter({
    name: 'sirenwatch_notifications_total',
    help: 'Webhook notifications by result (sent, retried, dead)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly commitFailures = new Counter({ name: 'sirenwatch_commit_failures_total', help: 'Failed ingest batch commits', registers: [this.registry] });

  readonly ingestBatch = new Histogram({
    name: 'sirenwatch_ingest_batch_messages',
    help: 'Siren messages committed per write-behind batch',
    buckets: [1, 10, 50, 100, 500, 1000, 5000, 20000],
    registers: [this.registry],
  });
  readonly commitDuration = new Histogram({
    name: 'sirenwatch_db_commit_duration_seconds',
    help: 'Duration of one write-behind batch transaction',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly ingestBacklog = this.sampled('sirenwatch_ingest_backlog', 'Messages acknowledged to the broker but not yet committed to the database');
  readonly journalBytes = this.sampled('sirenwatch_journal_bytes', 'Ingest journal size on disk');
  readonly commandsSent = new Counter({
    name: 'sirenwatch_commands_sent_total',
    help: 'Commands published to sirens, by type and whether publishing failed',
    labelNames: ['type', 'result'] as const,
    registers: [this.registry],
  });
  readonly commandAcks = new Counter({
    name: 'sirenwatch_command_acks_total',
    help: 'Acks to commands, by result (accepted, rejected)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly drillRuns = new Counter({
    name: 'sirenwatch_drill_runs_total',
    help: 'Drill runs (alert activations included) that ended, by outcome (completed, aborted)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly drillVerdicts = new Counter({
    name: 'sirenwatch_drill_verdicts_total',
    help: 'Sirens judged by completed drills, by verdict',
    labelNames: ['verdict'] as const,
    registers: [this.registry],
  });
  /** Seconds per sweep; ÷ `sirenwatch_sweep_sirens` gives the cost per siren, which must stay flat as the fleet grows. */
  readonly sweepSeconds = new Histogram({
    name: 'sirenwatch_sweep_seconds',
    help: 'Duration of one offline sweep (due wills and silence) over every siren',
    // A sweep reads only the sirens due (sweep-schedule.ts): about 0.2 ms for 100 000.
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5],
    registers: [this.registry],
  });
  readonly sweepSirens = new Gauge({ name: 'sirenwatch_sweep_sirens', help: 'Sirens covered by the last offline sweep (it reads only those due; src/sirens/sweep-schedule.ts)', registers: [this.registry] });
  readonly drillsRunning = this.sampled('sirenwatch_drills_running', 'Drills running now');
  readonly httpDuration = new Histogram({
    name: 'sirenwatch_http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status (the live stream excepted)',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [this.registry],
  });

  onScrapeSirens(collect: () => Record<string, number>): void {
    this.sirensCollector = collect;
  }

  /** A gauge read at scrape time from whoever registers with `sample(fn)`. */
  private sampled(name: string, help: string) {
    let read: (() => number) | null = null;
    const gauge = new Gauge({ name, help, registers: [this.registry], collect: () => void (read && gauge.set(read())) });
    return { sample: (fn: () => number) => void (read = fn) };
  }

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.leader.set(1);
  }
}
