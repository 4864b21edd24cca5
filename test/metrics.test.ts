import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { backends, eventually, externalServers } from './support/env.js';
import { freshDatabase } from './support/postgres.js';
import { TestService } from './support/service.js';
import { SirenClient } from './support/siren-client.js';

/** The value of the first sample line that starts with `prefix` (name and labels), or null. */
function sample(text: string, prefix: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return line ? Number(line.split(' ').at(-1)) : null;
}

/** The Prometheus scrape of a service that has taken traffic, and the request ids of the HTTP edge. */
describe.each(backends())('metrics and request ids on %s servers', (backend) => {
  let svc: TestService;
  let dropDb: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    let databaseUrl: string | undefined;
    if (backend === 'external') ({ url: databaseUrl, drop: dropDb } = await freshDatabase(externalServers()!.databaseUrl));
    svc = await TestService.start({ backend, databaseUrl });
    await svc.register(['M-1', 'M-2']);
    await eventually(async () => (await svc.request('GET', '/api/health', { token: null })).body.mqtt === 'up', 10_000, 'mqtt up');
  });

  afterAll(async () => {
    await svc?.close();
    await dropDb?.();
  });

  it('counts ingest, batches, commits, the journal and HTTP requests by route pattern', async () => {
    const siren = new SirenClient(svc.mqttUrl, svc.topicRoot, 'M-1');
    await siren.connect();
    for (let i = 0; i < 5; i++) await siren.status();
    await siren.end();
    await eventually(async () => (await svc.get('/api/sirens/M-1/history')).length === 5, 10_000, 'five points stored');
    await svc.get('/api/sirens/M-1');
    await svc.get('/api/sirens/M-2');

    const res = await svc.request<string>('GET', '/metrics', { token: null });
    expect(res.status).toBe(200);
    const text = res.body;
    expect(sample(text, 'sirenwatch_messages_total{channel="status",result="applied"}')).toBe(5);
    expect(sample(text, 'sirenwatch_ingest_lag_seconds_count')).toBeGreaterThanOrEqual(5);
    expect(sample(text, 'sirenwatch_ingest_batch_messages_sum')).toBeGreaterThanOrEqual(5);
    expect(sample(text, 'sirenwatch_db_commit_duration_seconds_count')).toBeGreaterThan(0);
    expect(sample(text, 'sirenwatch_ingest_backlog')).toBe(0);
    expect(sample(text, 'sirenwatch_journal_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'sirenwatch_drills_running')).toBe(0);
    expect(sample(text, 'sirenwatch_sirens{health="ok"}')).toBe(1);
    // Both sirens' reads share one series: the label is the route pattern, not the path.
    expect(sample(text, 'sirenwatch_http_request_duration_seconds_count{method="GET",route="/api/sirens/:id",status="200"}')).toBe(2);
    expect(text).not.toContain('route="/api/sirens/M-1"');
    for (const name of ['sirenwatch_commands_sent_total', 'sirenwatch_command_acks_total', 'sirenwatch_drill_runs_total', 'sirenwatch_drill_verdicts_total', 'process_resident_memory_bytes']) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });

  it('echoes a caller X-Request-Id, and gives every other request a fresh one', async () => {
    const token = await svc.token();
    const headers = { authorization: `Bearer ${token}` };
    const given = await fetch(`${svc.baseUrl}/api/summary`, { headers: { ...headers, 'x-request-id': 'console-42.a' } });
    expect(given.headers.get('x-request-id')).toBe('console-42.a');
    const fresh = [await fetch(`${svc.baseUrl}/api/summary`, { headers }), await fetch(`${svc.baseUrl}/api/nowhere`, { headers })];
    const ids = fresh.map((r) => r.headers.get('x-request-id'));
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);
    // A header that could forge log lines is replaced, not echoed.
    const forged = await fetch(`${svc.baseUrl}/api/summary`, { headers: { ...headers, 'x-request-id': 'a"}{"level":"info' } });
    expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
