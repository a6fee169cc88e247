import { createServer, type Server } from 'node:http';
import {
  Global,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AppConfig } from '../env';
import { Metrics } from './metrics';
import { metricsAllowed } from './metrics-access';

/**
 * The metrics registry for every module, and with METRICS_PORT a server of its own for
 * `GET /metrics` (then the application's port does not serve it).
 */
@Global()
@Module({ providers: [Metrics], exports: [Metrics] })
export class MetricsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server: Server | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { port, token } = this.config.metrics;
    if (port === undefined) return;
    this.server = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      if (!metricsAllowed(token, req.headers.authorization)) {
        res.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end();
        return;
      }
      this.metrics.scrape().then(
        (body) => res.writeHead(200, { 'Content-Type': this.metrics.contentType }).end(body),
        (error: unknown) => {
          this.logger.error({ err: error }, 'Could not collect the metrics');
          res.writeHead(500).end();
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(port, this.config.http.host ?? '::', () => resolve());
    });
    this.logger.log(`Metrics on port ${this.port}`);
  }

  /** The separate metrics port as bound (METRICS_PORT=0 takes a free one). */
  get port(): number | undefined {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
