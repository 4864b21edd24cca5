import { mountMap } from './map-view.js';
import { mountOverview } from './overview-view.js';
import type { Route } from './router.js';
import { mountSirenDetail } from './siren-detail-view.js';
import { mountSirenTable } from './siren-table-view.js';

/** The console's panels, in navigation order. A later panel (drills, alerts) is one more line here. */
export const ROUTES: Route[] = [
  { path: '/', nav: 'nav.overview', mount: mountOverview },
  { path: '/map', nav: 'nav.map', mount: mountMap },
  { path: '/sirens', nav: 'nav.sirens', mount: mountSirenTable },
  { path: '/sirens/:id', mount: mountSirenDetail },
];
