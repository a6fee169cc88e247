import {
  type DynamicModule,
  Global,
  Inject,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  RequestMethod,
} from '@nestjs/common';
import { LoggerModule, type Params } from 'nestjs-pino';
import pino, { type DestinationStream, type Logger } from 'pino';
import type Redis from 'ioredis';
import { AppConfig } from '../env';
import { REDIS } from '../redis';
import { LogRing } from './log-ring';
import { LogSink } from './log-sink';
import { censorSecrets, censorError } from './redact';
import { requestLogger } from './request-logger';

/** The process's root pino logger: every line, in a request or not, goes through it. */
const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/**
 * Structured JSON logs (pino), through nestjs-pino's Logger and PinoLogger for the rest of the
 * code, with our own request logging (request-logger.ts) in front of every route.
 * Headers are never serialised; query secrets such as `api_key` are censored from URLs.
 */
@Global()
@Module({})
export class LoggingModule implements NestModule {
  constructor(@Inject(ROOT_LOGGER) private readonly root: Logger) {}

  /** Logs to `destination`, by default a LogSink on stdout (which is then injectable, for health). */
  static forRoot(destination: DestinationStream = new LogSink()): DynamicModule {
    const root = {
      provide: ROOT_LOGGER,
      inject: [AppConfig, LogRing],
      useFactory: (config: AppConfig, ring: LogRing): Logger => {
        // Every line also goes to the ring behind GET /api/logs, after censoring.
        const tee: DestinationStream = {
          write(line: string) {
            ring.push(line);
            destination.write(line);
          },
        };
        return pino(
          {
            level: config.log.level,
            base: { service: 'guildhall' },
            // Censoring here rather than with pino's `redact` paths: those clone every line,
            // the request line included, and only match the exact paths they list.
            formatters: { log: censorSecrets },
            serializers: { err: censorError },
          },
          tee,
        );
      },
    };
    return {
      module: LoggingModule,
      providers: [
        { provide: LogSink, useValue: destination instanceof LogSink ? destination : null },
        {
          provide: LogRing,
          inject: [AppConfig, REDIS],
          useFactory: (config: AppConfig, redis: Redis | null) =>
            new LogRing(config.logRing.size, redis),
        },
        root,
      ],
      exports: [LogSink, LogRing, ROOT_LOGGER],
      imports: [
        LoggerModule.forRootAsync({
          inject: [ROOT_LOGGER],
          // nestjs-pino only wraps our logger: its own per-request middleware stays off.
          useFactory: (logger: Logger): Params => ({
            pinoHttp: { logger },
            useExisting: true,
            forRoutes: [],
          }),
        }),
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(requestLogger(this.root))
      .forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
