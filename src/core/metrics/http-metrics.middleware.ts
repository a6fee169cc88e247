import type { NextFunction, Request, Response } from 'express';
import type { Metrics } from './metrics';

const NOT_FOUND_ROUTE = '/{*path}';

/**
 * Counts every answered request by method, route template (`/api/tickets/:id`, never the id) and
 * status, with its duration. A request no route took (a 404, a body refused before routing) is
 * `unmatched`, so the label's values are bounded by the routes the application has.
 */
export function httpMetrics(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const route = (req.route as { path?: unknown } | undefined)?.path;
      const labels = {
        method: req.method,
        // Nest answers unknown paths from a catch-all route of its own.
        route:
          typeof route === 'string' && route !== NOT_FOUND_ROUTE
            ? `${req.baseUrl}${route}`
            : 'unmatched',
        status: String(res.statusCode),
      };
      metrics.httpRequests.inc(labels);
      if (res.statusCode === 429) metrics.rateLimited.inc({ route: labels.route });
      metrics.httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
