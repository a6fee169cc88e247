import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource, DataSourceOptions } from 'typeorm';
import { AppConfig } from '../env';
import { BackupJob } from './backup-job';
import { buildDataSourceOptions } from './data-source-options';
import { HotSql } from './sql';
import { StorageMonitor } from './storage-monitor';
import { TransactionRunner } from './transaction-runner';
import { newDataSource } from './data-source';

/**
 * The database connection (SQLite file by default, PostgreSQL when DATABASE_URL is set). Entities are
 * registered by their feature modules with `TypeOrmModule.forFeature`. Pending migrations run when the
 * connection opens, before any module touches the database; with DB_MIGRATE_ON_BOOT=false the start
 * fails instead while migrations are pending.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...buildDataSourceOptions(config.database),
        migrationsRun: config.database.migrateOnBoot,
        autoLoadEntities: true,
        retryAttempts: 0,
      }),
      dataSourceFactory: async (options) => {
        const migrate = (options as { migrationsRun?: boolean }).migrationsRun === true;
        const dataSource = await newDataSource({
          ...(options as DataSourceOptions),
          migrationsRun: false,
        }).initialize();
        if (migrate) await runMigrationsAlone(dataSource);
        // Without migrations on boot, an outdated schema must stop the start, not fail requests later.
        else if (await dataSource.showMigrations()) {
          await dataSource.destroy();
          throw new Error(
            'The database has pending migrations: run `npm run migration:run` or set DB_MIGRATE_ON_BOOT=true',
          );
        }
        return dataSource;
      },
    }),
  ],
  providers: [TransactionRunner, StorageMonitor, HotSql, BackupJob],
  exports: [TransactionRunner, StorageMonitor, HotSql, BackupJob],
})
export class DatabaseModule {}

/** The advisory lock that instances starting together take turns on to migrate (PostgreSQL). */
const MIGRATION_LOCK = 0x676d;

/**
 * Runs pending migrations; on PostgreSQL under an advisory lock, so that instances starting at the
 * same moment migrate one after the other (the second finds nothing left to do).
 */
async function runMigrationsAlone(dataSource: DataSource): Promise<void> {
  if (dataSource.options.type !== 'postgres') {
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    // One lock per schema: deployments in other schemas of the database do not wait.
    await lock.query('SELECT pg_advisory_lock($1, hashtext(current_schema()))', [MIGRATION_LOCK]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lock
      .query('SELECT pg_advisory_unlock($1, hashtext(current_schema()))', [MIGRATION_LOCK])
      .catch(() => undefined);
    await lock.release();
  }
}
