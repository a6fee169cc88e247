import type Redis from 'ioredis';
import type { Client as PgClient } from 'pg';

/** What one attempt to take or keep the lease saw. */
export interface LeaseObservation {
  /** This instance holds the lease now. */
  held: boolean;
  /** Who holds it (this instance included); null when nobody does. */
  owner: string | null;
  /** Milliseconds the owner's lease has left, when the backend knows (Redis). */
  remainingMs?: number;
}

/** Where the lease lives. `attempt` takes it when `take` is true and nobody holds it. */
export interface LeaseBackend {
  readonly kind: 'redis' | 'postgres' | 'local';
  attempt(take: boolean): Promise<LeaseObservation>;
  release(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Renews the lease if it is this instance's, takes it if it is free and `take` is set, and answers
 * who holds it with the time it has left. One script, so no other instance acts in between.
 */
const ATTEMPT = `
local current = redis.call('GET', KEYS[1])
if current == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {1, ARGV[1], tonumber(ARGV[2])}
end
if not current then
  if ARGV[3] == '1' then
    redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
    return {1, ARGV[1], tonumber(ARGV[2])}
  end
  return {0, false, 0}
end
return {0, current, redis.call('PTTL', KEYS[1])}
`;
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** The first half of the advisory lock's key, Guildhall's own; the second is the deployment's. */
const LOCK_CLASS = 0x6768;

/** A key with a time to live: the owner renews it; when it dies, the key expires. */
export class RedisLease implements LeaseBackend {
  readonly kind = 'redis';
  private readonly key = 'lease:singleton';

  constructor(
    private readonly redis: Redis,
    private readonly instanceId: string,
    private readonly ttlMs: number,
  ) {}

  async attempt(take: boolean): Promise<LeaseObservation> {
    const [held, owner, remainingMs] = (await this.redis.eval(
      ATTEMPT,
      1,
      this.key,
      this.instanceId,
      String(this.ttlMs),
      take ? '1' : '0',
    )) as [number, string | null, number];
    return { held: held === 1, owner: owner || null, remainingMs };
  }

  async release(): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key, this.instanceId);
  }

  async close(): Promise<void> {
    // The connection is the application's.
  }
}

/**
 * A PostgreSQL session-level advisory lock on a connection of its own: the server lets go of it the
 * moment that connection ends, also when the process is killed. The owner is found by the
 * `application_name` of the connection holding it.
 */
export class PostgresLease implements LeaseBackend {
  readonly kind = 'postgres';
  private client: PgClient | undefined;
  private held = false;

  constructor(
    private readonly url: string,
    private readonly lockKey: string,
    private readonly instanceId: string,
  ) {}

  async attempt(take: boolean): Promise<LeaseObservation> {
    try {
      const client = await this.connect();
      if (!this.held && take) {
        const { rows } = await client.query<{ locked: boolean }>(
          'SELECT pg_try_advisory_lock($2, hashtext($1)) AS locked',
          [this.lockKey, LOCK_CLASS],
        );
        this.held = rows[0]?.locked === true;
      }
      const { rows } = await client.query<{ owner: string }>(
        `SELECT a.application_name AS owner FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $2::oid
            AND l.objid = hashtext($1)::oid AND l.objsubid = 2
            AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          LIMIT 1`,
        [this.lockKey, LOCK_CLASS],
      );
      const owner = rows[0]?.owner?.replace(/^guildhall:/, '') ?? null;
      return { held: this.held, owner };
    } catch (error) {
      // The connection is gone, and with it the lock: start over on the next attempt.
      await this.drop();
      throw error;
    }
  }

  async release(): Promise<void> {
    if (!this.held || !this.client) return;
    await this.client.query('SELECT pg_advisory_unlock($2, hashtext($1))', [
      this.lockKey,
      LOCK_CLASS,
    ]);
    this.held = false;
  }

  async close(): Promise<void> {
    await this.drop();
  }

  private async connect(): Promise<PgClient> {
    if (this.client) return this.client;
    const { Client } = await import('pg');
    const client = new Client({
      connectionString: this.url,
      application_name: `guildhall:${this.instanceId}`.slice(0, 63),
    });
    client.on('error', () => void this.drop());
    await client.connect();
    this.client = client;
    return client;
  }

  private async drop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.held = false;
    await client?.end().catch(() => undefined);
  }
}

/** One instance on an embedded database: it is always the owner. */
export class LocalLease implements LeaseBackend {
  readonly kind = 'local';

  constructor(private readonly instanceId: string) {}

  attempt(): Promise<LeaseObservation> {
    return Promise.resolve({ held: true, owner: this.instanceId });
  }

  release(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
