import type { INestApplication } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { createApp } from './app.factory';
import { type AppConfig, ConfigError, loadConfig, readDotEnv } from './core/env';

async function bootstrap(): Promise<void> {
  readDotEnv();
  let loaded;
  try {
    loaded = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`guildhall: refusing to start: ${error.message}\n`);
    process.exit(1);
  }
  const { config, generatedAdminPassword } = loaded;
  const app = await createApp(config);
  const logger = app.get(Logger);
  handleShutdown(app, config, logger);
  await app.listen(config.http.port, config.http.host ?? '::');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  logger.log(`Guildhall listening on http://localhost:${port} (docs at /docs)`, 'Bootstrap');
  if (generatedAdminPassword !== undefined) {
    // Deliberately not a log line: shown once on the terminal of the first start, never shipped to logs.
    process.stdout.write(
      `\nGenerated a password for the admin user "${config.auth.admin.username}": ${generatedAdminPassword}\n` +
        `It is kept in ${config.database.dataDir}/dev-secrets.json; set API_ADMIN_PASS to choose your own.\n\n`,
    );
  }
}

/**
 * SIGTERM / SIGINT: stop accepting connections, let in-flight requests finish, close sockets and the
 * database, then exit. A stuck request cannot hold the process longer than SHUTDOWN_TIMEOUT_MS.
 */
function handleShutdown(app: INestApplication, config: AppConfig, logger: Logger): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    logger.log(`${signal} received, shutting down`, 'Bootstrap');
    setTimeout(() => {
      logger.error(
        `Shutdown took longer than ${config.http.shutdownTimeoutMs} ms, exiting`,
        'Bootstrap',
      );
      process.exit(1);
    }, config.http.shutdownTimeoutMs).unref();
    app
      .close()
      .then(() => {
        logger.log('Shutdown complete', 'Bootstrap');
        process.exitCode = 0;
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'Shutdown failed', 'Bootstrap');
        process.exit(1);
      });
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(
    `guildhall: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
