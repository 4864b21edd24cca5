import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { monthOf, previousMonth } from '../src/reports/month.js';
import { pct } from '../src/reports/monthly-report.html.js';
import { MonthlyReports } from '../src/reports/monthly-reports.service.js';
import { backends, eventually, externalServers } from './support/env.js';
import { freshDatabase } from './support/postgres.js';
import { TestService } from './support/service.js';
import { SirenClient } from './support/siren-client.js';

const TZ = 'Asia/Shanghai';
const REGISTRY = [
  'id,name,districtCode,districtName,lat,lon',
  'RA-1,Offline siren,360102,东湖区,28.68,115.90',
  'RA-2,Battery siren,360102,东湖区,28.68,115.91',
  'RA-3,Maintained siren,360104,青云谱区,28.62,115.92',
].join('\n');
const METRICS = ['availability', 'offlineSeconds', 'impairedSeconds', 'mttrSeconds', 'repairs'] as const;

type CsvRow = Record<'section' | 'id' | 'name' | 'districtCode' | 'districtName' | 'metric' | 'value', string>;
function parseCsv(text: string): CsvRow[] {
  const [head, ...lines] = text.trimEnd().split('\r\n');
  const cols = head.split(',');
  // The registry above has no commas or quotes in its names, so a plain split reads this CSV.
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])) as CsvRow);
}
const num = (v: string) => (v === '' ? null : Number(v));

/** Availability from real fault records on both backends, and the monthly report carrying the API's very figures. */
describe.each(backends())('availability and monthly reports (%s)', (backend) => {
  let svc: TestService;
  let dropDb: (() => Promise<void>) | undefined;
  const sirens = new Map<string, SirenClient>();

  beforeAll(async () => {
    let databaseUrl: string | undefined;
    if (backend === 'external') ({ url: databaseUrl, drop: dropDb } = await freshDatabase(externalServers()!.databaseUrl));
    svc = await TestService.start({ backend, databaseUrl, env: { WILL_HOLD_S: '0.1', FAULT_FLAP_HOLDOFF_S: '0', REPORT_TIME_ZONE: TZ } });
    expect((await svc.request('POST', '/api/sirens/import', { body: REGISTRY, contentType: 'text/csv' })).body.rejected).toEqual([]);
    await eventually(async () => (await svc.request('GET', '/api/health', { token: null })).body.mqtt === 'up', 10_000, 'mqtt up');
    for (const id of ['RA-1', 'RA-2', 'RA-3']) {
      const s = new SirenClient(svc.mqttUrl, svc.topicRoot, id);
      await s.connect();
      await s.status();
      sirens.set(id, s);
    }
    const health = async (id: string) => (await svc.get(`/api/sirens/${id}`)).health;
    for (const id of sirens.keys()) await eventually(async () => (await health(id)) === 'ok', 5_000, `${id} ok`);

    // RA-1 drops off (its will) and comes back; RA-2's battery runs low and recovers; RA-3 drops off too,
    // and is put in maintenance while it is off.
    sirens.get('RA-1')!.kill();
    sirens.get('RA-3')!.kill();
    await sirens.get('RA-2')!.status({ batteryPct: 20 });
    await eventually(async () => (await health('RA-1')) === 'offline' && (await health('RA-3')) === 'offline' && (await health('RA-2')) === 'fault', 5_000, 'RA-1, RA-3 offline, RA-2 impaired');
    await new Promise((r) => setTimeout(r, 300));
    expect((await svc.request('PUT', '/api/sirens/RA-3/maintenance', { body: { on: true, note: 'report test' } })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    await sirens.get('RA-1')!.connect();
    await sirens.get('RA-3')!.connect();
    await sirens.get('RA-2')!.status({ batteryPct: 60 });
    await eventually(async () => (await health('RA-1')) === 'ok' && (await health('RA-2')) === 'ok', 5_000, 'RA-1 and RA-2 back');
    await eventually(async () => (await svc.get('/api/faults?sirenId=RA-3&state=all'))[0].clearedAt, 5_000, 'RA-3 back');
    expect((await svc.request('PUT', '/api/sirens/RA-3/maintenance', { body: { on: false } })).status).toBe(200);
  });

  afterAll(async () => {
    for (const s of sirens.values()) await s.end();
    await svc?.close();
    await dropDb?.();
  });

  const month = () => monthOf(Date.now(), TZ);

  it('measures offline and impaired time exactly as the fault records say', async () => {
    const [offline] = await svc.get('/api/faults?sirenId=RA-1&state=all');
    const [battery] = await svc.get('/api/faults?sirenId=RA-2&state=all');
    expect([offline.type, battery.type]).toEqual(['OFFLINE', 'BATTERY_LOW']);
    const from = new Date(Date.parse(offline.raisedAt) - 60_000).toISOString();
    const to = new Date(Date.now() + 1_000).toISOString();
    // A `to` in the future is cut at now.
    const rows = await svc.get(`/api/reports/availability?from=${from}&to=${to}&groupBy=siren`);
    const by = Object.fromEntries(rows.map((r: { sirenId: string }) => [r.sirenId, r]));
    const offlineS = (Date.parse(offline.clearedAt) - Date.parse(offline.raisedAt)) / 1000;
    const batteryS = (Date.parse(battery.clearedAt) - Date.parse(battery.raisedAt)) / 1000;
    expect(by['RA-1']).toMatchObject({ districtCode: '360102', districtName: '东湖区', offlineSeconds: offlineS, impairedSeconds: 0, mttrSeconds: offlineS, repairs: 1 });
    expect(by['RA-2']).toMatchObject({ offlineSeconds: 0, impairedSeconds: batteryS, mttrSeconds: batteryS, repairs: 1 });
    expect(by['RA-1'].availability).toBeLessThan(1);
    // RA-3's time off in maintenance is left out: less offline time than its fault lasted, but some.
    const [offline3] = await svc.get('/api/faults?sirenId=RA-3&state=all');
    expect(by['RA-3'].offlineSeconds).toBeGreaterThan(0.2);
    expect(by['RA-3'].offlineSeconds).toBeLessThan((Date.parse(offline3.clearedAt) - Date.parse(offline3.raisedAt)) / 1000 - 0.2);
    expect(by['RA-3']).toMatchObject({ impairedSeconds: 0, repairs: 1 });
  });

  it('prints in the monthly CSV the very figures the availability API gives for its period', async () => {
    const csv = await svc.request<string>('GET', `/api/reports/monthly.csv?month=${month()}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows = parseCsv(csv.body);
    const period = (m: string) => rows.find((r) => r.section === 'period' && r.metric === m)!.value;
    const q = `from=${period('from')}&to=${period('to')}`;
    const figure = (section: string, key: 'id' | 'districtCode', k: string, metric: string) => num(rows.find((r) => r.section === section && r[key] === k && r.metric === metric)!.value);

    const bySiren = await svc.get(`/api/reports/availability?${q}&groupBy=siren`);
    expect(bySiren.map((r: { sirenId: string }) => r.sirenId)).toEqual(['RA-1', 'RA-2', 'RA-3']);
    for (const r of bySiren) for (const m of METRICS) expect([r.sirenId, m, figure('siren', 'id', r.sirenId, m)]).toEqual([r.sirenId, m, r[m]]);
    const byDistrict = await svc.get(`/api/reports/availability?${q}&groupBy=district`);
    expect(byDistrict.map((r: { districtCode: string }) => r.districtCode)).toEqual(['360102', '360104']);
    for (const r of byDistrict) for (const m of METRICS) expect([r.districtCode, m, figure('district', 'districtCode', r.districtCode, m)]).toEqual([r.districtCode, m, r[m]]);
    expect(figure('district', 'districtCode', '360102', 'availability')).toBeLessThan(1);
    const [fleet] = await svc.get(`/api/reports/availability?${q}&groupBy=fleet`);
    for (const m of METRICS) expect([m, num(rows.find((r) => r.section === 'fleet' && r.metric === m)!.value)]).toEqual([m, fleet[m]]);

    expect(rows.filter((r) => r.section === 'worst').map((r) => r.id)).toEqual(bySiren.filter((r: { availability: number }) => r.availability < 1).sort((a: { availability: number }, b: { availability: number }) => a.availability - b.availability).map((r: { sirenId: string }) => r.sirenId));
    expect(rows.filter((r) => r.section === 'faults').map((r) => [r.id, r.value])).toEqual([['OFFLINE', '2'], ['BATTERY_LOW', '1']]);
  });

  it('prints in the HTML report, in both languages, the district figures the API gives for its period', async () => {
    const zh = await svc.request<string>('GET', `/api/reports/monthly?month=${month()}&lang=zh-CN`);
    expect(zh.headers.get('content-type')).toContain('text/html');
    expect(zh.body).toContain('警报器网络月报');
    expect(zh.body).toContain('<td>离线</td><td>紧急</td><td>2</td>');
    const [, from, to] = /data-from="([^"]+)" data-to="([^"]+)"/.exec(zh.body)!;
    for (const d of await svc.get(`/api/reports/availability?from=${from}&to=${to}&groupBy=district`)) {
      expect(zh.body).toContain(`<td>${d.districtName}</td><td>${d.districtCode}</td><td>${d.sirens}</td><td>${pct(d.availability)}</td>`);
    }
    const en = await svc.request<string>('GET', `/api/reports/monthly?month=${month()}&lang=en`);
    expect(en.body).toContain('Siren network monthly report');
    expect(en.body).toContain('<td>Battery low</td><td>major</td><td>1</td>');
  });

  it('stores last month’s report once, in both languages, and serves it back', async () => {
    const reports = svc.app.get(MonthlyReports);
    const stored = previousMonth(month());
    // The service may have stored it already (it looks at start); either way a second call stores nothing.
    await reports.storeDue();
    expect(await reports.storeDue()).toEqual([]);
    const list = await svc.get('/api/reports/monthly/stored');
    expect(list.filter((r: { month: string }) => r.month === stored).map((r: { lang: string }) => r.lang)).toEqual(['en', 'zh-CN']);
    const csv = await svc.request<string>('GET', `/api/reports/monthly/stored/${stored}/csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.body.startsWith('section,id,name,districtCode,districtName,metric,value\r\n')).toBe(true);
    const html = await svc.request<string>('GET', `/api/reports/monthly/stored/${stored}?lang=en`);
    expect(html.body).toContain(`Siren network monthly report ${stored}`);
    expect((await svc.request('GET', '/api/reports/monthly/stored/1999-01')).status).toBe(404);
  });

  it('refuses bad periods and months, naming the parameter', async () => {
    const bad = async (path: string) => {
      const r = await svc.request('GET', path);
      expect(r.status).toBe(400);
      return r.body.message as string;
    };
    expect(await bad('/api/reports/availability?from=2026-09-02T00:00:00Z&to=2026-09-01T00:00:00Z')).toContain('from');
    expect(await bad('/api/reports/availability?from=yesterday&to=2026-09-01T00:00:00Z')).toContain('from');
    expect(await bad('/api/reports/availability?from=2026-09-01T00:00:00Z&to=2026-09-02T00:00:00Z&groupBy=city')).toContain('groupBy');
    expect(await bad('/api/reports/monthly?month=2026-13')).toContain('month');
    expect(await bad('/api/reports/monthly?month=2999-01')).toContain('has not begun');
    expect(await bad(`/api/reports/monthly?month=${month()}&lang=fr`)).toContain('lang');
  });
});
