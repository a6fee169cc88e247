import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule, type AppModuleOptions } from './app.module';
import type { AppConfig } from './core/env';
import { configureApp, GuildhallExpressAdapter } from './core/http';
import { setupAsyncApi } from './core/openapi';
import { TICKET_SOCKET_PROTOCOL } from './tickets/socket-protocol';

/** Builds the whole application (not yet listening): used by the server, the tests and the spec export. */
export async function createApp(
  config: AppConfig,
  options: AppModuleOptions = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, options),
    new GuildhallExpressAdapter(config.http),
    {
      // Our JsonBodyMiddleware parses bodies so its errors reach the exception filter.
      bodyParser: false,
      bufferLogs: true,
      abortOnError: false,
    },
  );
  configureApp(app);
  setupAsyncApi(app, TICKET_SOCKET_PROTOCOL);
  return app;
}
