import type { MessageKey } from './i18n.js';

/** A panel of the console: one entry in the routes list. */
export interface Route {
  /** `/sirens/:id` style; the `:name` parts become params. */
  path: string;
  /** Shown in the navigation when set. */
  nav?: MessageKey;
  /** A count beside the navigation entry (live), flashing while it needs attention. */
  badge?: () => { n: number; flash: boolean };
  mount(host: HTMLElement, params: Record<string, string>, query: URLSearchParams): () => void;
}

export interface Location {
  path: string;
  query: URLSearchParams;
}

export function currentLocation(): Location {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = raw.split('?');
  return { path: path || '/', query: new URLSearchParams(query) };
}

export function match(route: Route, path: string): Record<string, string> | null {
  const want = route.path.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(got[i]);
    else if (part !== got[i]) return null;
  }
  return params;
}

export function navigate(path: string, query?: URLSearchParams): void {
  const q = query?.toString();
  location.hash = q ? `${path}?${q}` : path;
}

/** Changes the query of the current panel without a new history entry or a re-mount. */
export function replaceQuery(query: URLSearchParams): void {
  const q = query.toString();
  history.replaceState(null, '', `#${currentLocation().path}${q ? `?${q}` : ''}`);
}

export const sirenHref = (id: string): string => `#/sirens/${encodeURIComponent(id)}`;
