/**
 * `npm run openapi:generate` writes the committed spec; `npm run openapi:check` fails when the code's
 * spec differs from it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { createApp } from './app.factory';
import { loadConfig } from './core/env';
import { buildOpenApiDocument } from './core/openapi';

export const OPENAPI_SPEC_FILE = 'openapi/guildhall.openapi.json';

/** The spec as the code describes it, built on an in-memory database with placeholder settings. */
export async function currentSpec(): Promise<unknown> {
  const { config } = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SQLITE_PATH: ':memory:',
    SECRET_KEY: 'openapi-export-placeholder-secret-0000000000',
    API_ADMIN_PASS: 'openapi-export-placeholder',
  });
  const app = await createApp(config);
  try {
    await app.init();
    // A JSON round trip drops `undefined` members exactly as the served /docs-json does.
    return JSON.parse(JSON.stringify(buildOpenApiDocument(app))) as unknown;
  } finally {
    await app.close();
  }
}

async function main(mode: string | undefined): Promise<number> {
  const spec = await currentSpec();
  if (mode === '--check') {
    const committed = JSON.parse(readFileSync(OPENAPI_SPEC_FILE, 'utf8')) as unknown;
    if (!isDeepStrictEqual(committed, spec)) {
      console.error(
        `${OPENAPI_SPEC_FILE} is out of date: run npm run openapi:generate and commit it`,
      );
      return 1;
    }
    console.log(`${OPENAPI_SPEC_FILE} matches the code`);
    return 0;
  }
  writeFileSync(OPENAPI_SPEC_FILE, JSON.stringify(spec, null, 2) + '\n');
  console.log(`wrote ${OPENAPI_SPEC_FILE}`);
  return 0;
}

if (require.main === module) {
  main(process.argv[2]).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
