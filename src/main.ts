import type { INestApplication } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { createApp } from './app.factory';
import { type AppConfig, ConfigError, loadConfig, readDotEnv } from './core/env';
import { ConnectionTracker, ShutdownState } from './core/http';
import { SingletonLease } from './core/lease';

/** Exit status asking the supervisor (systemd, Docker) for a restart: EX_TEMPFAIL. */
const EXIT_RESTART = 75;

async function bootstrap(): Promise<void> {
  readDotEnv();
  let loaded;
  try {
    loaded = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // One line, as supervisors log it; `npm run config:check` lists the problems one per line.
    process.stderr.write(`guildhall: refusing to start: ${error.problems.join('; ')}\n`);
    process.exit(1);
  }
  const { config, generatedAdminPassword } = loaded;
  const app = await createApp(config);
  const logger = app.get(Logger);
  await app.listen(config.http.port, config.http.host ?? '::');
  const shutdown = handleShutdown(app, new ConnectionTracker(app.getHttpServer()), config, logger);
  if (config.discord.gatewayEnabled)
    app.get(SingletonLease).onLost(() => {
      // A logged-out discord.js client cannot log in again: the process restarts as a standby.
      logger.error('Lost the singleton lease while running the bot; restarting', 'Bootstrap');
      process.exitCode = EXIT_RESTART;
      shutdown('SIGTERM');
    });
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
 * SIGTERM / SIGINT, in this order: readiness fails (and stays failed for SHUTDOWN_DELAY_MS, for load
 * balancers to notice); the listener stops accepting; every request already sent is answered, also
 * on connections accepted a moment ago; Socket.IO clients are told why and disconnected; the outbox
 * finishes its delivery in flight; the database closes; the process exits by itself. Nothing can
 * hold it longer than SHUTDOWN_TIMEOUT_MS.
 */
function handleShutdown(
  app: INestApplication,
  connections: ConnectionTracker,
  config: AppConfig,
  logger: Logger,
): (signal: NodeJS.Signals) => void {
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
    app.get(ShutdownState).begin();
    new Promise((resolve) => setTimeout(resolve, config.http.shutdownDelayMs))
      .then(() => connections.stopAccepting())
      .then(() => connections.closeIdle())
      .then(() => app.close())
      .then(() => {
        logger.log('Shutdown complete', 'Bootstrap');
        process.exitCode ??= 0;
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'Shutdown failed', 'Bootstrap');
        process.exit(1);
      });
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  return shutdown;
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(
    `guildhall: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
