import { createServer, request, STATUS_CODES, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Hop-by-hop headers (RFC 9110 §7.6.1): they belong to one connection, never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
const HEALTH_TIMEOUT_MS = 2_000;

/**
 * What a standby instance serves while another holds the leader lock: every request forwarded to the
 * leader as it is (the console, the API, the live stream, streamed both ways), so that operators can use
 * any instance. It answers two things itself: `/api/health` (the leader's health seen from here, with
 * `role: standby`) and `/metrics` (only `sirenwatch_leader 0`: the leader's metrics are scraped there,
 * and forwarding them would turn this instance's address into the leader's loopback).
 */
export class StandbyServer {
  private leader: string | null = null;
  private readonly server: Server;

  constructor() {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  /** The leader's base URL (e.g. http://10.0.0.5:3000), or null while there is none. */
  setLeader(url: string | null): void {
    this.leader = url;
  }

  listen(port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
  }

  /** The port it listens on (PORT, or the one the OS chose for 0). */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops listening and cuts forwarded connections (live streams too: their clients reconnect). */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = req.url ?? '/';
    const pathname = path.split('?')[0];
    if (pathname === '/metrics') return send(res, 200, '# HELP sirenwatch_leader 1 on the instance that holds the leader lock\n# TYPE sirenwatch_leader gauge\nsirenwatch_leader 0\n', 'text/plain; version=0.0.4');
    if (pathname === '/api/health') return void this.health(res);
    // Only a path goes on: an absolute-form target (`GET http://elsewhere/`) must not make this an open proxy.
    if (!path.startsWith('/')) return sendError(res, 400, `request target ${JSON.stringify(path.slice(0, 100))}: must be a path starting with /`);
    const leader = this.leader;
    if (!leader) return sendError(res, 503, 'this instance is a standby and no instance holds the leader lock yet: try again in a few seconds');
    const target = new URL(new URL(leader).origin + path);
    const upstream = request(target, { method: req.method, headers: forwardHeaders(req, target) });
    upstream.on('response', (up) => {
      res.writeHead(up.statusCode ?? 502, withoutHopByHop(up.headers));
      up.pipe(res);
    });
    upstream.on('error', (e) => {
      if (!res.headersSent) sendError(res, 502, `the leader at ${leader} did not answer (${e.message}): try again in a few seconds`);
      else res.destroy();
    });
    // A client that goes away (a console closing its live stream) ends the forwarded request too.
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  }

  private async health(res: ServerResponse): Promise<void> {
    const leader = this.leader;
    const own = { role: 'standby', leader };
    try {
      if (!leader) throw new Error('no leader');
      const r = await fetch(new URL('/api/health', leader), { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
      send(res, r.status, JSON.stringify({ ...((await r.json()) as object), ...own }));
    } catch {
      // No leader to serve this instance's consoles: the service is not there, whatever the database says.
      send(res, 503, JSON.stringify({ status: 'degraded', mqtt: 'down', db: 'up', ...own }));
    }
  }
}

function forwardHeaders(req: IncomingMessage, target: URL): IncomingHttpHeaders {
  const headers = withoutHopByHop(req.headers);
  headers.host = target.host;
  // The leader must not take a forwarded request for one from its own host (API.md: /metrics on loopback).
  const from = req.socket.remoteAddress ?? 'unknown';
  headers['x-forwarded-for'] = req.headers['x-forwarded-for'] ? `${String(req.headers['x-forwarded-for'])}, ${from}` : from;
  return headers;
}

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !HOP_BY_HOP.has(k.toLowerCase())));
}

function send(res: ServerResponse, status: number, body: string, type = 'application/json; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
}

/** API.md's error shape. */
function sendError(res: ServerResponse, status: number, message: string): void {
  send(res, status, JSON.stringify({ statusCode: status, error: STATUS_CODES[status], message }));
}
