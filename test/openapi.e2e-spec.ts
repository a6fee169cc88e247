import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPENAPI_SPEC_FILE } from '../src/openapi-cli';
import { createTestApp, type TestApp } from './support/app';

describe('OpenAPI', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('serves the same spec as the committed one (run npm run openapi:generate after changing routes)', async () => {
    const res = await t.http().get('/docs-json').expect(200);
    const committed = JSON.parse(
      readFileSync(join(__dirname, '..', OPENAPI_SPEC_FILE), 'utf8'),
    ) as unknown;
    expect(res.body).toEqual(committed);
  });

  it('declares the bearer and API-key security schemes', async () => {
    const res = await t.http().get('/docs-json').expect(200);
    expect(res.body.components.securitySchemes).toEqual({
      bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      'api-key': { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      'api-key-query': { type: 'apiKey', in: 'query', name: 'api_key' },
    });
  });

  it('describes response bodies from the DTOs', async () => {
    const res = await t.http().get('/docs-json').expect(200);
    const schema = res.body.components.schemas.BuildCrewHealthDto;
    expect(schema.required).toEqual(expect.arrayContaining(['status', 'service', 'timestamp']));
    expect(
      res.body.paths['/health'].get.responses['200'].content['application/json'].schema,
    ).toEqual({
      $ref: '#/components/schemas/BuildCrewHealthDto',
    });
  });

  it('names the permission and security of protected routes and none for public ones', async () => {
    const { body } = await t.http().get('/docs-json').expect(200);
    expect(body.paths['/api/users/{id}'].get).toMatchObject({
      'x-permission': 'users.read',
      security: [{ bearer: [] }],
    });
    expect(body.paths['/test_auth'].get.security).toEqual([
      { 'api-key': [] },
      { 'api-key-query': [] },
    ]);
    expect(body.paths['/api/auth/me'].get.security).toEqual([{ bearer: [] }]);
    expect(body.paths['/health'].get.security).toBeUndefined();
  });

  it('serves Swagger UI at /docs', async () => {
    const res = await t.http().get('/docs').expect(200);
    expect(res.text).toContain('swagger-ui');
  });
});
