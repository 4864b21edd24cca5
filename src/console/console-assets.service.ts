import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';

/** The demo city's approximate district outlines, shipped with the console. */
const DEMO_MAP = 'nanchang-districts.geojson';
const TIME_ZONE_SLOT = '{{CONSOLE_TIME_ZONE}}';

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('console: cannot find the package root above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

/** Checks a district-outline file once: a FeatureCollection of (Multi)Polygons. */
function readMap(path: string, variable: string): string {
  let parsed: { type?: unknown; features?: { geometry?: { type?: unknown } }[] };
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${variable}: cannot read ${path} as JSON (${(e as Error).message})`);
  }
  if (parsed.type !== 'FeatureCollection' || !Array.isArray(parsed.features)) throw new Error(`${variable}: ${path} is not a GeoJSON FeatureCollection`);
  const bad = parsed.features.findIndex((f) => !['Polygon', 'MultiPolygon'].includes(String(f.geometry?.type)));
  if (bad >= 0) throw new Error(`${variable}: feature ${bad} of ${path} is not a Polygon or MultiPolygon`);
  return JSON.stringify(parsed);
}

/**
 * The built console (dist/console: index.html, scripts, styles) and the map outlines. A service
 * started without a built console still runs; its page then says how to build it.
 */
@Injectable()
export class ConsoleAssets implements OnModuleInit {
  readonly dir = join(packageRoot(), 'dist', 'console');
  private files = new Map<string, string>();
  private map: string | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onModuleInit(): void {
    if (this.config.MAP_GEOJSON) this.map = readMap(this.config.MAP_GEOJSON, 'MAP_GEOJSON');
  }

  /** index.html with the control room's time zone filled in, or null when the console is not built. */
  indexHtml(): string | null {
    const path = join(this.dir, 'index.html');
    if (!existsSync(path)) return null;
    const zone = this.config.CONSOLE_TIME_ZONE.replace(/[^A-Za-z0-9_+\-/]/g, '');
    return readFileSync(path, 'utf8').replaceAll(TIME_ZONE_SLOT, zone);
  }

  /** The absolute path of a built file by its name, only for names the build produced. */
  file(name: string): string | null {
    if (!this.files.has(name) && existsSync(this.dir)) {
      this.files = new Map(readdirSync(this.dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => [e.name, join(this.dir, e.name)]));
    }
    return this.files.get(name) ?? null;
  }

  /** The district outlines: MAP_GEOJSON, else the demo city's; null when neither is there. */
  mapJson(): string | null {
    if (this.map) return this.map;
    const demo = join(this.dir, DEMO_MAP);
    return existsSync(demo) ? (this.map = readMap(demo, 'console map')) : null;
  }
}
