import { Core1764500000001 } from './migrations/0001-core.js';
import { Auth1764500000002 } from './migrations/0002-auth.js';
import { Incidents1764500000003 } from './migrations/0003-incidents.js';
import { CommandsDrills1764500000004 } from './migrations/0004-commands-drills.js';
import { DrillSchedules1764500000005 } from './migrations/0005-drill-schedules.js';
import { Alerts1764500000006 } from './migrations/0006-alerts.js';
import { Sessions1764500000007 } from './migrations/0007-sessions.js';
import { HistoryReports1764500000008 } from './migrations/0008-history-reports.js';
import { Voice1764500000009 } from './migrations/0009-voice.js';
import { sirenSecretsAtRest } from './migrations/0010-siren-secrets-at-rest.js';
import type { SecretBox } from '../common/secret-box.js';

/** The schema's history, oldest first. Add a migration here; never edit one that has shipped. */
export const MIGRATIONS = [
  Core1764500000001,
  Auth1764500000002,
  Incidents1764500000003,
  CommandsDrills1764500000004,
  DrillSchedules1764500000005,
  Alerts1764500000006,
  Sessions1764500000007,
  HistoryReports1764500000008,
  Voice1764500000009,
];

/** Every migration, those that need the at-rest key (SECRET_KEY) included. */
export const migrationsWithKey = (box: SecretBox) => [...MIGRATIONS, sirenSecretsAtRest(box)];
