/**
 * `npm run db:backup -- <file>`: an online, consistent copy of the SQLite database, safe while the
 * server runs and writes (see sqlite-backup.ts), with a progress bar. On PostgreSQL, use pg_dump.
 */
import { backupSqlite } from '../core/database';
import { loadConfig, readDotEnv } from '../core/env';
import { progressBar, runCommand } from './import-command';

async function main([file, ...rest]: string[]): Promise<number> {
  if (!file || rest.length > 0) {
    console.error('usage: npm run db:backup -- <file>');
    return 2;
  }
  readDotEnv();
  const { config } = loadConfig(process.env, process.cwd(), { readOnly: true });
  const { target, busyTimeoutMs } = config.database;
  if (target.kind !== 'sqlite') {
    console.error('The database is PostgreSQL: back it up with pg_dump (see the README).');
    return 1;
  }
  const bar = progressBar('backing up [{bar}] {percentage}% {value}/{total} KiB');
  let started = false;
  const result = await backupSqlite(target.path, file, {
    busyMs: busyTimeoutMs,
    onProgress: ({ written, expected }) => {
      const total = Math.max(1, Math.ceil(expected / 1024));
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(Math.min(total, Math.ceil(written / 1024)));
    },
  });
  if (started) bar.stop();
  console.log(
    `backup: ${target.path} → ${result.file} (${Math.ceil(result.bytes / 1024)} KiB, ` +
      `${result.ms} ms), integrity ok`,
  );
  return 0;
}

runCommand(main);
