/**
 * Migration commands (`npm run migration:<command>`):
 *   run                         apply pending migrations to the configured database
 *   revert                      undo the last applied migration of the configured database
 *   generate <Name> [--postgres URL]
 *                               write migrations/<kind>/<timestamp>-<Name>.ts for SQLite, and for
 *                               PostgreSQL when a URL is given, from the difference between the
 *                               entities and what the existing migrations build
 *   check [--postgres URL]      fail when the entities differ from what the migrations build, or
 *                               when the two kinds' migration folders do not list the same names
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { loadConfig, readDotEnv } from '../env';
import type { DatabaseTarget } from '../env';
import { buildDataSourceOptions, ENTITIES_GLOB } from './data-source-options';
import { createScratchDatabase, openScratchDataSource } from './scratch-database';
import { newDataSource } from './data-source';

type Kind = DatabaseTarget['kind'];

/** The committed sources (npm scripts run from the repository root); `MIGRATIONS_DIR` is the compiled copy. */
const SOURCE_MIGRATIONS_DIR = resolve('migrations');

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const postgresUrl = option(rest, '--postgres');
  switch (command) {
    case 'run':
      return withConfiguredDatabase(async (dataSource) => {
        const applied = await dataSource.runMigrations({ transaction: 'each' });
        console.log(
          applied.length ? `Applied: ${applied.map((m) => m.name).join(', ')}` : 'Nothing to apply',
        );
      });
    case 'revert':
      return withConfiguredDatabase(async (dataSource) => {
        await dataSource.undoLastMigration({ transaction: 'each' });
        console.log('Reverted the last migration');
      });
    case 'generate': {
      const name = rest.find((arg) => !arg.startsWith('--') && arg !== postgresUrl);
      if (!name || !/^[A-Z][A-Za-z0-9]*$/.test(name)) {
        console.error('usage: migration:generate <PascalCaseName> [--postgres URL]');
        return 2;
      }
      return generate(name, postgresUrl);
    }
    case 'check':
      return check(postgresUrl);
    default:
      console.error(
        'usage: migration-cli run | revert | generate <Name> [--postgres URL] | check [--postgres URL]',
      );
      return 2;
  }
}

async function withConfiguredDatabase(
  work: (dataSource: DataSource) => Promise<void>,
): Promise<number> {
  readDotEnv();
  const { config } = loadConfig(process.env);
  const dataSource = await newDataSource(
    buildDataSourceOptions(config.database, { entities: [ENTITIES_GLOB] }),
  ).initialize();
  try {
    await work(dataSource);
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

/** Runs every migration of one kind on a scratch database and returns the SQL still missing. */
async function missingSql(
  kind: Kind,
  postgresUrl?: string,
): Promise<{ up: string[]; down: string[] }> {
  const scratch = await createScratchDatabase(kind, postgresUrl);
  try {
    const dataSource = await openScratchDataSource(scratch, [ENTITIES_GLOB]);
    try {
      await dataSource.runMigrations({ transaction: 'each' });
      const sql = await dataSource.driver.createSchemaBuilder().log();
      return {
        up: sql.upQueries.map((q) => renderQuery(q.query, q.parameters)),
        // The scratch schema's name must not end up in a migration: strip it from qualified names.
        down: sql.downQueries
          .map((q) => renderQuery(q.query.replace(/"guildhall_scratch_\w+"\./g, ''), q.parameters))
          .reverse(),
      };
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await scratch.dispose();
  }
}

async function generate(name: string, postgresUrl?: string): Promise<number> {
  const timestamp = Date.now();
  const kinds: Kind[] = postgresUrl ? ['sqlite', 'postgres'] : ['sqlite'];
  let wrote = 0;
  for (const kind of kinds) {
    const { up, down } = await missingSql(kind, postgresUrl);
    if (up.length === 0) {
      console.log(`${kind}: the migrations already match the entities`);
      continue;
    }
    const file = join(SOURCE_MIGRATIONS_DIR, kind, `${timestamp}-${name}.ts`);
    writeFileSync(file, template(`${name}${timestamp}`, up, down));
    console.log(`${kind}: wrote ${file}`);
    wrote += 1;
  }
  if (!postgresUrl && wrote > 0) {
    console.warn('No --postgres URL given: write the PostgreSQL migration too before committing.');
  }
  return 0;
}

async function check(postgresUrl?: string): Promise<number> {
  let failed = false;
  const names = (kind: Kind) =>
    readdirSync(join(SOURCE_MIGRATIONS_DIR, kind))
      .filter((file) => /^\d+-\w+\.(js|ts)$/.test(file))
      .map((file) => file.replace(/\.(js|ts)$/, ''))
      .sort();
  const sqlite = names('sqlite');
  const postgres = names('postgres');
  if (sqlite.join() !== postgres.join()) {
    console.error(
      `Migration folders differ: sqlite [${sqlite.join(', ')}] vs postgres [${postgres.join(', ')}]`,
    );
    failed = true;
  }
  const kinds: Kind[] = postgresUrl ? ['sqlite', 'postgres'] : ['sqlite'];
  for (const kind of kinds) {
    const { up } = await missingSql(kind, postgresUrl);
    if (up.length > 0) {
      console.error(
        `${kind}: the entities differ from the migrations; run migration:generate. Missing:`,
      );
      for (const query of up) console.error(`  ${query}`);
      failed = true;
    } else {
      console.log(`${kind}: migrations match the entities (${sqlite.length} migration(s))`);
    }
  }
  return failed ? 1 : 0;
}

function renderQuery(query: string, parameters?: unknown[]): string {
  const escaped =
    '`' + query.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
  return parameters && parameters.length > 0
    ? `${escaped}, ${JSON.stringify(parameters)}`
    : escaped;
}

function template(className: string, up: string[], down: string[]): string {
  const lines = (queries: string[]) =>
    queries.map((q) => `    await queryRunner.query(${q});`).join('\n');
  return `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${lines(up)}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${lines(down)}
  }
}
`;
}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  const value = index >= 0 ? args[index + 1] : undefined;
  return value && value.length > 0 ? value : undefined;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
