import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { iso } from '../common/time.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { IncidentService, type Annunciation } from './incident.service.js';

const ATTEMPTS = 4;
const MAX_QUEUED = 1_000;

/**
 * The outgoing hook for a duty phone or SMS gateway: new critical faults and new incidents are POSTed
 * as JSON to NOTIFY_WEBHOOK_URL, retried with back-off; what still fails is counted as dead.
 */
@Injectable()
export class Notifier implements OnModuleInit {
  private readonly log = new Logger('notify');
  private queued = 0;

  constructor(
    @Inject(IncidentService) private readonly incidents: IncidentService,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const url = this.config.NOTIFY_WEBHOOK_URL;
    if (!url) return;
    this.incidents.annunciations$.subscribe((a) => {
      if (a.kind === 'fault' && a.fault.severity !== 'critical') return;
      if (this.queued >= MAX_QUEUED) return this.metrics.notifications.inc({ result: 'dead' });
      this.queued++;
      void this.send(url, body(a)).finally(() => this.queued--);
    });
  }

  private async send(url: string, payload: object): Promise<void> {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload), signal: AbortSignal.timeout(5_000) });
        if (res.ok) return void this.metrics.notifications.inc({ result: 'sent' });
        throw new Error(`HTTP ${res.status}`);
      } catch (e) {
        if (attempt === ATTEMPTS) {
          this.metrics.notifications.inc({ result: 'dead' });
          this.log.warn(`notification dropped after ${ATTEMPTS} attempts: ${(e as Error).message}`);
          return;
        }
        this.metrics.notifications.inc({ result: 'retried' });
        await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
      }
    }
  }
}

function body(a: Annunciation): object {
  if (a.kind === 'incident') {
    const i = a.incident;
    return { kind: 'incident', id: i.id, incidentKind: i.kind, districtCode: i.districtCode, districtName: i.districtName, openedAt: iso(i.openedAt), sirenCount: i.sirenCount };
  }
  const f = a.fault;
  return { kind: 'fault', id: f.id, sirenId: f.sirenId, type: f.type, severity: f.severity, raisedAt: iso(f.raisedAt), detail: f.detail };
}
