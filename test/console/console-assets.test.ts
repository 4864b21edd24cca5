import { afterAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, tempDir } from '../support/env.js';
import { TestService } from '../support/service.js';

/** Starts the built service as `npm run serve` would; a start that should fail ends with its exit code and output. */
async function serve(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const ports = { PORT: String(await freePort()), MQTT_PORT: String(await freePort()) };
  return new Promise((resolve) => {
    execFile(process.execPath, ['dist/src/main.js'], { env: { PATH: process.env.PATH ?? '', DATA_DIR: tempDir(), LOG_LEVEL: 'warn', ...ports, ...env }, timeout: 20_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, output: stdout + stderr }),
    );
  });
}

const outline = {
  type: 'FeatureCollection',
  features: [{ type: 'Feature', properties: { code: '110101', name: '东城区', name_en: 'Dongcheng' }, geometry: { type: 'Polygon', coordinates: [[[116.4, 39.9], [116.43, 39.9], [116.43, 39.93], [116.4, 39.9]]] } }],
};

/** How the service serves the console: page, files, the deployment's map and time zone. */
describe('the console as the service serves it', () => {
  const services: TestService[] = [];
  afterAll(async () => {
    for (const s of services) await s.close();
  });

  it('serves the page with the control room’s time zone, a same-origin-only policy, and the deployment’s map', async () => {
    const file = join(tempDir(), 'city.geojson');
    writeFileSync(file, JSON.stringify(outline));
    const svc = await TestService.start({ backend: 'embedded', env: { MAP_GEOJSON: file, CONSOLE_TIME_ZONE: 'Asia/Urumqi' } });
    services.push(svc);
    const page = await fetch(`${svc.baseUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('<meta name="sirenwatch-time-zone" content="Asia/Urumqi">');
    const map = await fetch(`${svc.baseUrl}/console/map.geojson`);
    expect(map.headers.get('content-type')).toContain('application/geo+json');
    expect(await map.json()).toEqual(outline);
    expect((await fetch(`${svc.baseUrl}/console/main.js`)).headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${svc.baseUrl}/console/..%2F..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${svc.baseUrl}/console/main.ts`)).status).toBe(404);
  });

  it('refuses to start with a map file that is not district outlines, naming MAP_GEOJSON', async () => {
    const file = join(tempDir(), 'points.geojson');
    writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [116.4, 39.9] } }] }));
    const points = await serve({ MAP_GEOJSON: file });
    expect(points.code).toBe(1);
    expect(points.output).toMatch(/MAP_GEOJSON: feature 0 of .* is not a Polygon or MultiPolygon/);
    const missing = await serve({ MAP_GEOJSON: '/nonexistent/city.geojson' });
    expect(missing.code).toBe(1);
    expect(missing.output).toContain('MAP_GEOJSON: cannot read /nonexistent/city.geojson');
  });

  it('refuses a time zone that does not exist, naming CONSOLE_TIME_ZONE', async () => {
    const r = await serve({ CONSOLE_TIME_ZONE: 'Mars/Olympus' });
    expect(r.code).toBe(1);
    expect(r.output).toContain('CONSOLE_TIME_ZONE');
  });
});
