import { RequestMethod, SetMetadata } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import type { ModulesContainer } from '@nestjs/core';

export const BODY_LIMIT_KEY = 'sirenwatch:body-limit';

export interface BodyLimitSpec {
  /** Largest body the route takes, in bytes. */
  bytes: number;
  /** Extra media types the route takes as raw bytes (a Buffer), e.g. audio uploads. */
  rawTypes?: string[];
}

/**
 * A route that takes a larger body than BODY_LIMIT_KB (an import, a CAP document, an audio file), or
 * media types of its own. Read once at start-up into the table the body reader consults.
 */
export const BodyLimit = (bytes: number, rawTypes: string[] = []) => SetMetadata(BODY_LIMIT_KEY, { bytes, rawTypes } satisfies BodyLimitSpec);

export interface RouteBodyLimit extends BodyLimitSpec {
  method: string;
  pattern: RegExp;
}

const join = (...parts: (string | undefined)[]) => `/${parts.flatMap((p) => (p ?? '').split('/')).filter(Boolean).join('/')}`;
/** Express path → a regular expression over the request path (`:param` is one segment). */
const toPattern = (path: string) => new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z0-9_]+/g, '[^/]+')}/?$`);

/** Every route of the app that declared BodyLimit(), from the controllers' metadata. */
export function routeBodyLimits(modules: ModulesContainer): RouteBodyLimit[] {
  const out: RouteBodyLimit[] = [];
  for (const mod of modules.values()) {
    for (const wrapper of mod.controllers.values()) {
      const ctrl = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!ctrl) continue;
      const base = Reflect.getMetadata(PATH_METADATA, ctrl) as string | undefined;
      for (const name of Object.getOwnPropertyNames(ctrl.prototype)) {
        const handler = (ctrl.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function') continue;
        const spec = (Reflect.getMetadata(BODY_LIMIT_KEY, handler) ?? Reflect.getMetadata(BODY_LIMIT_KEY, ctrl)) as BodyLimitSpec | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (!spec || method === undefined) continue;
        const path = join(base, Reflect.getMetadata(PATH_METADATA, handler) as string | undefined);
        out.push({ ...spec, method: RequestMethod[method], pattern: toPattern(path) });
      }
    }
  }
  return out;
}
