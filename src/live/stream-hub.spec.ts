import { describe, expect, it } from '@jest/globals';
import { EventEmitter } from 'node:events';
import { Subject } from 'rxjs';
import type { Request, Response } from 'express';
import { MetricsService } from '../metrics/metrics.service.js';
import type { FleetView, StreamEvent } from './fleet-view.service.js';
import { StreamHub } from './stream-hub.service.js';

/** A response that records what is written and can pretend its socket is not draining. */
class FakeResponse extends EventEmitter {
  written = '';
  writableLength = 0;
  destroyed = false;
  status() {
    return this;
  }
  set() {
    return this;
  }
  flushHeaders() {}
  write(chunk: string) {
    this.written += chunk;
    return true;
  }
  destroy() {
    this.destroyed = true;
  }
  end() {}
}

function hub() {
  const events$ = new Subject<StreamEvent[]>();
  const summary = { total: 0 };
  const fleet = { events$, summary: () => summary, wantSirenEvents: () => undefined } as unknown as FleetView;
  const h = new StreamHub(fleet, new MetricsService());
  h.onModuleInit();
  return { h, events$ };
}

const attach = (h: StreamHub) => {
  const res = new FakeResponse();
  h.attach(new EventEmitter() as unknown as Request, res as unknown as Response);
  return res;
};

describe('live stream fan-out', () => {
  it('sends the summary on connect, then every batch as SSE frames', () => {
    const { h, events$ } = hub();
    const res = attach(h);
    expect(res.written).toContain('event: summary\ndata: {"total":0}\n\n');
    events$.next([{ event: 'summary', data: { total: 3 } as never }]);
    expect(res.written).toContain('event: summary\ndata: {"total":3}\n\n');
    h.onModuleDestroy();
  });

  it('drops a client that does not keep up instead of waiting for it', () => {
    const { h, events$ } = hub();
    const slow = attach(h);
    const fast = attach(h);
    slow.writableLength = 5 * 1024 * 1024;
    events$.next([{ event: 'summary', data: { total: 9 } as never }]);
    expect(slow.destroyed).toBe(true);
    expect(slow.written).not.toContain('"total":9');
    expect(fast.written).toContain('"total":9');
    events$.next([{ event: 'summary', data: { total: 10 } as never }]);
    expect(fast.written).toContain('"total":10');
    h.onModuleDestroy();
  });
});
