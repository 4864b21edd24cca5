import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { MetricsService } from './metrics.service.js';

/** Names of every series the registry exposes (a histogram's _bucket/_sum/_count included). */
async function exposedSeries(): Promise<Set<string>> {
  const text = await new MetricsService().registry.metrics();
  const names = new Set<string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(m[1]);
    if (m[2] === 'histogram' || m[2] === 'summary') for (const s of ['_bucket', '_sum', '_count']) names.add(m[1] + s);
  }
  return names;
}

/** Every metric name a dashboard panel's PromQL refers to. */
function dashboardMetrics(): Set<string> {
  const dashboard = JSON.parse(readFileSync('deploy/grafana/sirenwatch.json', 'utf8')) as { panels: { targets?: { expr: string }[] }[] };
  const names = new Set<string>();
  for (const p of dashboard.panels) for (const t of p.targets ?? []) for (const m of t.expr.matchAll(/\b(sirenwatch_|process_|nodejs_)[a-z0-9_]+/g)) names.add(m[0]);
  return names;
}

describe('metrics', () => {
  it('exposes every name API.md requires', async () => {
    const exposed = await exposedSeries();
    for (const name of ['sirenwatch_messages_total', 'sirenwatch_quarantined_total', 'sirenwatch_ingest_lag_seconds_bucket', 'sirenwatch_sirens', 'sirenwatch_sse_clients', 'process_resident_memory_bytes']) {
      expect([name, exposed.has(name)]).toEqual([name, true]);
    }
  });

  it('exposes every metric the Grafana dashboard queries', async () => {
    const exposed = await exposedSeries();
    const queried = dashboardMetrics();
    expect(queried.size).toBeGreaterThan(20);
    expect([...queried].filter((n) => !exposed.has(n))).toEqual([]);
  });

  it('reads sampled gauges at scrape time', async () => {
    const m = new MetricsService();
    let backlog = 3;
    m.ingestBacklog.sample(() => backlog);
    expect(await m.registry.metrics()).toMatch(/^sirenwatch_ingest_backlog 3$/m);
    backlog = 0;
    expect(await m.registry.metrics()).toMatch(/^sirenwatch_ingest_backlog 0$/m);
  });
});
