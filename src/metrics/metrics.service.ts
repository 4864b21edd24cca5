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
  readonly ingestBacklog = new Gauge({
    name: 'sirenwatch_ingest_backlog',
    help: 'Messages journalled and applied but not yet committed (acks stop at INGEST_MAX_PENDING)',
    registers: [this.registry],
  });

  onScrapeSirens(collect: () => Record<string, number>): void {
    this.sirensCollector = collect;
  }

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
