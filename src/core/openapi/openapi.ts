import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { version } from '../../../package.json';

export const DOCS_PATH = 'docs';
export const DOCS_JSON_PATH = 'docs-json';

/** Security scheme names routes refer to with `@ApiBearerAuth()` / `@ApiSecurity(...)`. */
export const SECURITY = {
  bearer: 'bearer',
  apiKeyHeader: 'api-key',
  apiKeyQuery: 'api-key-query',
} as const;

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Guildhall API')
    .setDescription(
      'Operations backend of a Discord community: the HazeBot API under `/api` (JWT) and the ' +
        'Build Crew partner API at the root (API key).',
    )
    .setVersion(version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, SECURITY.bearer)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, SECURITY.apiKeyHeader)
    .addApiKey({ type: 'apiKey', in: 'query', name: 'api_key' }, SECURITY.apiKeyQuery)
    .build();
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) =>
      `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
}

/** Swagger UI at `/docs`, the JSON spec at `/docs-json`. */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup(DOCS_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: DOCS_JSON_PATH,
    yamlDocumentUrl: 'docs-yaml',
    customSiteTitle: 'Guildhall API',
  });
}
