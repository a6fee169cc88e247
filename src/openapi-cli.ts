/**
 * `npm run openapi:generate` writes the committed specs (REST: OpenAPI; Socket.IO: AsyncAPI);
 * `npm run openapi:check` fails when the code's specs differ from them.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { createApp } from './app.factory';
import { loadConfig } from './core/env';
import { buildAsyncApiDocument, buildOpenApiDocument } from './core/openapi';
import { TICKET_SOCKET_PROTOCOL } from './tickets/socket-protocol';

export const OPENAPI_SPEC_FILE = 'openapi/guildhall.openapi.json';
export const ASYNCAPI_SPEC_FILE = 'openapi/guildhall.asyncapi.json';

/**
 * The REST and Socket.IO documents as the code describes them, built on an in-memory database with
 * placeholder settings.
 */
export async function currentSpecs(): Promise<Record<string, unknown>> {
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
    return {
      // A JSON round trip drops `undefined` members exactly as the served /docs-json does.
      [OPENAPI_SPEC_FILE]: JSON.parse(JSON.stringify(buildOpenApiDocument(app))) as unknown,
      [ASYNCAPI_SPEC_FILE]: buildAsyncApiDocument(app, TICKET_SOCKET_PROTOCOL),
    };
  } finally {
    await app.close();
  }
}

/** The committed files that differ from the code's documents. */
export function outdatedSpecs(specs: Record<string, unknown>, root = process.cwd()): string[] {
  return Object.entries(specs)
    .filter(([file, spec]) => {
      const path = join(root, file);
      const committed = existsSync(path)
        ? (JSON.parse(readFileSync(path, 'utf8')) as unknown)
        : null;
      return !isDeepStrictEqual(committed, spec);
    })
    .map(([file]) => file);
}

async function main(mode: string | undefined): Promise<number> {
  const specs = await currentSpecs();
  if (mode !== '--check') {
    for (const [file, spec] of Object.entries(specs)) {
      writeFileSync(file, JSON.stringify(spec, null, 2) + '\n');
      console.log(`wrote ${file}`);
    }
    return 0;
  }
  const outdated = outdatedSpecs(specs);
  for (const file of Object.keys(specs))
    if (outdated.includes(file))
      console.error(`${file} is out of date: run npm run openapi:generate and commit it`);
    else console.log(`${file} matches the code`);
  return outdated.length === 0 ? 0 : 1;
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
