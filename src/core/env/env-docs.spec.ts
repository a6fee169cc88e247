import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv as parseDotEnv } from 'node:util';
import { ENV_ALIASES, envSchema } from './env.schema';
import { loadConfig } from './load-config';

const ROOT = join(__dirname, '..', '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

describe('configuration docs', () => {
  const names = [...Object.keys(envSchema.shape), ...Object.values(ENV_ALIASES).flat()];

  it('lists every variable and alias in .env.example and the README', () => {
    const example = read('.env.example');
    const readme = read('README.md');
    for (const name of names) {
      expect({ name, inExample: new RegExp(`\\b${name}\\b`).test(example) }).toEqual({
        name,
        inExample: true,
      });
      expect({ name, inReadme: readme.includes(`\`${name}\``) }).toEqual({ name, inReadme: true });
    }
  });

  it('ships a .env.example that is valid as it is', () => {
    const env = parseDotEnv(read('.env.example'));
    expect(() =>
      loadConfig({ ...env, SECRET_KEY: 'x'.repeat(32), API_ADMIN_PASS: 'example-pass' }),
    ).not.toThrow();
  });
});
