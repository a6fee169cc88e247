import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';

/**
 * Online backups of the SQLite database and their restore.
 *
 * A backup is `VACUUM INTO` on a read-only connection of its own: one read transaction, so the copy
 * is the database as of the moment it began (every write acknowledged before is in it), while the
 * server goes on reading and writing (WAL). It runs in a worker thread, so neither the server's event
 * loop nor a progress bar waits for it, is written under a temporary name, checked with
 * `PRAGMA integrity_check`, and only then renamed into place.
 */

export interface BackupProgress {
  /** Bytes of the copy written so far, and about how many it will have. */
  written: number;
  expected: number;
}

export interface BackupResult {
  file: string;
  bytes: number;
  ms: number;
}

const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const source = new Database(workerData.source, { readonly: true, fileMustExist: true, timeout: workerData.busyMs });
try {
  source.prepare('VACUUM INTO ?').run(workerData.target);
} finally {
  source.close();
}
const copy = new Database(workerData.target, { readonly: true, fileMustExist: true });
try {
  parentPort.postMessage({ integrity: copy.pragma('integrity_check', { simple: true }) });
} finally {
  copy.close();
}
`;

/** Copies the database at `source` to `target` (which must not exist) while it is in use. */
export async function backupSqlite(
  source: string,
  target: string,
  options: { busyMs?: number; onProgress?: (progress: BackupProgress) => void } = {},
): Promise<BackupResult> {
  if (!existsSync(source)) throw new Error(`There is no database at ${source}`);
  if (existsSync(target)) throw new Error(`${target} exists already; choose another name`);
  const started = performance.now();
  const expected = usedBytes(source);
  const partial = join(dirname(target), `.${basename(target)}.partial`);
  rmSync(partial, { force: true });
  const progress = setInterval(() => {
    if (existsSync(partial)) options.onProgress?.({ written: statSync(partial).size, expected });
  }, 200);
  try {
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        driver: require.resolve('better-sqlite3'),
        source,
        target: partial,
        busyMs: options.busyMs ?? 5000,
      },
    });
    const { integrity } = await new Promise<{ integrity: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`The backup stopped (exit ${code})`)));
    });
    if (integrity !== 'ok') throw new Error(`The copy failed its integrity check: ${integrity}`);
    renameSync(partial, target);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    clearInterval(progress);
  }
  const bytes = statSync(target).size;
  options.onProgress?.({ written: bytes, expected: bytes });
  return { file: target, bytes, ms: Math.round(performance.now() - started) };
}

/** What a restore found wrong; the message says what to do. */
export class RestoreRefused extends Error {
  override readonly name = 'RestoreRefused';
}

/**
 * Replaces the database at `target` with the backup at `file`, after checking that no process has
 * the database open, that the backup passes `PRAGMA integrity_check`, and that it holds no migration
 * this version does not know (an older one is fine: the server migrates it on start). The database it
 * replaces is kept next to it as `<name>.before-restore`.
 */
export function restoreSqlite(
  file: string,
  target: string,
  knownMigrations: readonly string[],
): { replaced: string | undefined; migrations: number } {
  const applied = checkBackup(file, knownMigrations);
  if (existsSync(target)) assertUnused(target);
  const incoming = `${target}.restoring`;
  rmSync(incoming, { force: true });
  const copy = new Database(file, { readonly: true, fileMustExist: true });
  try {
    copy.prepare('VACUUM INTO ?').run(incoming);
  } finally {
    copy.close();
  }
  let replaced: string | undefined;
  if (existsSync(target)) {
    replaced = `${target}.before-restore`;
    rmSync(replaced, { force: true });
    renameSync(target, replaced);
  }
  // A write-ahead log of the replaced database must not be applied to the restored one.
  for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
  renameSync(incoming, target);
  return { replaced, migrations: applied.length };
}

/** The backup's applied migrations, once it is known to be a sound database of this application. */
function checkBackup(file: string, knownMigrations: readonly string[]): string[] {
  if (!existsSync(file)) throw new RestoreRefused(`There is no file at ${file}`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new RestoreRefused(`${file} is not a SQLite database: ${(error as Error).message}`);
  }
  try {
    let integrity: unknown;
    try {
      integrity = db.pragma('integrity_check', { simple: true });
    } catch (error) {
      throw new RestoreRefused(`${file} is damaged: ${(error as Error).message}`);
    }
    if (integrity !== 'ok') throw new RestoreRefused(`${file} is damaged: ${String(integrity)}`);
    let applied: string[];
    try {
      applied = (
        db.prepare('SELECT name FROM migrations ORDER BY id').all() as { name: string }[]
      ).map((row) => row.name);
    } catch {
      throw new RestoreRefused(`${file} is not a Guildhall database (it has no migrations table)`);
    }
    const unknown = applied.filter((name) => !knownMigrations.includes(name));
    if (unknown.length > 0)
      throw new RestoreRefused(
        `${file} comes from a newer version (migrations ${unknown.join(', ')} are unknown here); ` +
          'restore it with that version',
      );
    return applied;
  } finally {
    db.close();
  }
}

/**
 * A process with the database open (a running server) keeps it in WAL mode: leaving WAL mode then
 * fails with SQLITE_BUSY. Nobody else: it is switched back at once.
 */
function assertUnused(target: string): void {
  const db = new Database(target, { fileMustExist: true, timeout: 0 });
  try {
    const mode = db.pragma('journal_mode', { simple: true });
    try {
      db.pragma('journal_mode = DELETE');
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_BUSY')
        throw new RestoreRefused(
          `Another process (a running server?) has ${target} open; stop it before restoring`,
        );
      throw error;
    }
    if (mode === 'wal') db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
}

/** About how many bytes a compacted copy will have: the pages in use. */
function usedBytes(source: string): number {
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    const pages = Number(db.pragma('page_count', { simple: true }));
    const free = Number(db.pragma('freelist_count', { simple: true }));
    return (pages - free) * Number(db.pragma('page_size', { simple: true }));
  } finally {
    db.close();
  }
}
