import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StandbyServer } from './standby-server.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A stand-in leader on loopback that records what reaches it. */
async function fakeLeader(handle: (req: IncomingMessage, res: ServerResponse, seen: Seen) => void): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const s = { method: req.method!, url: req.url!, headers: req.headers, body };
      seen.push(s);
      handle(req, res, s);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('StandbyServer', () => {
  let standby: StandbyServer;
  let base: string;
  const servers: Server[] = [];

  beforeEach(async () => {
    standby = new StandbyServer();
    await standby.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${standby.port}`;
  });

  afterEach(async () => {
    await standby.close();
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  it('answers 503 in API.md error shape while no instance leads', async () => {
    const r = await fetch(`${base}/api/sirens`);
    expect(r.status).toBe(503);
    expect(await r.json()).toEqual({ statusCode: 503, error: 'Service Unavailable', message: expect.stringContaining('no instance holds the leader lock') });
    const h = await fetch(`${base}/api/health`);
    expect(h.status).toBe(503);
    expect(await h.json()).toMatchObject({ status: 'degraded', role: 'standby', leader: null });
  });

  it('forwards method, path, query, headers and body, and passes the answer back', async () => {
    const leader = await fakeLeader((_req, res) => res.writeHead(201, { 'content-type': 'application/json', 'x-request-id': 'r-1' }).end('{"created":true}'));
    servers.push(leader.server);
    standby.setLeader(leader.url);
    const r = await fetch(`${base}/api/sirens/import?dryRun=1`, { method: 'POST', headers: { authorization: 'Bearer t0k', 'content-type': 'text/csv' }, body: 'id,name\nA-1,x' });
    expect(r.status).toBe(201);
    expect(r.headers.get('x-request-id')).toBe('r-1');
    expect(await r.json()).toEqual({ created: true });
    const [seen] = leader.seen;
    expect(seen).toMatchObject({ method: 'POST', url: '/api/sirens/import?dryRun=1', body: 'id,name\nA-1,x' });
    expect(seen.headers).toMatchObject({ authorization: 'Bearer t0k', 'content-type': 'text/csv', host: new URL(leader.url).host, 'x-forwarded-for': '127.0.0.1' });
  });

  it('streams the answer as it comes (the live stream) and ends it when the client goes', async () => {
    let upstreamClosed = false;
    const leader = await fakeLeader((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: siren\ndata: {"id":"A-1"}\n\n');
      res.on('close', () => (upstreamClosed = true));
    });
    servers.push(leader.server);
    standby.setLeader(leader.url);
    const ac = new AbortController();
    const r = await fetch(`${base}/api/stream`, { signal: ac.signal });
    expect(r.headers.get('content-type')).toBe('text/event-stream');
    const first = await r.body!.getReader().read();
    expect(Buffer.from(first.value!).toString()).toBe('event: siren\ndata: {"id":"A-1"}\n\n');
    ac.abort();
    await waitFor(() => upstreamClosed);
  });

  it('forwards only to the leader: an absolute-form target is refused, a path that looks like a host stays a path', async () => {
    const leader = await fakeLeader((_req, res) => res.end('ok'));
    servers.push(leader.server);
    standby.setLeader(leader.url);
    const raw = (path: string) =>
      new Promise<number>((resolve, reject) => request({ host: '127.0.0.1', port: standby.port, path }, (r) => resolve(r.resume().statusCode!)).on('error', reject).end());
    expect(await raw('http://elsewhere.example/api/sirens')).toBe(400);
    expect(await raw('//elsewhere.example/api/sirens')).toBe(200);
    expect(leader.seen.map((s) => s.url)).toEqual(['//elsewhere.example/api/sirens']);
  });

  it('answers /metrics itself (leader 0) and never forwards it', async () => {
    const leader = await fakeLeader((_req, res) => res.end('leader metrics'));
    servers.push(leader.server);
    standby.setLeader(leader.url);
    const r = await fetch(`${base}/metrics?x=1`);
    expect(await r.text()).toContain('sirenwatch_leader 0');
    expect(leader.seen).toEqual([]);
  });

  it("reports the leader's health as its own, marked standby", async () => {
    const leader = await fakeLeader((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok","mqtt":"up","db":"up","role":"leader"}'));
    servers.push(leader.server);
    standby.setLeader(leader.url);
    const h = await fetch(`${base}/api/health`);
    expect(h.status).toBe(200);
    expect(await h.json()).toEqual({ status: 'ok', mqtt: 'up', db: 'up', role: 'standby', leader: leader.url });
  });

  it('says which leader did not answer when it is gone', async () => {
    const leader = await fakeLeader((_req, res) => res.end());
    await new Promise((r) => leader.server.close(r));
    standby.setLeader(leader.url);
    const r = await fetch(`${base}/api/sirens`);
    expect(r.status).toBe(502);
    expect(((await r.json()) as { message: string }).message).toContain(`the leader at ${leader.url} did not answer`);
    expect((await fetch(`${base}/api/health`)).status).toBe(503);
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  expect(check()).toBe(true);
}
