import { createServer, type RequestListener, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { Logger } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { AppConfig } from '../env';
import type { ErrorBody } from '../errors';
import { jsonText } from './reused-json';

/** Node's HTTP parser errors, as the status a client should see and our error code. */
function statusOf(code: string | undefined): { status: number; errorCode: string } {
  if (code === 'HPE_HEADER_OVERFLOW') return { status: 431, errorCode: 'HEADERS_TOO_LARGE' };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, errorCode: 'REQUEST_TIMEOUT' };
  return { status: 400, errorCode: 'BAD_REQUEST' };
}

const MESSAGES: Record<number, string> = {
  400: 'The request could not be parsed',
  408: 'The request took too long to arrive',
  431: 'The request headers are too large',
};

/**
 * Express on a Node server of our own: requests whose headers and body do not arrive within
 * REQUEST_TIMEOUT_MS get 408, and what Node's parser refuses before Nest ever sees the request
 * (headers too large, a bad request line, a timeout) is answered with the JSON error body every
 * other error has, and logged.
 */
const logger = new Logger('HttpServer');

export class GuildhallExpressAdapter extends ExpressAdapter {
  constructor(private readonly http: AppConfig['http']) {
    super();
  }

  override initHttpServer(options: Parameters<ExpressAdapter['initHttpServer']>[0]): void {
    if (options?.httpsOptions) return super.initHttpServer(options);
    const timeout = this.http.requestTimeoutMs;
    const server = createServer(
      {
        requestTimeout: timeout,
        headersTimeout: Math.min(timeout, 60_000),
        // How often Node looks for requests past their timeout: a tenth of it, between 0.1 and 1 s.
        connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(timeout / 10))),
      },
      this.getInstance<RequestListener>(),
    );
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) =>
      this.clientError(error, socket),
    );
    this.httpServer = server;
    // forceCloseConnections is not used here: ConnectionTracker closes connections at shutdown.
  }

  /**
   * A handler's JSON answer, written straight to Node: Express's `res.json` re-parses the
   * Content-Type it has just set to add a charset and copies a body of 1,000 characters or more
   * into a Buffer before writing it. Anything but a plain JSON answer (a file, a string, an error
   * object, a Content-Type a handler set itself) goes through Express as before.
   */
  override reply(response: unknown, body: unknown, statusCode?: number): unknown {
    const res = response as ServerResponse;
    const status = statusCode ?? res.statusCode;
    if (!isJsonBody(body) || res.hasHeader('Content-Type') || status === 204 || status === 304) {
      return super.reply(response, body, statusCode);
    }
    res.statusCode = status;
    const { json, bytes } = jsonText(body);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', bytes);
    res.end(res.req.method === 'HEAD' ? undefined : json);
    return res;
  }

  private clientError(error: NodeJS.ErrnoException, socket: Duplex): void {
    // A client that went away has nobody left to answer.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const { status, errorCode } = statusOf(error.code);
    logger.warn(
      { err: { code: error.code, message: error.message }, status },
      `Refused a request before routing: ${MESSAGES[status]}`,
    );
    const answer: ErrorBody = {
      error: MESSAGES[status] ?? 'Bad request',
      code: status,
      error_code: errorCode,
    };
    const body = JSON.stringify(answer);
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  }
}

/** A plain object or array, which is all Express's `res.json` would be handed for it. */
function isJsonBody(body: unknown): body is object {
  if (body === null || typeof body !== 'object') return false;
  const proto = Object.getPrototypeOf(body) as unknown;
  return proto === Object.prototype || proto === Array.prototype || proto === null;
}
