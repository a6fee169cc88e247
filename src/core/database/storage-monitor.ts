import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { StorageCondition } from '../errors/storage-errors';

const PROBE_INTERVAL_MS = 2_000;

/** Tries to recover from `condition`; true when storage works again. Throws while it does not. */
export type RecoveryProbe = (condition: StorageCondition) => Promise<boolean>;
/** Runs after recovery (a SQLite WAL checkpoint that gives the space back). */
export type RecoveryHook = () => Promise<void>;

export interface StorageCheck {
  status: 'ok' | 'error';
  condition?: StorageCondition;
  since?: string;
  error?: string;
}

/**
 * Knows whether storage is full or failing, for readiness and logs. The first failed write sets the
 * condition (one warning, not one per request); the next write that succeeds clears it. While it is
 * set, the database engine's probe runs every few seconds (on SQLite a WAL checkpoint, which also
 * gives space back, and a look at the free space), so recovery needs no one's help.
 */
@Injectable()
export class StorageMonitor implements OnApplicationShutdown {
  private readonly logger = new Logger('Storage');
  private condition: StorageCondition | undefined;
  private since: Date | undefined;
  private lastError: string | undefined;
  private probeRecovery: RecoveryProbe | undefined;
  private afterRecovery: RecoveryHook | undefined;
  private timer: NodeJS.Timeout | undefined;

  /** Set by the database engine. */
  useRecovery(probe: RecoveryProbe, after?: RecoveryHook): void {
    this.probeRecovery = probe;
    this.afterRecovery = after;
  }

  failed(condition: StorageCondition, error: unknown): void {
    this.lastError = error instanceof Error ? error.message : String(error);
    if (this.condition === condition) return;
    this.condition = condition;
    this.since ??= new Date();
    this.logger.warn(
      { condition, err: error },
      condition === 'full'
        ? 'Storage is full: writes answer 507 STORAGE_FULL until space returns'
        : 'Storage is failing: writes answer 503 STORAGE_UNAVAILABLE until it works again',
    );
    this.timer ??= setInterval(() => void this.probe(), PROBE_INTERVAL_MS).unref();
  }

  writeSucceeded(): void {
    if (this.condition !== undefined) this.recovered();
  }

  check(): StorageCheck {
    if (this.condition === undefined) return { status: 'ok' };
    return {
      status: 'error',
      condition: this.condition,
      since: this.since?.toISOString(),
      error: this.lastError,
    };
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private recovered(): void {
    this.logger.log({ condition: this.condition }, 'Storage works again');
    this.condition = undefined;
    this.since = undefined;
    this.lastError = undefined;
    clearInterval(this.timer);
    this.timer = undefined;
    this.afterRecovery?.().catch((error: unknown) =>
      this.logger.warn({ err: error }, 'Tidying up after storage recovered failed'),
    );
  }

  private async probe(): Promise<void> {
    const condition = this.condition;
    if (condition === undefined || !this.probeRecovery) return;
    try {
      if ((await this.probeRecovery(condition)) && this.condition !== undefined) this.recovered();
    } catch {
      // Still failing: the condition stays, the next probe tries again.
    }
  }
}
