/**
 * `npm run bench:console`: the operators' console in Chromium with a large fleet (default 10 000
 * sirens): how long the first render of the siren table and of the map takes, and how long a burst of
 * 1 000 sirens changing (a power cut: each goes on battery, turns degraded and raises a fault) takes
 * to show, end to end (MQTT → service → SSE → page), with the browser's main-thread time for it.
 * The service runs in this process (embedded broker, SQLite in a temporary directory).
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { chromium } from 'playwright-core';
import { createApp } from '../src/bootstrap.js';
import { loadConfig } from '../src/config/load-config.js';
import { EmbeddedBroker } from '../src/mqtt/embedded-broker.service.js';
import { demoCity } from '../src/protocol/demo-city.js';
import { registryToCsv } from '../src/protocol/registry-format.js';
import { sirenTopic } from '../src/protocol/topics.js';
import { freePort } from './net.js';
import { waitUntil } from './wait.js';

const SIRENS = Number(process.env.BENCH_SIRENS ?? 10_000);
const BURST = Number(process.env.BENCH_BURST ?? 1_000);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PASSWORD = 'bench-admin-password';
const ROOT = 'bench-console/v1';
const healthy = { mode: 'idle', mains: true, batteryV: 26.9, batteryPct: 93, charger: 'ok', doorOpen: false, temperatureC: 25, amplifiers: [true, true], speakerOk: true, rssiDbm: -71 };

const dataDir = mkdtempSync(join(tmpdir(), 'sirenwatch-console-bench-'));
const config = loadConfig({ DATA_DIR: dataDir, HOST: '127.0.0.1', ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'error', MQTT_TOPIC_ROOT: ROOT, MQTT_PORT: String(await freePort()) });
const app = await createApp(config);
await app.listen(0, '127.0.0.1');
const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;

async function api<T>(method: string, path: string, token: string | null, body?: string, type = 'application/json'): Promise<T> {
  const res = await fetch(base + path, { method, body, headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const { token } = await api<{ token: string }>('POST', '/api/auth/login', null, JSON.stringify({ username: 'admin', password: PASSWORD }));
const rows = demoCity(SIRENS);
await api('POST', '/api/sirens/import', token, registryToCsv(rows), 'text/csv');
const ids = rows.map((r) => r.id);
const summary = () => api<{ byHealth: Record<string, number> }>('GET', '/api/summary', token);

const client = await mqtt.connectAsync(app.get(EmbeddedBroker).url, { clientId: 'console-bench' });
const seq = new Map<string, number>();
async function status(which: string[], patch: object): Promise<void> {
  await Promise.all(
    which.map((id) => {
      const n = seq.get(id) ?? 0;
      seq.set(id, n + 1);
      const payload = { sirenId: id, bootId: 'bench', seq: n, ts: new Date().toISOString(), ...healthy, ...patch };
      return client.publishAsync(sirenTopic(ROOT, id, 'status'), JSON.stringify(payload), { qos: 1 });
    }),
  );
}
process.stdout.write(`bringing ${SIRENS} sirens online…\n`);
await Promise.all(ids.map((id) => client.publishAsync(sirenTopic(ROOT, id, 'availability'), JSON.stringify({ online: true, bdSeq: 1, bootId: 'bench', intervalS: 600 }), { qos: 1, retain: true })));
await status(ids, {});
await waitUntil('every siren ok', async () => (await summary()).byHealth.ok === SIRENS, 120_000, 500);

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
// The page's CSP forbids eval; Playwright's waitForFunction needs it (the console itself never does).
const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, bypassCSP: true });
// Notes when the first live update of a burst reaches the page, to tell the console's share from the service's.
await page.addInitScript(`{
  const Native = window.EventSource;
  window.EventSource = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('siren', () => { if (window.__armed && window.__firstAt === undefined) window.__firstAt = performance.now(); });
    }
  };
}`);
const errors: string[] = [];
page.on('pageerror', (e) => errors.push(e.message));
await page.goto(`${base}/`);
await page.click('[data-testid=lang-en]');
await page.fill('input[name=username]', 'admin');
await page.fill('input[name=password]', PASSWORD);
await page.click('button[type=submit]');
await page.waitForSelector('[data-testid=summary-total]');

/** Milliseconds from the page's navigation start until `condition` (a page expression) holds and the next frame is drawn. */
async function firstRender(hash: string, condition: string): Promise<number> {
  await page.goto(`${base}/${hash}`);
  await page.reload();
  await page.waitForFunction(condition, undefined, { timeout: 60_000, polling: 'raf' });
  return Math.round((await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))')) as number);
}

/** A burst: end to end (publish → shown), the console's share (first update in the page → shown), and the main thread meanwhile. */
async function burst(which: string[], condition: string): Promise<{ ms: number; pageMs: number; busyMs: number; longestFrameMs: number }> {
  await page.evaluate(`window.__long = []; new PerformanceObserver((l) => window.__long.push(...l.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
    window.__frame = 0; window.__last = performance.now(); window.__run = true; window.__armed = true; window.__firstAt = undefined;
    (function tick(now) { window.__frame = Math.max(window.__frame, now - window.__last); window.__last = now; if (window.__run) requestAnimationFrame(tick); })(performance.now())`);
  const t0 = Date.now();
  await status(which, { mains: false });
  await page.waitForFunction(`(${condition}) && (window.__doneAt = performance.now())`, undefined, { timeout: 60_000, polling: 'raf' });
  const ms = Date.now() - t0;
  await page.waitForTimeout(300);
  const [long, frame, pageMs] = (await page.evaluate('window.__run = false, window.__armed = false, [window.__long, window.__frame, window.__doneAt - window.__firstAt]')) as [number[], number, number];
  return { ms, pageMs: Math.round(pageMs), busyMs: Math.round(long.reduce((a, b) => a + b, 0)), longestFrameMs: Math.round(frame) };
}

const count = (n: number) => `document.querySelector('.count')?.textContent.startsWith('Showing ${n.toLocaleString('en')} of')`;
const legend = (health: string, n: number) =>
  `[...document.querySelectorAll('.legend-item')].some((b) => b.textContent.includes('${health}') && b.lastElementChild.textContent === '${n.toLocaleString('en')}')`;
const results: [string, string][] = [];
const tableMs = await firstRender('#/sirens', `${count(SIRENS)} && document.querySelector('.siren-row[data-health]') !== null`);
results.push([`first render, siren table (${SIRENS} sirens, from navigation)`, `${tableMs} ms`]);
const overviewMs = await firstRender('#/', `document.querySelector('[data-testid=summary-ok]')?.textContent === '${SIRENS}'`);
results.push([`first render, overview (from navigation)`, `${overviewMs} ms`]);
const mapMs = await firstRender('#/map', legend('OK', SIRENS));
results.push([`first render, map (${SIRENS} sirens, from navigation)`, `${mapMs} ms`]);

await page.goto(`${base}/#/sirens?health=degraded`);
await page.waitForFunction(count(0), undefined, { polling: 'raf' });
const table = await burst(ids.slice(0, BURST), count(BURST));
results.push([`burst of ${BURST} sirens going on battery, siren table (filter: degraded): publish → all shown`, `${table.ms} ms`]);
results.push(['  of which in the page: first update received → all shown', `${table.pageMs} ms`]);
results.push(['  browser main thread meanwhile: long tasks (sum) / longest frame', `${table.busyMs} ms / ${table.longestFrameMs} ms`]);
await page.goto(`${base}/#/map`);
await page.waitForFunction(legend('Degraded', BURST), undefined, { polling: 'raf' });
const map = await burst(ids.slice(BURST, 2 * BURST), legend('Degraded', 2 * BURST));
results.push([`burst of ${BURST} more on the map: publish → all drawn (legend counts them)`, `${map.ms} ms`]);
results.push(['  of which in the page: first update received → all drawn', `${map.pageMs} ms`]);
results.push(['  browser main thread meanwhile: long tasks (sum) / longest frame', `${map.busyMs} ms / ${map.longestFrameMs} ms`]);

const width = Math.max(...results.map(([k]) => k.length));
process.stdout.write(`\nconsole benchmark (${new Date().toISOString()}, Chromium at ${CHROMIUM}, 1920×1080)\n`);
for (const [k, v] of results) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
if (errors.length) process.stdout.write(`script errors: ${errors.join('; ')}\n`);

await browser.close();
await client.endAsync();
await app.close();
rmSync(dataDir, { recursive: true, force: true });
process.exit(errors.length ? 1 : 0);
