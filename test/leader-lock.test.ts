import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { LeaderLock } from '../src/cluster/leader-lock.js';
import { eventually, externalServers } from './support/env.js';
import { freshDatabase } from './support/postgres.js';
import { TcpProxy } from './support/tcp-proxy.js';

const servers = externalServers();

/** The cluster's leader election on a real PostgreSQL: one holder, handover, and fencing. */
(servers ? describe : describe.skip)('leader lock on PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let other: Awaited<ReturnType<typeof freshDatabase>>;
  const locks: LeaderLock[] = [];
  const lock = async (advertiseUrl: string, databaseUrl = db.url) => {
    const l = await LeaderLock.connect({ databaseUrl, advertiseUrl, pollMs: 100 });
    locks.push(l);
    return l;
  };

  beforeAll(async () => {
    db = await freshDatabase(servers!.databaseUrl);
    other = await freshDatabase(servers!.databaseUrl);
  });

  afterAll(async () => {
    await Promise.all(locks.map((l) => l.release()));
    await db?.drop();
    await other?.drop();
  });

  it('has one holder, names it to the others, and hands over when it lets go', async () => {
    const a = await lock('http://127.0.0.1:4001');
    const b = await lock('http://127.0.0.1:4002');
    expect(await a.tryAcquire()).toBe(true);
    expect(await b.tryAcquire()).toBe(false);
    expect(await b.holder()).toBe('http://127.0.0.1:4001');
    // Another database (another deployment on the same server) has a lock of its own.
    expect(await (await lock('http://127.0.0.1:4003', other.url)).tryAcquire()).toBe(true);

    const seen: (string | null)[] = [];
    const waiting = b.waitForLeadership((url) => seen.push(url));
    await eventually(() => seen.length >= 2, 5_000, 'b polling');
    const released = Date.now();
    await a.release();
    await waiting;
    expect(Date.now() - released).toBeLessThan(2_000);
    expect(seen.every((u) => u === 'http://127.0.0.1:4001')).toBe(true);
    expect(await b.holder()).toBe('http://127.0.0.1:4002');
  });

  it('tells a leader whose lock session is gone, so that it steps down', async () => {
    const c = await lock('http://127.0.0.1:4004', other.url);
    // The database drops the holder's session (as on a lost link): its lock is free again.
    const admin = new pg.Client({ connectionString: other.url });
    await admin.connect();
    await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'http://127.0.0.1:4003'`);
    await admin.end();
    expect(await eventually(() => c.tryAcquire(), 5_000, 'lock free after the session ended')).toBe(true);

    const d = await lock('http://127.0.0.1:4005', other.url);
    let lost: string | null = null;
    const holder = locks[2];
    holder.watch((reason) => (lost = reason));
    await eventually(() => lost, 5_000, 'the old holder told it lost its lock');
    expect(await d.holder()).toBe('http://127.0.0.1:4004');
  });

  it('tells a leader whose database link went silent, within the heartbeat timeout', async () => {
    // A database of its own: the first test's lock is still held on the other two.
    const own = await freshDatabase(servers!.databaseUrl);
    const proxy = await TcpProxy.start(Number(new URL(own.url).port || 5432));
    try {
      const url = new URL(own.url);
      url.port = String(proxy.port);
      const e = await lock('http://127.0.0.1:4006', url.toString());
      expect(await e.tryAcquire()).toBe(true);
      let lost: string | null = null;
      e.watch((reason) => (lost = reason));
      // Answered while the link works: no word of loss after a few heartbeats.
      await new Promise((r) => setTimeout(r, 500));
      expect(lost).toBeNull();
      const stalledAt = Date.now();
      proxy.stall();
      await eventually(() => lost, 6_000, 'the leader told its heartbeat went unanswered');
      expect(lost).toBe('no answer in 3000 ms');
      expect(Date.now() - stalledAt).toBeLessThan(4_000);
    } finally {
      await proxy.close();
      await own.drop();
    }
  });
});
