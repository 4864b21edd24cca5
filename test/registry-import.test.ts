import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { SirenEntity } from '../src/sirens/siren.entity.js';
import { backends, externalServers } from './support/env.js';
import { freshDatabase } from './support/postgres.js';
import { TestService } from './support/service.js';

/** API.md's import: raw CSV / GeoJSON or multipart; good lines in, refused ones reported by line. */
describe.each(backends())('siren registry import (%s)', (backend) => {
  let svc: TestService;
  let dropDb: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    let databaseUrl: string | undefined;
    if (backend === 'external') ({ url: databaseUrl, drop: dropDb } = await freshDatabase(externalServers()!.databaseUrl));
    svc = await TestService.start({ backend, databaseUrl });
  });

  afterAll(async () => {
    await svc?.close();
    await dropDb?.();
  });

  it('imports the good lines of a CSV and names each refused line with its reason', async () => {
    const csv = [
      'id,name,districtCode,districtName,lat,lon,model,soundThresholdDb',
      'IM-1,"东湖 1, 八一广场",360102,东湖区,28.68,115.89,HDS-1000,95',
      'IM-2,Two,360102,东湖区,91,115.9,,',
      'bad id!,Three,360102,东湖区,28.6,115.9,,',
      'IM-1,Dup,360102,东湖区,28.6,115.9,,',
      'IM-4,Four,360104,青云谱区,28.62,115.92,,',
    ].join('\r\n');
    const r = await svc.request('POST', '/api/sirens/import', { body: csv, contentType: 'text/csv' });
    expect(r.status).toBe(200);
    expect(r.body.created).toBe(2);
    expect(r.body.rejected.map((x: { line: number }) => x.line)).toEqual([3, 4, 5]);
    expect(r.body.rejected[0].reason).toMatch(/^lat: /);
    expect(r.body.rejected[1].reason).toMatch(/^id: /);
    expect(r.body.rejected[2].reason).toMatch(/^id: duplicate of line 2/);
    expect((await svc.get('/api/sirens/IM-1')).name).toBe('东湖 1, 八一广场');
    expect((await svc.request('GET', '/api/sirens/IM-2')).status).toBe(404);
  });

  it('refuses a whole file whose header lacks a column, changing nothing', async () => {
    const before = (await svc.get('/api/sirens')).length;
    const r = await svc.request('POST', '/api/sirens/import', { body: 'id,name,districtCode,lat,lon\nIM-9,Nine,360102,28.6,115.9', contentType: 'text/csv' });
    expect(r.body).toMatchObject({ created: 0, updated: 0, rejected: [{ line: 1, reason: expect.stringContaining('districtName') }] });
    expect((await svc.get('/api/sirens')).length).toBe(before);
  });

  it('takes GeoJSON and multipart uploads, and updates what exists', async () => {
    const geo = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', id: 'IM-4', geometry: { type: 'Point', coordinates: [115.93, 28.63] }, properties: { name: 'Four moved', districtCode: '360104', districtName: '青云谱区' } }],
    };
    const r = await svc.request('POST', '/api/sirens/import', { body: JSON.stringify(geo), contentType: 'application/geo+json' });
    expect(r.body).toMatchObject({ created: 0, updated: 1, rejected: [] });
    expect(await svc.get('/api/sirens/IM-4')).toMatchObject({ name: 'Four moved', lat: 28.63, lon: 115.93 });
    const form = new FormData();
    form.append('file', new Blob(['id,name,districtCode,districtName,lat,lon\nIM-5,Five,360111,青山湖区,28.7,115.95\n'], { type: 'text/csv' }), 'sirens.csv');
    const res = await fetch(`${svc.baseUrl}/api/sirens/import`, { method: 'POST', body: form, headers: { authorization: `Bearer ${await svc.token()}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ created: 1, rejected: [] });
  });

  it('keeps what an import does not carry: signing secret, maintenance, capabilities and creation time', async () => {
    const csv = (name: string) => `id,name,districtCode,districtName,lat,lon\nIM-9,${name},360102,东湖区,28.68,115.9\n`;
    expect((await svc.request('POST', '/api/sirens/import', { body: csv('Nine'), contentType: 'text/csv' })).body).toMatchObject({ created: 1 });
    const sirens = svc.app.get(DataSource).getRepository(SirenEntity);
    const before = await sirens.findOne({ where: { id: 'IM-9' }, select: { id: true, secret: true, createdAt: true } });
    expect((await svc.request('PUT', '/api/sirens/IM-9/secret', { body: { secret: 'a'.repeat(32) } })).status).toBe(200);
    expect((await svc.request('PUT', '/api/sirens/IM-9/maintenance', { body: { on: true, note: 'mast repair' } })).status).toBeLessThan(300);
    expect((await svc.request('PUT', '/api/sirens/IM-9/capabilities', { body: { capabilities: ['tone', 'voice'] } })).status).toBeLessThan(300);
    const sealed = (await sirens.findOne({ where: { id: 'IM-9' }, select: { id: true, secret: true } }))!.secret;
    expect(sealed).toEqual(expect.any(String));

    expect((await svc.request('POST', '/api/sirens/import', { body: csv('Nine renamed'), contentType: 'text/csv' })).body).toMatchObject({ created: 0, updated: 1 });
    const after = await sirens.findOne({ where: { id: 'IM-9' }, select: { id: true, name: true, secret: true, maintenance: true, maintenanceNote: true, capabilities: true, createdAt: true } });
    expect(after).toMatchObject({ name: 'Nine renamed', secret: sealed, maintenance: true, maintenanceNote: 'mast repair', capabilities: ['tone', 'voice'], createdAt: before!.createdAt });
    expect(await svc.get('/api/sirens/IM-9')).toMatchObject({ name: 'Nine renamed', maintenance: true, capabilities: ['tone', 'voice'] });
  });

  it('adds one siren, refusing a duplicate and bad input with the field named', async () => {
    const body = { id: 'IM-6', name: 'Six', districtCode: '360112', districtName: '新建区', lat: 28.69, lon: 115.81 };
    expect((await svc.request('POST', '/api/sirens', { body })).status).toBe(201);
    expect((await svc.request('POST', '/api/sirens', { body })).status).toBe(409);
    const bad = await svc.request('POST', '/api/sirens', { body: { ...body, id: 'IM-7', lon: 'east' } });
    expect(bad).toMatchObject({ status: 400, body: { message: expect.stringContaining('lon') } });
  });
});
