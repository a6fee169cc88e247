import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { LoggerModule, type Params } from 'nestjs-pino';
import type { Options as HttpOptions } from 'pino-http';
import type { DestinationStream } from 'pino';
import type Redis from 'ioredis';
import { AppConfig } from '../env';
import { REDIS } from '../redis';
import { LogRing } from './log-ring';
import { LogSink } from './log-sink';
import { censorSecrets, censorError, redactUrl } from './redact';

export const REQUEST_ID_HEADER = 'x-request-id';
const VALID_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** What pino-http hands a request serializer: its standard fields, with the Express request as `raw`. */
interface SerializedRequest {
  id: string | number;
  method: string;
  url: string;
  raw: IncomingMessage & { ip?: string };
}

/**
 * Structured JSON logs (pino). Every request gets an id, taken from a well-formed incoming
 * X-Request-Id or generated, echoed in the response header and carried by every line it logs.
 * Headers are never serialised; query secrets such as `api_key` are censored from URLs.
 */
@Global()
@Module({})
export class LoggingModule {
  /** Logs to `destination`, by default a LogSink on stdout (which is then injectable, for health). */
  static forRoot(destination: DestinationStream = new LogSink()): DynamicModule {
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
      ],
      exports: [LogSink, LogRing],
      imports: [
        LoggerModule.forRootAsync({
          inject: [AppConfig, LogRing],
          useFactory: (config: AppConfig, ring: LogRing): Params => {
            const options: HttpOptions = {
              level: config.log.level,
              base: { service: 'guildhall' },
              // Censoring here rather than with pino's `redact` paths: those clone every line,
              // the request line included, and only match the exact paths they list.
              formatters: { log: censorSecrets },
              genReqId: (req: IncomingMessage, res: ServerResponse) => {
                const incoming = req.headers[REQUEST_ID_HEADER];
                const id =
                  typeof incoming === 'string' && VALID_REQUEST_ID.test(incoming)
                    ? incoming
                    : randomUUID();
                res.setHeader('X-Request-Id', id);
                return id;
              },
              customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) => {
                if (error || res.statusCode >= 500) return 'error';
                if (res.statusCode >= 400) return 'warn';
                return 'info';
              },
              serializers: {
                // Only these fields: headers (Authorization, X-API-Key, cookies) are never logged.
                req: (req: SerializedRequest) => ({
                  id: req.id,
                  method: req.method,
                  url: redactUrl(req.url),
                  ip: req.raw.ip,
                  platform: req.raw.headers['x-platform'],
                }),
                res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
                err: censorError,
              },
            };
            // Every line also goes to the ring behind GET /api/logs, after censoring.
            const tee: DestinationStream = {
              write(line: string) {
                ring.push(line);
                destination.write(line);
              },
            };
            return { pinoHttp: [options, tee] };
          },
        }),
      ],
    };
  }
}
