#!/usr/bin/env node
// Builds dist/ when it is missing or older than any source file, so `npm start` and `npm test`
// always run the current code without paying for a build when nothing changed.
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const stamp = join(root, 'dist', '.build-stamp');
const inputs = [
  'src',
  'migrations',
  'bench',
  'package.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'nest-cli.json',
];

// What the benchmarks write next to their sources is output, not input (and writing it changes
// only bench/'s own time, which is therefore not counted).
const OUTPUTS = /^([a-z]+-)?results(-[a-z]+)?\.json$/;
const BENCH = join(root, 'bench');

function newest(path) {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path)
    .filter((entry) => !OUTPUTS.test(entry))
    .reduce(
      (max, entry) => Math.max(max, newest(join(path, entry))),
      path === BENCH ? 0 : stats.mtimeMs,
    );
}

const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
const changed = inputs
  .map((input) => join(root, input))
  .filter(existsSync)
  .some((path) => newest(path) > built);
if (changed) {
  console.log('Building Guildhall...');
  execFileSync(process.execPath, [require.resolve('@nestjs/cli/bin/nest.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
  writeFileSync(stamp, new Date().toISOString() + '\n');
}
