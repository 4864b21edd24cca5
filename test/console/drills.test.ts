import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { startSimulation, type SimulationHandle } from '../../devices-sim/index.js';
import { registryToCsv, type RegistryRow } from '../../src/protocol/registry-format.js';
import { eventually } from '../support/env.js';
import { TestService } from '../support/service.js';
import { addUser, browserAvailable, ConsolePage, launchBrowser, PASSWORDS } from './browser.js';

const TIME_SCALE = 0.2;
const row = (id: string, districtCode: string, lon: number): RegistryRow => ({ id, name: `Drill ${id}`, districtCode, districtName: districtCode === '360102' ? '东湖区' : '青山湖区', lat: 28.68, lon });
// Three sirens in one district (the drill's scope), one elsewhere (left out).
const FLEET = [row('DR-1', '360102', 115.9), row('DR-2', '360102', 115.902), row('DR-3', '360102', 115.904), row('DR-OUT', '360111', 115.95)];
const IN_SCOPE = FLEET.filter((s) => s.districtCode === '360102').map((s) => s.id);

/** Issue 6's console checks: an engineer plans and runs a small drill from the drills panel; an operator only reads. */
(browserAvailable() ? describe : describe.skip)('drills panel in a browser', () => {
  let svc: TestService;
  let sim: SimulationHandle;
  let browser: Browser;
  let engineer: ConsolePage;
  let operator: ConsolePage;
  let drillId = '';

  beforeAll(async () => {
    svc = await TestService.start({ backend: 'embedded', env: { SIMULATION: 'true' } });
    const imported = await svc.request('POST', '/api/sirens/import', { body: registryToCsv(FLEET), contentType: 'text/csv' });
    expect(imported.body.rejected).toEqual([]);
    await addUser(svc, 'eng', 'engineer');
    await addUser(svc, 'duty-op', 'operator');
    sim = await startSimulation({ url: svc.mqttUrl, sirens: FLEET, intervalS: 5, timeScale: TIME_SCALE, topicRoot: svc.topicRoot, drillPatterns: ['test.short'], ackTimeoutS: 10 });
    await sim.allConnected();
    await eventually(async () => (await svc.get('/api/summary')).byHealth.ok === FLEET.length, 10_000, 'fleet ok');
    browser = await launchBrowser();
    engineer = await ConsolePage.open(browser, svc.baseUrl);
    operator = await ConsolePage.open(browser, svc.baseUrl);
  }, 40_000);

  afterAll(async () => {
    await engineer?.close();
    await operator?.close();
    await browser?.close();
    await sim?.stop();
    await svc?.close();
  });

  it('lets an engineer plan a drill of one district with the short test pattern', async () => {
    const { page } = engineer;
    await engineer.login('eng', PASSWORDS.engineer);
    await engineer.go('#/drills');
    await page.fill('input[name=name]', 'console drill');
    await page.check('input[name=scopeKind][value=districts]');
    await page.check('input[name=district][value="360102"]');
    // The form offers the 9·18 sequence; this drill wants the short test pattern alone.
    for (let i = 0; i < 3; i++) await page.click('.pattern-list li:first-child button[aria-label=Remove]');
    await page.selectOption('select[name=addPattern]', 'test.short');
    await page.click('.pattern-picker button[aria-label="Add pattern"]');
    expect(await page.locator('.pattern-list li[data-pattern]').evaluateAll((li) => li.map((x) => x.getAttribute('data-pattern')))).toEqual(['test.short']);
    await page.fill('input[name=ackTimeoutS]', '10');
    await page.fill('input[name=gapS]', '1');
    await page.fill('input[name=timeScale]', String(TIME_SCALE));
    await page.click('[data-testid=plan-drill]');
    await page.waitForSelector('[data-testid=drill-state][data-state=planned]');
    drillId = decodeURIComponent(new URL(page.url()).hash.replace('#/drills/', ''));
    const planned = await svc.get(`/api/drills/${drillId}`);
    expect(planned).toMatchObject({ name: 'console drill', state: 'planned', mode: 'audible', patterns: ['test.short'], scope: { districtCodes: ['360102'] }, ackTimeoutS: 10, timeScale: TIME_SCALE, createdBy: 'eng' });
  });

  it('starts it after confirmation and shows progress and verdicts live; the API agrees', async () => {
    const { page } = engineer;
    await page.evaluate('window.__sameDocument = true');
    await page.click('[data-testid=start-drill]');
    expect(await page.textContent('dialog')).toContain(`${IN_SCOPE.length} sirens take part`);
    await page.click('[data-testid=confirm]');
    await page.waitForSelector('[data-testid=drill-state][data-state=running]', { timeout: 5_000 });
    await page.waitForSelector(`[data-testid=drill-progress][data-total="${IN_SCOPE.length}"]`);
    await page.waitForSelector('[data-testid=drill-state][data-state=completed]', { timeout: 30_000 });
    await page.waitForSelector(`[data-testid=drill-progress][data-done="${IN_SCOPE.length}"]`);
    expect(await page.evaluate('window.__sameDocument')).toBe(true);

    const api = await svc.get(`/api/drills/${drillId}`);
    expect(api.state).toBe('completed');
    const truth = sim.groundTruth();
    const apiVerdicts = Object.fromEntries(api.results.map((r: { sirenId: string; verdict: string }) => [r.sirenId, r.verdict]));
    expect(Object.keys(apiVerdicts).sort()).toEqual(IN_SCOPE);
    for (const id of IN_SCOPE) expect(apiVerdicts[id]).toBe(truth.sirens[id].expectedVerdict!.audible);
    await eventually(async () => {
      const shown = await page.locator('[data-testid^=result-]').evaluateAll((rows) => Object.fromEntries(rows.map((r) => [r.getAttribute('data-testid')!.slice('result-'.length), r.getAttribute('data-verdict')])));
      const sorted = (o: Record<string, unknown>) => JSON.stringify(Object.entries(o).sort());
      return sorted(shown) === sorted(apiVerdicts);
    }, 3_000, 'verdicts on the page equal to the API');
    expect(await page.textContent('[data-testid^=result-]')).toContain('Passed');
    // The map colours the drill's sirens by verdict and leaves the fourth siren out.
    expect(await page.textContent('.legend-item[data-key=pass] .legend-count')).toBe(String(api.summary.pass));
    expect(await page.textContent('.legend-item[data-key=outside] .legend-count')).toBe('1');
    expect(await page.textContent('.district-rates')).toContain('100%');
  });

  it('downloads the CSV report with the token, through a Blob', async () => {
    const { page } = engineer;
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-csv]')]);
    expect(download.suggestedFilename()).toBe(`drill-${drillId}.csv`);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toContain('sirenId,districtCode,districtName,verdict');
    for (const id of IN_SCOPE) expect(csv).toContain(`${id},360102`);
  });

  it('plans a drill for a time in the control room’s zone, and a repeating one that can be stopped', async () => {
    const { page } = engineer;
    await engineer.go('#/drills');
    await page.fill('input[name=name]', 'later drill');
    await page.check('input[name=mode][value=silent]');
    await page.check('input[name=when][value=at]');
    await page.fill('input[name=scheduledAt]', '2030-09-18T10:00');
    await page.click('[data-testid=plan-drill]');
    await page.waitForSelector('[data-testid=drill-state][data-state=planned]');
    const laterId = decodeURIComponent(new URL(page.url()).hash.replace('#/drills/', ''));
    // 10:00 in Asia/Shanghai (the console's default zone), whatever the browser's zone (Europe/Berlin).
    expect(await svc.get(`/api/drills/${laterId}`)).toMatchObject({ mode: 'silent', scheduledAt: '2030-09-18T02:00:00.000Z' });

    await engineer.go('#/drills');
    await page.fill('input[name=name]', 'yearly 9·18');
    await page.check('input[name=when][value=repeat]');
    await page.fill('input[name=cron]', '0 10 18 9 *');
    await page.click('[data-testid=plan-drill]');
    const [schedule] = await eventually(async () => {
      const list = await svc.get('/api/drill-schedules');
      return list.length ? list : null;
    }, 3_000, 'schedule saved');
    expect(schedule).toMatchObject({ name: 'yearly 9·18', cron: '0 10 18 9 *', timeZone: 'Asia/Shanghai', enabled: true, plan: { patterns: ['cn.pre-alert', 'cn.air-raid', 'cn.all-clear'] } });
    await page.click(`[data-testid=schedule-${schedule.id}] button`);
    await page.click('[data-testid=confirm]');
    await page.waitForSelector(`[data-testid=schedule-${schedule.id}]`, { state: 'detached' });
    expect((await svc.get('/api/drill-schedules'))[0].enabled).toBe(false);
  });

  it('shows an operator the drills and results, but no plan, start or abort controls', async () => {
    const { page } = operator;
    await operator.login('duty-op', PASSWORDS.operator);
    await operator.go('#/drills');
    await page.waitForSelector(`[data-testid=drill-${drillId}][data-state=completed]`);
    expect(await page.locator('form.plan-form').count()).toBe(0);
    await operator.go(`#/drills/${drillId}`);
    await page.waitForSelector('[data-testid=drill-state][data-state=completed]');
    await page.waitForSelector('[data-testid=download-report]');
    expect(await page.locator('[data-testid=start-drill], [data-testid=abort-drill]').count()).toBe(0);
    const refused = await svc.request('POST', '/api/drills', { token: await svc.token('duty-op', PASSWORDS.operator), body: { name: 'x', scope: { all: true }, mode: 'silent' } });
    expect(refused.status).toBe(403);
  });

  it('made no request to anything but the service and had no script errors', () => {
    for (const p of [engineer, operator]) {
      expect(p.foreignRequests()).toEqual([]);
      expect(p.errors).toEqual([]);
    }
  });
});
