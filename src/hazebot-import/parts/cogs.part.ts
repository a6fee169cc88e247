import { join } from 'node:path';
import { BotConfigService } from '../../bot-config/bot-config.service';
import { findCog } from '../../cogs/cog-registry';
import { Expect, readJsonFile } from '../data-file';
import { type ImportPart, outcome, type Skipped } from '../import-part';
import { IMPORT_ACTOR } from '../sections';

const FILE = 'disabled_cogs.json';

/** The modules HazeBot never let anyone unload. */
const PROTECTED = ['APIServer', 'CogManager'];

interface CogData {
  disabled: string[];
  skipped: Skipped[];
  mapped: string[];
}

/**
 * `disabled_cogs.json` (HazeBot's unloaded cogs, by cog or file name in any case) → the cog states:
 * afterwards exactly the named cogs that Guildhall has are unloaded. Names of HazeBot cogs without a
 * Guildhall module are reported.
 */
export const cogsPart: ImportPart<CogData> = {
  name: 'cogs',
  files: [FILE],
  read(dir) {
    const expect = new Expect(FILE);
    const names = expect.stringList(readJsonFile(join(dir, FILE)));
    const disabled = new Set<string>();
    const skipped: Skipped[] = [];
    const mapped: string[] = [];
    for (const name of names) {
      const cog = findCog(name.trim());
      if (!cog) {
        skipped.push({ what: `${FILE} ${name}`, reason: 'no Guildhall module of that name' });
      } else if (PROTECTED.includes(cog.name)) {
        skipped.push({ what: `${FILE} ${name}`, reason: `${cog.name} is never unloaded` });
      } else {
        disabled.add(cog.name);
        if (cog.name !== name) mapped.push(`${name} → ${cog.name}`);
      }
    }
    return { disabled: [...disabled].sort(), skipped, mapped };
  },
  async write(context, data) {
    const result = outcome('cog states');
    result.skipped.push(...data.skipped);
    result.mapped.push(...data.mapped);
    context.progress.start(1);
    let before = new Set<string>();
    const saved = await context.app
      .get(BotConfigService)
      .change('cogs', IMPORT_ACTOR, (current) => {
        before = new Set(current.disabled);
        return { disabled: data.disabled };
      });
    const after = new Set(saved.value.disabled);
    const changed = [...new Set([...before, ...after])].filter(
      (n) => before.has(n) !== after.has(n),
    );
    result.imported = changed.length;
    result.present = data.disabled.filter((name) => before.has(name)).length;
    context.progress.tick();
    return result;
  },
};
