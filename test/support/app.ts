import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModuleMetadata } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { getDataSourceToken } from '@nestjs/typeorm';
import { __resetOutOfContextForTests } from 'nestjs-pino/PinoLogger';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import { createScratchDatabase, type ScratchDatabase } from '../../src/core/database';
import { type AppConfig, loadConfig } from '../../src/core/env';
import type { EnvInput } from '../../src/core/env/env.schema';
import type { PushSender } from '../../src/notifications/push-sender';
import { LogCapture } from './log-capture';

export const TEST_SECRET_KEY = 'test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz';
export const TEST_ADMIN_PASSWORD = 'test-admin-password';

export interface TestAppOptions {
  /** Variables on top of the test defaults (a fresh DATA_DIR and SQLite file, fixed secrets). */
  env?: EnvInput;
  /** `postgres` runs against TEST_DATABASE_URL in a schema of its own. */
  database?: 'sqlite' | 'postgres';
  imports?: ModuleMetadata['imports'];
  /** Where pushes go (a RecordingPushSender); without it push is off unless configured. */
  pushSender?: PushSender;
}

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  /** Base URL of the listening server, e.g. http://127.0.0.1:40123. */
  url: string;
  /** A supertest client talking to the server over real HTTP. */
  http: () => ReturnType<typeof request>;
  logs: LogCapture;
  dataSource: DataSource;
  dataDir: string;
  close(): Promise<void>;
}

export const postgresUrl = process.env.TEST_DATABASE_URL;
export const redisUrl = process.env.TEST_REDIS_URL;

/**
 * TEST_REDIS_URL under a key prefix of its own: the apps given the same one share budgets, caches and
 * rooms, and nothing left in Redis by an earlier run counts.
 */
export function sharedRedis(): { REDIS_URL: string; REDIS_KEY_PREFIX: string } {
  if (!redisUrl) throw new Error('TEST_REDIS_URL is not set');
  return { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `test-${randomBytes(6).toString('hex')}:` };
}

/** The databases a suite runs on: PostgreSQL too, reported as skipped without TEST_DATABASE_URL. */
export const DATABASE_KINDS = ['sqlite', 'postgres'] as const;
export const describeOn = (kind: (typeof DATABASE_KINDS)[number]): jest.Describe =>
  kind === 'postgres' && !postgresUrl ? describe.skip : describe;

/** The whole application on port 0, with its own data directory and database, over loopback HTTP. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'guildhall-test-'));
  let scratch: ScratchDatabase | undefined;
  const env: EnvInput = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATA_DIR: dataDir,
    SECRET_KEY: TEST_SECRET_KEY,
    API_ADMIN_PASS: TEST_ADMIN_PASSWORD,
    ...options.env,
  };
  if (options.database === 'postgres') {
    if (!postgresUrl) throw new Error('TEST_DATABASE_URL is not set');
    scratch = await createScratchDatabase('postgres', postgresUrl);
    env.DATABASE_URL = postgresUrl;
    env.DB_SCHEMA = scratch.database.schema;
  }
  const { config } = loadConfig(env);
  const logs = new LogCapture();
  // nestjs-pino keeps one logger for lines outside a request per process, made for the first app;
  // without this, every later app of a test file would log into the first app's capture.
  __resetOutOfContextForTests();
  const app = await createApp(config, {
    logDestination: logs,
    imports: options.imports,
    pushSender: options.pushSender,
  });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  let closed = false;
  return {
    app,
    config,
    url,
    http: () => request(url),
    logs,
    dataSource: app.get<DataSource>(getDataSourceToken()),
    dataDir,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await scratch?.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
