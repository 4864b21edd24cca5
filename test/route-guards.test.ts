import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { concrete, registeredRoutes, type Route } from './support/routes.js';
import { TestService } from './support/service.js';

/**
 * What the contract makes public (API.md): health, docs, login; the console page with its assets (the data is not);
 * and spoken-message audio for sirens, which only a one-time token opens (test/voice.test.ts).
 */
const PUBLIC = new Set(['GET /api/health', 'POST /api/auth/login', 'GET /', 'GET /console/:file', 'GET /api/docs', 'GET /api/docs-json', 'GET /api/voice/audio/fetch/:token']);

describe('every route is guarded by role', () => {
  let svc: TestService;
  let routes: Route[];
  let viewer: string;

  beforeAll(async () => {
    svc = await TestService.start({ backend: 'embedded' });
    routes = registeredRoutes(svc).filter((r) => !PUBLIC.has(`${r.method} ${r.path}`) && !r.path.startsWith('/api/docs'));
    const created = await svc.request('POST', '/api/users', { body: { username: 'vera', password: 'viewer-password-1', role: 'viewer' } });
    expect(created.status).toBe(201);
    viewer = await svc.token('vera', 'viewer-password-1');
  });

  afterAll(async () => svc?.close());

  it('finds the routes of every module', () => {
    const paths = new Set(routes.map((r) => `${r.method} ${r.path}`));
    for (const expected of ['GET /api/sirens', 'POST /api/sirens/import', 'GET /api/faults', 'GET /api/summary', 'GET /api/stream', 'GET /api/audit', 'POST /api/users', 'GET /metrics']) {
      expect(paths).toContain(expected);
    }
  });

  it('answers 401 without a token on every route that is not public', async () => {
    const failures: string[] = [];
    for (const r of routes) {
      // /metrics also answers loopback callers without a token by design (API.md); from here everything is loopback.
      if (r.path === '/metrics') continue;
      const res = await svc.request(r.method, concrete(r.path), { token: null, body: r.method === 'GET' ? undefined : {} });
      if (res.status !== 401) failures.push(`${r.method} ${r.path} → ${res.status}`);
    }
    expect(failures).toEqual([]);
  });

  it('answers 401 to a forged token', async () => {
    const res = await svc.request('GET', '/api/sirens', { token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.invalid' });
    expect(res.status).toBe(401);
  });

  it('answers 403 to a viewer on every write but its own session', async () => {
    const writes = routes.filter((r) => r.method !== 'GET' && r.method !== 'HEAD' && !r.path.startsWith('/api/auth/'));
    expect(writes.length).toBeGreaterThan(4);
    const failures: string[] = [];
    for (const r of writes) {
      const res = await svc.request(r.method, concrete(r.path), { token: viewer, body: {} });
      if (res.status !== 403) failures.push(`${r.method} ${r.path} → ${res.status}`);
    }
    expect(failures).toEqual([]);
  });

  it('lets a viewer read', async () => {
    expect((await svc.request('GET', '/api/summary', { token: viewer })).status).toBe(200);
    expect((await svc.request('GET', '/api/users', { token: viewer })).status).toBe(403);
  });

  it('serves the OpenAPI description and health without a token', async () => {
    const docs = await svc.request('GET', '/api/docs-json', { token: null });
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/api/sirens', '/api/faults', '/api/summary']));
    expect((await svc.request('GET', '/api/health', { token: null })).body).toMatchObject({ db: 'up' });
  });
});
