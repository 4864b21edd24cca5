import pg from 'pg';
import { withTimeout } from '../common/with-timeout.js';

/** The advisory lock's two keys: "sire" and 1 (advisory locks are scoped to one database). */
const LOCK = [0x73697265, 1] as const;
/** A heartbeat that has not answered in this long means the lock may be gone: step down. */
const HEARTBEAT_TIMEOUT_MS = 3_000;

export interface LeaderLockOptions {
  databaseUrl: string;
  /** This instance's HTTP address, as the others reach it: shown to them while it leads. */
  advertiseUrl: string;
  pollMs: number;
}

/**
 * The cluster's leader election: a PostgreSQL session-level advisory lock held on a connection of its
 * own. The lock goes with the session, so a leader that dies (kill -9, lost host) frees it the moment
 * PostgreSQL sees the connection close. The holder's `application_name` is its advertised URL, which
 * is how standbys find it without a table that could go stale.
 */
export class LeaderLock {
  private heartbeat: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(
    private readonly client: pg.Client,
    private readonly pollMs: number,
  ) {}

  static async connect(o: LeaderLockOptions): Promise<LeaderLock> {
    const client = new pg.Client({ connectionString: o.databaseUrl, application_name: o.advertiseUrl, keepAlive: true, connectionTimeoutMillis: 5_000 });
    await client.connect();
    // A leader cut off from the database must lose the lock within seconds, not after the kernel's hours.
    await client.query('set tcp_keepalives_idle = 5; set tcp_keepalives_interval = 2; set tcp_keepalives_count = 3');
    const lock = new LeaderLock(client, o.pollMs);
    // A broken lock connection is reported by the heartbeat; without a listener it would crash the process.
    client.on('error', () => undefined);
    return lock;
  }

  async tryAcquire(): Promise<boolean> {
    const r = await this.client.query<{ ok: boolean }>('select pg_try_advisory_lock($1, $2) as ok', [...LOCK]);
    return r.rows[0].ok;
  }

  /** The advertised URL of the instance that holds the lock now, if any. */
  async holder(): Promise<string | null> {
    const r = await this.client.query<{ url: string }>(
      `select a.application_name as url from pg_locks l join pg_stat_activity a on a.pid = l.pid
        where l.locktype = 'advisory' and l.granted and l.classid = $1 and l.objid = $2 and l.objsubid = 2
          and l.database = (select oid from pg_database where datname = current_database())`,
      [...LOCK],
    );
    return r.rows[0]?.url || null;
  }

  /** Polls until this instance holds the lock; `onLeader` hears who leads meanwhile. */
  async waitForLeadership(onLeader: (url: string | null) => void): Promise<void> {
    while (!this.closed) {
      if (await this.tryAcquire()) return;
      onLeader(await this.holder());
      await new Promise((r) => setTimeout(r, this.pollMs));
    }
    throw new Error('leader lock closed while standing by');
  }

  /**
   * While leading: checks the lock's connection every poll. `onLost` runs once if it fails or does not
   * answer in time; the caller must stop leading at once, as a standby may take over right after.
   */
  watch(onLost: (reason: string) => void): void {
    const check = async () => {
      try {
        const answered = await withTimeout(this.client.query('select 1').then(() => true), HEARTBEAT_TIMEOUT_MS, false);
        if (!answered) throw new Error(`no answer in ${HEARTBEAT_TIMEOUT_MS} ms`);
        if (!this.closed) this.heartbeat = setTimeout(() => void check(), this.pollMs);
      } catch (e) {
        if (!this.closed) onLost((e as Error).message);
      }
    };
    this.heartbeat = setTimeout(() => void check(), this.pollMs);
  }

  /** A query on the lock's own connection (the cluster's checks before the service is up). */
  query<R extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<pg.QueryResult<R>> {
    return this.client.query<R>(sql, params);
  }

  /** Frees the lock (ends its session) for the next leader. */
  async release(): Promise<void> {
    this.closed = true;
    if (this.heartbeat) clearTimeout(this.heartbeat);
    await this.client.end().catch(() => undefined);
  }
}
