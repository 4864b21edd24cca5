import { expect } from '@jest/globals';
import { eventually } from './env.js';
import type { ApiClient } from './service.js';

/**
 * DESIGN.md "Nothing lost": waits until the siren's history holds `count` points, then expects them to be
 * seq 0 … count-1, each exactly once (nothing lost, nothing applied twice).
 */
export async function expectEverySeqOnce(svc: ApiClient, id: string, count: number, timeoutMs = 30_000): Promise<void> {
  const points = await eventually(async () => {
    const h = await svc.get(`/api/sirens/${id}/history?limit=100000`);
    return h.length >= count ? h : null;
  }, timeoutMs, `${id} history complete`);
  expect(points.map((p: { seq: number }) => p.seq)).toEqual(Array.from({ length: count }, (_, i) => i));
}
