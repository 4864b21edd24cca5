import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { STATUS_CODES } from 'node:http';
import { backends } from './support/env.js';
import { Fuzzer, fuzzSeed } from './support/fuzz.js';
import { serviceOn } from './support/on-backend.js';
import { concrete, registeredRoutes, type Route } from './support/routes.js';
import type { TestService } from './support/service.js';

const PER_ROUTE = Number(process.env.FUZZ_PER_ROUTE ?? 40);
/** The whole run stops sending after this, whatever is left (every load loop is bounded in time too). */
const BUDGET_MS = 40_000;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Logout takes no body and would end the fuzzer's own session. */
const SKIP = new Set(['POST /api/auth/logout']);
const STACK = /\n\s+at |\bat \S+ \(|\.(ts|js):\d+|node_modules|Error:/;

describe.each(backends())('hostile HTTP bodies (%s)', (backend) => {
  const seed = fuzzSeed();
  const fz = new Fuzzer(seed);
  let svc: TestService;
  let close: () => Promise<void>;
  let writes: Route[];
  let token: string;
  const statuses = new Map<number, number>();

  /** One request; what is wrong with its answer, or null. */
  async function check(method: string, path: string, contentType: string | undefined, body: string | Buffer): Promise<string | null> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (contentType) headers['content-type'] = contentType;
    // A Buffer body makes fetch add no Content-Type of its own.
    const res = await fetch(svc.baseUrl + path, { method, headers, body: typeof body === 'string' && !contentType ? Buffer.from(body) : body });
    const text = await res.text();
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    const where = `${method} ${path} [${contentType ?? 'no type'}] ${JSON.stringify(String(body).slice(0, 80))} → ${res.status}`;
    if (res.status >= 500) return `${where}: ${text.slice(0, 200)}`;
    if (STACK.test(text)) return `${where}: stack or source path in the answer: ${text.slice(0, 200)}`;
    if (res.status < 400) return null;
    let parsed: { statusCode?: unknown; error?: unknown; message?: unknown } = {};
    try {
      parsed = JSON.parse(text);
    } catch {
      return `${where}: error body is not JSON: ${text.slice(0, 120)}`;
    }
    const shapeOk = parsed.statusCode === res.status && parsed.error === STATUS_CODES[res.status] && typeof parsed.message === 'string' && parsed.message !== '';
    return shapeOk ? null : `${where}: not the API error shape: ${text.slice(0, 120)}`;
  }

  beforeAll(async () => {
    process.stdout.write(`fuzz-http (${backend}): seed ${seed} (FUZZ_SEED=${seed} replays it)\n`);
    ({ svc, close } = await serviceOn(backend));
    await svc.register(['HF-1']);
    token = await svc.token();
    writes = registeredRoutes(svc).filter((r) => WRITES.has(r.method) && !SKIP.has(`${r.method} ${r.path}`));
  });
  afterAll(async () => close?.());

  it('answers random JSON, CSV and XML bodies under any content type on every write route with 4xx in the API shape, never 5xx or a stack', async () => {
    expect(writes.length).toBeGreaterThan(15);
    const failures: string[] = [];
    const until = Date.now() + BUDGET_MS;
    let sent = 0;
    for (let i = 0; i < PER_ROUTE && Date.now() < until; i++) {
      for (const r of writes) {
        // Half the time a real siren, so that siren routes get past "not found" to their validation.
        const path = r.path.startsWith('/api/sirens/:id') && fz.chance(0.5) ? r.path.replace(':id', 'HF-1') : concrete(r.path);
        const { contentType, body } = fz.httpBody();
        const problem = await check(r.method, path, contentType, body);
        sent++;
        if (problem) failures.push(problem);
      }
    }
    expect(sent).toBeGreaterThanOrEqual(writes.length * Math.min(PER_ROUTE, 10));
    process.stdout.write(`fuzz-http (${backend}): seed ${seed}: ${sent} bodies to ${writes.length} write routes, ${failures.length} bad answers; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}\n`);
    expect(failures.slice(0, 10)).toEqual([]);
    expect((await svc.request('GET', '/api/health', { token: null })).status).toBe(200);
    expect(Math.max(...statuses.keys())).toBeLessThan(500);
  }, 90_000);

  it('drops prototype keys: no body on any write route reaches Object.prototype', async () => {
    const bodies = ['{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}', '{"name":"x","__proto__":{"polluted":1,"role":"admin"},"scope":"alerts"}'];
    const failures: string[] = [];
    for (const r of writes) for (const body of bodies) {
      const problem = await check(r.method, concrete(r.path), 'application/json', body);
      if (problem) failures.push(problem);
    }
    expect(failures).toEqual([]);
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
