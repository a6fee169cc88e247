import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { TransactionRunner } from '../core/database';
import { AppConfig } from '../core/env';
import type { ClientInfo } from './principal';
import { Session } from './session.entity';

/** How long touches gather before they are written together. */
const FLUSH_DELAY_MS = 1_000;

type Activity = Pick<Session, 'lastActivityAt' | 'platform' | 'deviceInfo' | 'appVersion' | 'ip'>;

/**
 * A session's last activity and client info, written at most once per SESSION_TOUCH_INTERVAL_MS,
 * gathered for a second and written in one transaction: never while a request waits, and a plain
 * GET writes nothing else. What is still gathering when the process stops is written first.
 */
@Injectable()
export class SessionActivity implements BeforeApplicationShutdown {
  private readonly logger = new Logger('SessionActivity');
  private pending = new Map<string, Activity>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly transactions: TransactionRunner,
  ) {}

  touch(session: Session, client: ClientInfo): void {
    const now = Date.now();
    if (now - session.lastActivityAt.getTime() < this.config.auth.sessionTouchIntervalMs) return;
    // The cached session learns it too, so the next requests do not touch again.
    session.lastActivityAt = new Date(now);
    session.platform = client.platform ?? session.platform;
    session.deviceInfo = client.deviceInfo ?? session.deviceInfo;
    session.appVersion = client.appVersion ?? session.appVersion;
    session.ip = client.ip ?? session.ip;
    const { lastActivityAt, platform, deviceInfo, appVersion, ip } = session;
    this.pending.set(session.id, { lastActivityAt, platform, deviceInfo, appVersion, ip });
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_DELAY_MS).unref();
  }

  /** Writes what has gathered. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flushing;
    const batch = this.pending;
    if (batch.size === 0) return;
    this.pending = new Map();
    this.flushing = this.transactions
      .run(async (manager) => {
        for (const [id, activity] of batch) await manager.update(Session, id, activity);
      })
      .catch((error: unknown) => {
        // Activity is a hint, not a record: it is written again with the next touch.
        this.logger.warn({ err: error, sessions: batch.size }, 'Session activity not written');
      })
      .finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }
}
