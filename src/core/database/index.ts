export { BackupJob } from './backup-job';
export {
  buildDataSourceOptions,
  ENTITIES_GLOB,
  knownMigrationNames,
  MIGRATIONS_DIR,
  migrationsGlob,
  SQLITE_SYNC_BUSY_WAIT_MS,
} from './data-source-options';
export { DatabaseModule } from './database.module';
export { pendingSchemaChanges } from './schema-drift';
export { SerialQueue } from './serial-queue';
export {
  columns,
  HotSql,
  Rows,
  runSql,
  type SqlParam,
  type SqlResult,
  type SqlRow,
  toPostgres,
} from './sql';
export { type StorageCheck, StorageMonitor } from './storage-monitor';
export { TransactionRunner } from './transaction-runner';
export {
  createScratchDatabase,
  openScratchDataSource,
  type ScratchDatabase,
} from './scratch-database';
export { backupSqlite, type BackupProgress, restoreSqlite, RestoreRefused } from './sqlite-backup';
export { isUniqueViolation } from './unique-violation';
