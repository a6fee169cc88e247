import { statfs } from 'node:fs/promises';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type Redis from 'ioredis';
import { StorageMonitor } from '../core/database';
import { AppConfig } from '../core/env';
import { ShutdownState } from '../core/http';
import { LogSink } from '../core/logging';
import { REDIS } from '../core/redis';
import { SingletonLease } from '../core/lease';

export type CheckStatus = 'ok' | 'warning' | 'error';
export interface CheckResult {
  status: CheckStatus;
  [detail: string]: unknown;
}
export type HealthIndicator = () => Promise<CheckResult> | CheckResult;

/** At or above this share of memory or disk in use, the service reports itself degraded. */
export const CRITICAL_PERCENT = 95;
const WARNING_PERCENT = 85;

export interface DetailedHealth {
  status: 'ok' | 'degraded' | 'unhealthy';
  checks: Record<string, CheckResult>;
}

@Injectable()
export class HealthService {
  private readonly indicators = new Map<string, HealthIndicator>();

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis | null,
    private readonly storage: StorageMonitor,
    private readonly shutdown: ShutdownState,
    @Inject(LogSink) private readonly logSink: LogSink | null,
    private readonly lease: SingletonLease,
  ) {
    this.indicators.set('memory', () => this.memory());
    this.indicators.set('cpu', () => this.cpu());
    this.indicators.set('disk', () => this.disk());
    this.indicators.set('database', () => this.database());
    this.indicators.set('storage', () => ({ ...this.storage.check() }));
    this.indicators.set('cache', () => this.cache());
    if (this.logSink) this.indicators.set('logs', () => this.logs());
    this.indicators.set('singleton', () => ({
      status: this.lease.owner === null && config.cluster.competes ? 'warning' : 'ok',
      backend: this.lease.kind,
      instance: this.lease.instanceId,
      owner: this.lease.owner,
      held: this.lease.held,
    }));
  }

  /** Feature modules add their own checks (sessions, outbox, ...) under a name. */
  register(name: string, indicator: HealthIndicator): void {
    this.indicators.set(name, indicator);
  }

  /**
   * HazeBot's rules: degraded when memory or disk is at 95 % or more or the memory, cache or
   * database check fails; unhealthy when more than two checks fail.
   */
  async detailed(): Promise<DetailedHealth> {
    const entries = await Promise.all(
      [...this.indicators].map(
        async ([name, indicator]) => [name, await runIndicator(indicator)] as const,
      ),
    );
    const checks = Object.fromEntries(entries);
    const failed = entries.filter(([, result]) => result.status === 'error').map(([name]) => name);
    const saturated = ['memory', 'disk'].some((name) => {
      const percent = checks[name]?.percent;
      return typeof percent === 'number' && percent >= CRITICAL_PERCENT;
    });
    let status: DetailedHealth['status'] = 'ok';
    if (failed.length > 2) status = 'unhealthy';
    else if (
      saturated ||
      failed.some((name) => ['memory', 'cache', 'database', 'storage'].includes(name))
    )
      status = 'degraded';
    return { status, checks };
  }

  /**
   * Ready while the database answers and no shutdown has begun. Full or failing storage shows in
   * `storage` without failing readiness: reads still work, and every instance shares the storage.
   */
  async readiness(): Promise<{ ready: boolean; checks: Record<string, CheckResult> }> {
    const database = await runIndicator(() => this.database());
    const storage: CheckResult = { ...this.storage.check() };
    const lifecycle: CheckResult = this.shutdown.draining
      ? { status: 'error', state: 'shutting_down' }
      : { status: 'ok', state: 'running' };
    return {
      ready: database.status === 'ok' && !this.shutdown.draining,
      checks: { database, storage, lifecycle },
    };
  }

  private logs(): CheckResult {
    const state = (this.logSink as LogSink).state();
    return { status: state.failing ? 'warning' : 'ok', ...state };
  }

  private async database(): Promise<CheckResult> {
    if (!this.dataSource.isInitialized) return { status: 'error', error: 'not connected' };
    const started = performance.now();
    await this.dataSource.query('SELECT 1');
    return {
      status: 'ok',
      driver: this.config.database.target.kind,
      latency_ms: Math.round((performance.now() - started) * 100) / 100,
    };
  }

  private async cache(): Promise<CheckResult> {
    if (!this.redis) return { status: 'ok', backend: 'memory' };
    const started = performance.now();
    await this.redis.ping();
    return {
      status: 'ok',
      backend: 'redis',
      latency_ms: Math.round((performance.now() - started) * 100) / 100,
    };
  }

  private memory(): CheckResult {
    const total = totalmem();
    const percent = round(((total - freemem()) / total) * 100);
    const usage = process.memoryUsage();
    const mb = (bytes: number) => round(bytes / 1024 / 1024);
    return {
      status: level(percent),
      percent,
      process_rss_mb: mb(usage.rss),
      heap_used_mb: mb(usage.heapUsed),
      heap_total_mb: mb(usage.heapTotal),
      external_mb: mb(usage.external),
    };
  }

  private cpu(): CheckResult {
    const cores = cpus().length || 1;
    const load = loadavg()[0];
    return { status: load / cores >= 2 ? 'warning' : 'ok', load_1m: round(load), cores };
  }

  private async disk(): Promise<CheckResult> {
    const stats = await statfs(this.config.database.dataDir).catch(() => statfs('.'));
    const percent = round(((stats.blocks - stats.bavail) / stats.blocks) * 100);
    return {
      status: level(percent),
      percent,
      free_mb: round((stats.bavail * stats.bsize) / 1024 / 1024),
    };
  }
}

async function runIndicator(indicator: HealthIndicator): Promise<CheckResult> {
  try {
    return await indicator();
  } catch (error) {
    return { status: 'error', error: error instanceof Error ? error.message : String(error) };
  }
}

function level(percent: number): CheckStatus {
  if (percent >= CRITICAL_PERCENT) return 'error';
  return percent >= WARNING_PERCENT ? 'warning' : 'ok';
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
