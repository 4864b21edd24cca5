import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSimulation, type SimulationHandle } from '../devices-sim/index.js';
import { demoCity } from '../src/protocol/demo-city.js';
import { registryToCsv } from '../src/protocol/registry-format.js';
import { eventually, uniq } from './support/env.js';
import { TestService } from './support/service.js';

/** PROTOCOL.md `sig`: the centre signs for sirens with a secret; such a siren refuses anything else. */
describe('signed commands', () => {
  const tag = uniq().slice(0, 4);
  const [right, wrong, plain] = demoCity(3).map((s) => ({ ...s, id: `${s.id}-${tag}` }));
  const SECRET = 'k3y-for-the-right-siren';
  let svc: TestService;
  let sim: SimulationHandle;

  beforeAll(async () => {
    svc = await TestService.start({ backend: 'embedded', env: { SIMULATION: 'true' } });
    await svc.request('POST', '/api/sirens/import', { body: registryToCsv([right, wrong, plain]), contentType: 'text/csv' });
    // The siren `wrong` was provisioned with another key than the centre holds.
    const secrets: Record<string, string> = { [right.id]: SECRET, [wrong.id]: 'a-different-key-entirely' };
    sim = await startSimulation({ url: svc.mqttUrl, sirens: [right, wrong, plain], intervalS: 5, timeScale: 0.2, topicRoot: svc.topicRoot, secret: (id) => secrets[id] });
    await sim.allConnected();
    for (const id of [right.id, wrong.id]) expect((await svc.request('PUT', `/api/sirens/${id}/secret`, { body: { secret: SECRET } })).status).toBe(200);
    await eventually(async () => (await svc.get('/api/summary')).byHealth.ok === 3, 10_000, 'sirens ok');
  }, 30_000);

  afterAll(async () => {
    await sim?.stop();
    await svc?.close();
  });

  it('is obeyed when signed with the siren’s key and refused as invalid otherwise', async () => {
    const planned = await svc.request('POST', '/api/drills', { body: { name: 'signed', scope: { sirenIds: [right.id, wrong.id, plain.id] }, mode: 'silent', ackTimeoutS: 5, timeScale: 0.2 } });
    await svc.request('POST', `/api/drills/${planned.body.id}/start`);
    const done = await eventually(async () => {
      const d = await svc.get(`/api/drills/${planned.body.id}`);
      return d.state === 'completed' ? d : null;
    }, 30_000, 'drill done');
    const verdict = Object.fromEntries(done.results.map((r: { sirenId: string; verdict: string; detail: string }) => [r.sirenId, [r.verdict, r.detail]]));
    expect(verdict[right.id][0]).toBe('PASS');
    expect(verdict[plain.id][0]).toBe('PASS');
    expect(verdict[wrong.id]).toEqual(['FAIL_REJECTED', 'silent test: rejected (invalid)']);
    const audit = await svc.get('/api/audit?action=siren.secret.set');
    expect(JSON.stringify(audit)).not.toContain(SECRET);
  });
});
