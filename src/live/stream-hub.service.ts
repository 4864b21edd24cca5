import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Request, Response } from 'express';
import { faultView, incidentView } from '../faults/fault-view.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { FleetView, type StreamEvent } from './fleet-view.service.js';

/** A console that has this much unsent is too slow: it is dropped (it reconnects), ingest never waits. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const HEARTBEAT_MS = 15_000;

function frame(e: StreamEvent): string {
  const data = e.event === 'fault' ? faultView(e.data) : e.event === 'incident' ? incidentView(e.data) : e.data;
  return `event: ${e.event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Fans the fleet's coalesced events out to every SSE client, serialising each batch once. */
@Injectable()
export class StreamHub implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('stream');
  private readonly clients = new Set<Response>();
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    @Inject(FleetView) private readonly fleet: FleetView,
    @Inject(MetricsService) private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    this.fleet.events$.subscribe((batch) => this.broadcast(batch.map(frame).join('')));
    this.fleet.wantSirenEvents(() => this.clients.size > 0);
    this.heartbeat = setInterval(() => this.broadcast(': keep-alive\n\n'), HEARTBEAT_MS);
  }

  onModuleDestroy(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  /** Events of modules downstream of the fleet view (drills, alerts): sent as they come. */
  publish(event: string, data: unknown): void {
    this.broadcast(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  attach(req: Request, res: Response): void {
    res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    res.write(`retry: 3000\n\n${frame({ event: 'summary', data: this.fleet.summary() })}`);
    this.clients.add(res);
    this.metrics.sseClients.set(this.clients.size);
    req.on('close', () => this.detach(res));
  }

  private detach(res: Response): void {
    if (this.clients.delete(res)) this.metrics.sseClients.set(this.clients.size);
  }

  private broadcast(text: string): void {
    for (const res of this.clients) {
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        this.log.warn('dropping a live-stream client that does not keep up');
        this.detach(res);
        res.destroy();
        continue;
      }
      res.write(text);
    }
  }
}
