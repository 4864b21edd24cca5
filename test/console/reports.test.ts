import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { monthOf, monthRange } from '../../src/reports/month.js';
import { eventually } from '../support/env.js';
import { TestService } from '../support/service.js';
import { SirenClient } from '../support/siren-client.js';
import { browserAvailable, ConsolePage, launchBrowser, PASSWORDS } from './browser.js';

const TZ = 'Asia/Shanghai';
const REGISTRY = ['id,name,districtCode,districtName,lat,lon', 'RP-1,Tower one,360102,东湖区,28.68,115.90', 'RP-2,Tower two,360102,东湖区,28.68,115.91', 'RP-3,Tower three,360111,青山湖区,28.69,115.95'].join('\n');

/** Issue 10's console check: an administrator produces the month's availability and drill report from the reports panel. */
(browserAvailable() ? describe : describe.skip)('reports panel in a browser', () => {
  let svc: TestService;
  let browser: Browser;
  let admin: ConsolePage;
  const sirens: SirenClient[] = [];
  const month = monthOf(Date.now(), TZ);
  const { from } = monthRange(month, TZ);

  beforeAll(async () => {
    svc = await TestService.start({ backend: 'embedded', env: { WILL_HOLD_S: '0.1', REPORT_TIME_ZONE: TZ, CONSOLE_TIME_ZONE: TZ } });
    expect((await svc.request('POST', '/api/sirens/import', { body: REGISTRY, contentType: 'text/csv' })).body.rejected).toEqual([]);
    await eventually(async () => (await svc.request('GET', '/api/health', { token: null })).body.mqtt === 'up', 10_000, 'mqtt up');
    for (const id of ['RP-1', 'RP-2', 'RP-3']) {
      const s = new SirenClient(svc.mqttUrl, svc.topicRoot, id);
      await s.connect();
      await s.status();
      sirens.push(s);
    }
    // RP-1 drops off for a moment; then a silent drill no siren answers (the simulator is not running).
    sirens[0].kill();
    await eventually(async () => (await svc.get('/api/sirens/RP-1')).health === 'offline', 5_000, 'RP-1 offline');
    await sirens[0].connect();
    await eventually(async () => (await svc.get('/api/sirens/RP-1')).health !== 'offline', 5_000, 'RP-1 back');
    const drill = await svc.request('POST', '/api/drills', { body: { name: 'monthly silent test', scope: { all: true }, mode: 'silent', ackTimeoutS: 1 } });
    expect((await svc.request('POST', `/api/drills/${drill.body.id}/start`)).status).toBe(200);
    await eventually(async () => (await svc.get(`/api/drills/${drill.body.id}`)).state === 'completed', 15_000, 'drill completed');
    browser = await launchBrowser();
    admin = await ConsolePage.open(browser, svc.baseUrl);
  }, 40_000);

  afterAll(async () => {
    await admin?.close();
    await browser?.close();
    for (const s of sirens) await s.end();
    await svc?.close();
  });

  it('shows this month’s availability by district, the figures of the API for the period it shows', async () => {
    const { page } = admin;
    await admin.login('admin', PASSWORDS.admin);
    await admin.go('#/reports');
    await page.waitForSelector('[data-testid=avail-360102]');
    const [shownFrom, shownTo] = [await page.getAttribute('[data-testid=report-period]', 'data-from'), await page.getAttribute('[data-testid=report-period]', 'data-to')];
    expect(Date.parse(shownFrom!)).toBe(from);
    const q = `from=${shownFrom}&to=${shownTo}`;
    const [fleet] = await svc.get(`/api/reports/availability?${q}&groupBy=fleet`);
    expect(fleet.availability).toBeLessThan(1);
    expect(Number(await page.getAttribute('[data-testid=fleet-availability]', 'data-availability'))).toBe(fleet.availability);
    const districts = await svc.get(`/api/reports/availability?${q}&groupBy=district`);
    expect(districts.map((d: { districtCode: string }) => d.districtCode)).toEqual(['360102', '360111']);
    for (const d of districts) expect(Number(await page.getAttribute(`[data-testid=avail-${d.districtCode}]`, 'data-availability'))).toBe(d.availability);
    expect(await page.locator('[data-testid=availability-table] tbody tr').count()).toBe(2);
    expect(await page.locator('.charts figure svg').count()).toBe(1);
  });

  it('switches to single sirens, worst first', async () => {
    const { page } = admin;
    await page.click('button[data-group=siren]');
    await page.waitForSelector('[data-testid=avail-RP-1]');
    const order = await page.locator('[data-testid=availability-table] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')));
    expect(order[0]).toBe('avail-RP-1');
    expect(order).toHaveLength(3);
    expect(new URL(page.url()).hash).toBe(`#/reports?month=${month}&group=siren`);
  });

  it('downloads the month’s printable report and CSV with availability and the drill', async () => {
    const { page } = admin;
    const [html] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-monthly-html]')]);
    expect(html.suggestedFilename()).toBe(`sirenwatch-${month}-en.html`);
    const text = readFileSync((await html.path())!, 'utf8');
    expect(text).toContain(`Siren network monthly report ${month}`);
    expect(text).toContain('<td>monthly silent test</td><td>silent</td><td>completed</td>');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-monthly-csv]')]);
    const rows = readFileSync((await csv.path())!, 'utf8').split('\r\n');
    expect(rows[0]).toBe('section,id,name,districtCode,districtName,metric,value');
    expect(rows.some((r) => r.startsWith('drill,') && r.includes(',monthly silent test,,,fail,3'))).toBe(true);
    expect(rows.some((r) => r.startsWith('siren,RP-1,Tower one,360102,东湖区,offlineSeconds,') && Number(r.split(',').at(-1)) > 0)).toBe(true);
  });

  it('speaks Chinese when asked, downloads included', async () => {
    const { page } = admin;
    await page.click('[data-testid=lang-zh]');
    await page.waitForSelector('text=可用率');
    expect(await page.textContent('[data-testid=report-period]')).toContain('至');
    const [html] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-monthly-html]')]);
    expect(readFileSync((await html.path())!, 'utf8')).toContain(`警报器网络月报 ${month}`);
  });

  it('made no request to anything but the service and had no script errors', () => {
    expect(admin.foreignRequests()).toEqual([]);
    expect(admin.errors).toEqual([]);
  });
});
