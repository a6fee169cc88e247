import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '../env';
import { httpMetrics, Metrics } from '../metrics';
import { setupOpenApi } from '../openapi';
import { GuildhallIoAdapter } from '../realtime';
import { corsOptions } from './cors';
import { securityHeaders } from './security-headers';

/** Application-level HTTP settings shared by the server, the test harness and the spec export. */
export function configureApp(app: NestExpressApplication): void {
  const config = app.get(AppConfig);
  app.useLogger(app.get(Logger));
  app.set('trust proxy', config.http.trustProxy);
  // No ETag: Express would hash every JSON body (SHA-1) for a header no client of this API uses.
  app.set('etag', false);
  app.use(httpMetrics(app.get(Metrics)));
  app.use(
    securityHeaders({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          // Swagger UI and the test form load their scripts from this origin and style inline.
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:', 'https:'],
          'connect-src': ["'self'"],
          // Behind plain-HTTP development servers an upgrade would break every asset.
          'upgrade-insecure-requests': null,
        },
      },
    }),
  );
  const cors = corsOptions(config.http.corsOrigins);
  if (cors) app.enableCors(cors);
  app.useWebSocketAdapter(new GuildhallIoAdapter(app));
  setupOpenApi(app);
}
