import type { NestExpressApplication } from '@nestjs/platform-express';
import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '../env';
import { setupOpenApi } from '../openapi';

/** Headers a browser client may read from cross-origin responses. */
const EXPOSED_HEADERS = ['X-Request-Id', 'Retry-After'];

/**
 * CORS from CORS_ORIGINS: unset allows no cross-origin callers (same-origin and non-browser
 * clients are unaffected); a list allows exactly those origins with credentials; `*` allows any
 * origin but never with credentials.
 */
export function corsOptions(origins: string[]): CorsOptions | undefined {
  if (origins.length === 0) return undefined;
  const common = { exposedHeaders: EXPOSED_HEADERS, maxAge: 600 };
  if (origins.includes('*')) return { ...common, origin: '*', credentials: false };
  return { ...common, origin: origins, credentials: true };
}

/** Application-level HTTP settings shared by the server, the test harness and the spec export. */
export function configureApp(app: NestExpressApplication): void {
  const config = app.get(AppConfig);
  app.useLogger(app.get(Logger));
  app.set('trust proxy', config.http.trustProxy);
  app.use(
    helmet({
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
  setupOpenApi(app);
}
