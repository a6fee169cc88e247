import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import { AppConfig } from '../env';
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
        const dataSource = await newDataSource(options as DataSourceOptions).initialize();
        // Without migrations on boot, an outdated schema must stop the start, not fail requests later.
        if (
          !(options as { migrationsRun?: boolean }).migrationsRun &&
          (await dataSource.showMigrations())
        ) {
          await dataSource.destroy();
          throw new Error(
            'The database has pending migrations: run `npm run migration:run` or set DB_MIGRATE_ON_BOOT=true',
          );
        }
        return dataSource;
      },
    }),
  ],
  providers: [TransactionRunner, StorageMonitor, HotSql],
  exports: [TransactionRunner, StorageMonitor, HotSql],
})
export class DatabaseModule {}
