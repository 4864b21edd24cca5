import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { DomainError } from '../common/domain-error.js';
import { DrillService } from '../drills/drill.service.js';
import type { AlertEntity } from './alert.entity.js';
import { AlertService } from './alert.service.js';
import { AlertView, pickInfo } from './alert-view.service.js';

/** Test, Draft and System messages never sound (CAP: not meant for the public). */
const NEVER_SOUNDS = new Set(['Test', 'Draft', 'System']);

/** Sounds the sirens covering an alert, on an operator's confirmation, tracked siren by siren as a drill. */
@Injectable()
export class AlertActivation {
  constructor(
    @Inject(AlertService) private readonly alerts: AlertService,
    @Inject(AlertView) private readonly views: AlertView,
    @Inject(DrillService) private readonly drills: DrillService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async activate(id: string, pattern: string | undefined, actor: string): Promise<AlertEntity> {
    const alert = await this.alerts.require(id);
    if (alert.state !== 'active') throw new DomainError('CONFLICT', `alert ${id} is ${alert.state}; only an active alert can sound`);
    if (NEVER_SOUNDS.has(alert.status)) throw new DomainError('CONFLICT', `a ${alert.status} alert never sounds`);
    if (alert.activationId && (await this.drills.require(alert.activationId)).state === 'running') {
      throw new DomainError('CONFLICT', `alert ${id} is sounding already (activation ${alert.activationId})`);
    }
    const info = pickInfo(alert, 'zh-CN');
    const activation = await this.drills.activateForAlert(
      {
        alertId: id,
        name: `${info?.event ?? 'alert'} — ${alert.identifier}`,
        pattern: pattern ?? this.config.ALERT_DEFAULT_PATTERN,
        sirenIds: this.views.covered(alert),
        // Only a real (Actual) alert sounds as the real thing.
        exercise: alert.status !== 'Actual',
      },
      actor,
    );
    await this.alerts.setActivation(id, activation.id);
    return { ...alert, activationId: activation.id };
  }
}
