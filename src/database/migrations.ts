import { Core1764500000001 } from './migrations/0001-core.js';
import { Auth1764500000002 } from './migrations/0002-auth.js';
import { Incidents1764500000003 } from './migrations/0003-incidents.js';
import { CommandsDrills1764500000004 } from './migrations/0004-commands-drills.js';
import { DrillSchedules1764500000005 } from './migrations/0005-drill-schedules.js';
import { Alerts1764500000006 } from './migrations/0006-alerts.js';
import { Sessions1764500000007 } from './migrations/0007-sessions.js';

/** The schema's history, oldest first. Add a migration here; never edit one that has shipped. */
export const MIGRATIONS = [Core1764500000001, Auth1764500000002, Incidents1764500000003, CommandsDrills1764500000004, DrillSchedules1764500000005, Alerts1764500000006, Sessions1764500000007];
