export { buildOpenApiDocument, DOCS_JSON_PATH, DOCS_PATH, SECURITY, setupOpenApi } from './openapi';
export * from './asyncapi';
