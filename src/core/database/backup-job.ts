import { readdirSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AppConfig } from '../env';
import { SingletonLease } from '../lease';
import { backupSqlite, type BackupResult } from './sqlite-backup';

const NAME = /^guildhall-\d{8}-\d{6}\.sqlite$/;

/**
 * Scheduled online backups of the SQLite file: every BACKUP_EVERY into BACKUP_DIR as
 * `guildhall-YYYYMMDD-HHMMSS.sqlite`, keeping the latest BACKUP_KEEP. Off without BACKUP_DIR, and on
 * PostgreSQL (pg_dump is the tool there).
 */
@Injectable()
export class BackupJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Backup');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<BackupResult | undefined> | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly lease: SingletonLease,
  ) {}

  onApplicationBootstrap(): void {
    const { target, backup } = this.config.database;
    if (!backup.dir || target.kind !== 'sqlite') return;
    this.timer = setInterval(() => {
      if (this.lease.held) void this.runOnce();
    }, backup.everySeconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Takes one backup and drops the oldest beyond BACKUP_KEEP; joins one under way. */
  runOnce(now = new Date()): Promise<BackupResult | undefined> {
    this.running ??= this.take(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async take(now: Date): Promise<BackupResult | undefined> {
    const { target, backup, busyTimeoutMs } = this.config.database;
    if (!backup.dir || target.kind !== 'sqlite') return undefined;
    try {
      await mkdir(backup.dir, { recursive: true });
      const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
      const result = await backupSqlite(
        target.path,
        join(backup.dir, `guildhall-${stamp}.sqlite`),
        {
          busyMs: busyTimeoutMs,
        },
      );
      const kept = readdirSync(backup.dir)
        .filter((file) => NAME.test(file))
        .sort()
        .reverse();
      for (const old of kept.slice(backup.keep)) rmSync(join(backup.dir, old), { force: true });
      this.logger.log({ file: result.file, bytes: result.bytes, ms: result.ms }, 'Backup taken');
      return result;
    } catch (error) {
      this.logger.error({ err: error }, 'Scheduled backup failed');
      return undefined;
    }
  }
}
