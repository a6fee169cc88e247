/**
 * `npm run db:restore -- <file>`: replaces the SQLite database with a backup. Refuses while a server
 * (or any process) has the database open, and a backup that is damaged or comes from a newer version;
 * the database it replaces is kept as `<name>.before-restore`. On PostgreSQL, use pg_restore.
 */
import { knownMigrationNames, restoreSqlite, RestoreRefused } from '../core/database';
import { loadConfig, readDotEnv } from '../core/env';
import { runCommand } from './import-command';

function main([file, ...rest]: string[]): Promise<number> {
  if (!file || rest.length > 0) {
    console.error('usage: npm run db:restore -- <file>');
    return Promise.resolve(2);
  }
  readDotEnv();
  const { config } = loadConfig(process.env, process.cwd(), { readOnly: true });
  const { target } = config.database;
  if (target.kind !== 'sqlite') {
    console.error('The database is PostgreSQL: restore it with pg_restore (see the README).');
    return Promise.resolve(1);
  }
  try {
    const { replaced, migrations } = restoreSqlite(
      file,
      target.path,
      knownMigrationNames('sqlite'),
    );
    console.log(
      `restore: ${file} → ${target.path} (${migrations} migration(s) applied in it; the server ` +
        `runs any newer ones when it starts)` +
        (replaced ? `; the previous database is kept as ${replaced}` : ''),
    );
    return Promise.resolve(0);
  } catch (error) {
    if (!(error instanceof RestoreRefused)) throw error;
    console.error(`restore refused: ${error.message}`);
    return Promise.resolve(1);
  }
}

runCommand(main);
