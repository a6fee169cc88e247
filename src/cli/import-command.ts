/**
 * What the import commands share: the application (migrated database, services) without an HTTP
 * server or background workers, a progress bar that also reports without a terminal, and the exit.
 */
import type { INestApplication } from '@nestjs/common';
import { SingleBar } from 'cli-progress';
import { createApp } from '../app.factory';
import { loadConfig, readDotEnv } from '../core/env';

export async function withImportApp<T>(work: (app: INestApplication) => Promise<T>): Promise<T> {
  readDotEnv();
  const { config } = loadConfig({
    ...process.env,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    OUTBOX_POLL_MS: '0',
    TICKET_JOB_INTERVAL_MS: '0',
  });
  const app = await createApp(config);
  await app.init();
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

/** Without a terminal the bar still reports, a line every few seconds, so logs show progress too. */
export function progressBar(format: string): SingleBar {
  return new SingleBar({ format, stream: process.stderr, noTTYOutput: true, notTTYSchedule: 2000 });
}

export function runCommand(main: (args: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
