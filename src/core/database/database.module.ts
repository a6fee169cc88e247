import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../env';
import { buildDataSourceOptions } from './data-source-options';
import { TransactionRunner } from './transaction-runner';

/**
 * The database connection (SQLite file by default, PostgreSQL when DATABASE_URL is set). Entities are
 * registered by their feature modules with `TypeOrmModule.forFeature`. Pending migrations run when the
 * connection opens, before any module touches the database, unless DB_MIGRATE_ON_BOOT=false.
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
    }),
  ],
  providers: [TransactionRunner],
  exports: [TransactionRunner],
})
export class DatabaseModule {}
