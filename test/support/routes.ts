import type { TestService } from './service.js';

export interface Route {
  method: string;
  path: string;
}

/** Every route the running app registered, read from the HTTP router itself (not listed by hand). */
export function registeredRoutes(svc: TestService): Route[] {
  const express = svc.app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } };
  return express.router.stack
    .filter((layer) => layer.route)
    .flatMap((layer) => Object.keys(layer.route!.methods).map((m) => ({ method: m.toUpperCase(), path: layer.route!.path })));
}

/** A path with every `:param` filled with an id that exists nowhere. */
export const concrete = (path: string) => path.replace(/:[A-Za-z]+/g, 'x-1');
