import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { type AuthenticatedRequest, clientInfo } from '../auth/principal';
import { AnalyticsRecorder } from './analytics-recorder';
import { endpointName } from './endpoint-names';

/**
 * Records every authenticated request once its answer has gone out: who (the session and user the
 * guard found), which endpoint (by route template, never a raw id), the status and the client's
 * X-* headers. Recording is an append to a buffer; the request never waits for it.
 */
@Injectable()
export class RecordingMiddleware implements NestMiddleware {
  constructor(private readonly recorder: AnalyticsRecorder) {}

  use(req: AuthenticatedRequest, res: Response, next: NextFunction): void {
    res.once('finish', () => {
      const principal = req.principal;
      if (principal?.kind !== 'user') return;
      const route = (req.route as { path?: unknown } | undefined)?.path;
      const template = typeof route === 'string' ? route : 'unmatched';
      const client = clientInfo(req);
      this.recorder.record({
        at: new Date(),
        kind: 'request',
        name: endpointName(req.method, template),
        method: req.method,
        status: res.statusCode,
        userId: principal.user.id,
        sessionId: principal.session.id,
        platform: client.platform ?? principal.session.platform,
        appVersion: client.appVersion ?? principal.session.appVersion,
        props: null,
        client: {
          deviceInfo: client.deviceInfo ?? principal.session.deviceInfo,
          clientSessionId: client.clientSessionId,
          ip: client.ip,
          userAgent: client.userAgent,
        },
      });
    });
    next();
  }
}
