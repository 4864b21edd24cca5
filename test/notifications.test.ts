import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { eventually } from './support/env.js';
import { FleetPublisher } from './support/fleet-publisher.js';
import { TestService } from './support/service.js';

/** The duty-phone hook: a new critical fault is POSTed, retried when the gateway fails. */
describe('webhook notifications', () => {
  let svc: TestService;
  let hook: Server;
  const received: { kind: string; type?: string; sirenId?: string }[] = [];
  let failuresLeft = 1;

  beforeAll(async () => {
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        if (failuresLeft-- > 0) return res.writeHead(503).end();
        received.push(JSON.parse(body));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
    const port = (hook.address() as { port: number }).port;
    svc = await TestService.start({ backend: 'embedded', env: { NOTIFY_WEBHOOK_URL: `http://127.0.0.1:${port}/hook`, WILL_HOLD_S: '0.1' } });
    await svc.register(['N-1', 'N-2']);
  });

  afterAll(async () => {
    await svc?.close();
    await new Promise((r) => hook.close(r));
  });

  it('sends a new critical fault once, after a retry, and leaves minor ones alone', async () => {
    const fleet = await FleetPublisher.connect(svc.mqttUrl, svc.topicRoot);
    await fleet.birth(['N-1', 'N-2']);
    await fleet.status(['N-2'], { charger: 'fault' });
    await fleet.offline(['N-1']);
    await eventually(() => received.length >= 1, 10_000, 'notification');
    expect(received).toEqual([expect.objectContaining({ kind: 'fault', type: 'OFFLINE', sirenId: 'N-1' })]);
    expect(await svc.metric('sirenwatch_notifications_total', 'result="retried"')).toBe(1);
    expect(await svc.metric('sirenwatch_notifications_total', 'result="sent"')).toBe(1);
    await fleet.end();
  });
});
