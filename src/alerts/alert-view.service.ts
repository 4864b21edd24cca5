import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { iso } from '../common/time.js';
import { DrillRunner } from '../drills/drill-runner.service.js';
import { DrillService } from '../drills/drill.service.js';
import type { DrillEntity } from '../drills/drill.entity.js';
import { FleetView } from '../live/fleet-view.service.js';
import { StreamHub } from '../live/stream-hub.service.js';
import { RegistryService } from '../sirens/registry.service.js';
import type { AlertEntity } from './alert.entity.js';
import { AlertService } from './alert.service.js';
import { covers } from './coverage.js';

const READY = new Set(['ok', 'degraded']);

/**
 * An alert as the operator sees it: the info block in their language, the covered sirens and how many
 * can sound now, and its activation's outcome. Pushed as SSE `alert` events when the alert changes or
 * the health of a siren it covers does (at most once a second per alert).
 */
@Injectable()
export class AlertView implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('alerts');
  private readonly geocodeNames: Set<string>;
  private active = new Map<string, AlertEntity>();
  private dirty = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(AlertService) private readonly alerts: AlertService,
    @Inject(RegistryService) private readonly registry: RegistryService,
    @Inject(FleetView) private readonly fleet: FleetView,
    @Inject(StreamHub) private readonly stream: StreamHub,
    @Inject(DrillService) private readonly drills: DrillService,
    @Inject(DrillRunner) private readonly drillRunner: DrillRunner,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.geocodeNames = new Set(config.ALERT_GEOCODE_NAMES);
  }

  async onModuleInit(): Promise<void> {
    await this.refreshActive();
    this.fleet.provideCount('activeAlerts', () => this.active.size);
    this.fleet.wantSirenEvents(() => this.active.size > 0);
    this.alerts.changed$.subscribe((id) => {
      this.dirty.add(id);
      this.refreshActive().catch((e: Error) => this.log.error(`active alerts not refreshed: ${e.message}`));
    });
    this.fleet.events$.subscribe((batch) => {
      for (const e of batch) {
        if (e.event !== 'siren') continue;
        for (const a of this.active.values()) if (covers(this.areas(a), e.data, this.geocodeNames)) this.dirty.add(a.id);
      }
    });
    this.drillRunner.changes$.subscribe((d) => {
      if (d.alertId) this.dirty.add(d.alertId);
    });
    // A database outage must not become an unhandled rejection (it would end the process): log and go on.
    this.timer = setInterval(() => void this.publish().catch((e: Error) => this.log.error(`alert views not published: ${e.message}`)), 1_000);
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The sirens an alert's areas cover, ids sorted. */
  covered(a: AlertEntity): string[] {
    const areas = this.areas(a);
    return [...this.registry.all()].filter((s) => covers(areas, s, this.geocodeNames)).map((s) => s.id).sort();
  }

  async view(a: AlertEntity, language?: string) {
    const info = pickInfo(a, language);
    const covered = this.covered(a).map((id) => ({ sirenId: id, health: this.fleet.health(this.registry.get(id)!) }));
    const notReady = covered.filter((c) => !READY.has(c.health));
    return {
      id: a.id,
      identifier: a.identifier,
      sender: a.sender,
      sent: a.sent,
      status: a.status,
      msgType: a.msgType,
      scope: a.scope,
      event: info?.event ?? null,
      urgency: info?.urgency ?? null,
      severity: info?.severity ?? null,
      certainty: info?.certainty ?? null,
      headline: info?.headline ?? null,
      description: info?.description ?? null,
      instruction: info?.instruction ?? null,
      language: info?.language ?? null,
      languages: a.infos.map((i) => i.language),
      areas: info?.area ?? [],
      expiresAt: iso(a.expiresAt),
      receivedAt: iso(a.receivedAt),
      references: a.refs,
      state: a.state,
      coverage: { sirens: covered.length, ready: covered.length - notReady.length, notReady },
      activation: await this.activation(a),
      spokenMessages: await Promise.all((await this.drills.voiceRunsFor(a.id)).map((d) => this.outcome(d))),
    };
  }

  private async activation(a: AlertEntity) {
    if (!a.activationId) return null;
    const d = await this.drills.require(a.activationId);
    return { ...(await this.outcome(d)), pattern: d.patterns[0] };
  }

  /** A run for the alert (its activation, or a spoken message to its area): how many passed and failed so far. */
  private async outcome(d: DrillEntity) {
    const judged = (await this.drills.resultsOf(d.id)).filter((r) => r.verdict !== null);
    return { id: d.id, state: d.state, exercise: d.exercise, sounded: judged.filter((r) => r.verdict === 'PASS').length, failed: judged.filter((r) => r.verdict !== 'PASS').length };
  }

  /** Every info block's areas: an alert covers what any of its languages describes. */
  private areas(a: AlertEntity) {
    return a.infos.flatMap((i) => i.area);
  }

  private async refreshActive(): Promise<void> {
    this.active = new Map((await this.alerts.list(true)).map((a) => [a.id, a]));
    this.fleet.summaryChanged();
  }

  private async publish(): Promise<void> {
    // A sounding (or speaking) alert's outcome moves with every siren's report.
    for (const a of this.active.values()) if (this.drillRunner.runningFor(a.id)) this.dirty.add(a.id);
    const ids = [...this.dirty];
    this.dirty = new Set();
    for (const id of ids) {
      const a = this.active.get(id) ?? (await this.alerts.require(id).catch(() => null));
      if (a) this.stream.publish('alert', await this.view(a));
    }
  }
}

/** The info block in the wanted language (zh matches zh-CN), else the first. */
export function pickInfo(a: AlertEntity, language?: string) {
  if (!language) return a.infos[0];
  const want = language.toLowerCase();
  return a.infos.find((i) => i.language.toLowerCase() === want) ?? a.infos.find((i) => i.language.toLowerCase().split('-')[0] === want.split('-')[0]) ?? a.infos[0];
}
