import { mountAlerts } from './alerts-view.js';
import { mountDrillView } from './drill-view.js';
import { mountDrills } from './drills-view.js';
import { mountMap } from './map-view.js';
import { mountOverview } from './overview-view.js';
import { mountReports } from './reports-view.js';
import type { Route } from './router.js';
import { mountSirenDetail } from './siren-detail-view.js';
import { mountSirenTable } from './siren-table-view.js';
import { store } from './store.js';
import { mountVoice } from './voice-view.js';

/** Active alerts beside "Alerts"; flashing while one that arrived has not been opened. */
function activeAlerts(): { n: number; flash: boolean } {
  let n = 0;
  for (const a of store.alerts.values()) if (a.state === 'active') n++;
  return { n, flash: store.unseenAlerts.size > 0 };
}

/** The console's panels, in navigation order. */
export const ROUTES: Route[] = [
  { path: '/', nav: 'nav.overview', mount: mountOverview },
  { path: '/map', nav: 'nav.map', mount: mountMap },
  { path: '/sirens', nav: 'nav.sirens', mount: mountSirenTable },
  { path: '/sirens/:id', mount: mountSirenDetail },
  { path: '/alerts', nav: 'nav.alerts', badge: activeAlerts, mount: mountAlerts },
  { path: '/alerts/:id', mount: mountAlerts },
  { path: '/drills', nav: 'nav.drills', mount: mountDrills },
  { path: '/drills/:id', mount: mountDrillView },
  { path: '/reports', nav: 'nav.reports', mount: mountReports },
  { path: '/voice', nav: 'nav.voice', mount: mountVoice },
  { path: '/voice/:id', mount: mountVoice },
];
