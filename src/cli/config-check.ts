/**
 * `npm run config:check`: validates the environment and `.env` exactly as the server does when it
 * starts, and prints the resolved settings with every secret redacted. Exit 1 lists every problem.
 * It creates nothing (development secrets not generated yet are shown as such).
 */
import { ConfigError, GENERATED_AT_FIRST_START, loadConfig, readDotEnv } from '../core/env';

const REDACTED = '***';
/** Setting names whose values are secrets wherever they appear. */
const SECRET_NAME = /secret|password|token|apikey|serverkey|credentials/i;

/** The configuration with secrets replaced, also the password inside a database or Redis URL. */
export function redacted(value: unknown, name = ''): unknown {
  if (typeof value === 'string') {
    if (SECRET_NAME.test(name)) return value === GENERATED_AT_FIRST_START ? value : REDACTED;
    return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, `$1${REDACTED}@`);
  }
  if (Array.isArray(value)) return value.map((item) => redacted(item, name));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, redacted(inner, key)]),
    );
  return value;
}

function main(): number {
  readDotEnv();
  try {
    const { config } = loadConfig(process.env, process.cwd(), { readOnly: true });
    process.stdout.write(
      `The configuration is valid (${config.app.nodeEnv}). Resolved settings:\n` +
        `${JSON.stringify(redacted(config), null, 2)}\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(
      `The configuration has ${error.problems.length} problem(s):\n` +
        error.problems.map((problem) => `  - ${problem}\n`).join(''),
    );
    return 1;
  }
}

process.exitCode = main();
