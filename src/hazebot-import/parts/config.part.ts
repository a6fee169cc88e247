import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SectionName } from '../../bot-config/sections';
import { Expect, isPlainObject, readJsonFile } from '../data-file';
import { type ImportPart, outcome, type Skipped } from '../import-part';
import { checkSection, isImportableSection, saveSections, type SectionPatch } from '../sections';

const OVERRIDES = 'api_config_overrides.json';
const TICKETS = 'tickets_config.json';

/**
 * Other spellings of a key. HazeBot's loader upper-cases every key into an attribute, and some
 * attributes are the module's own (PresenceUpdateInterval, DEFAULT_MEME_SUBREDDITS …), so a file
 * may hold either form; both arrive as the key Guildhall uses.
 */
const ALIASES: Partial<Record<SectionName, Record<string, string>>> = {
  general: { pink: 'pink_color' },
  meme: {
    default_meme_subreddits: 'default_subreddits',
    default_meme_lemmy: 'default_lemmy',
    meme_templates_cache_duration: 'templates_cache_duration',
  },
  rocket_league: {
    rl_rank_check_interval_hours: 'rank_check_interval_hours',
    rl_rank_cache_ttl_seconds: 'rank_cache_ttl_seconds',
  },
  rocket_league_texts: {
    rl_rank_promotion_config: 'promotion_config',
    rl_congrats_replies: 'congrats_replies',
  },
};

/** `PresenceUpdateInterval`, `PRESENCE_UPDATE_INTERVAL` and `presence_update_interval` alike. */
function snakeCase(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * The keys of one section as Guildhall names them. Unknown keys are left out (HazeBot ignored them
 * too); where a file has a key in two spellings, the one HazeBot's writer uses wins.
 */
export function sectionKeys(
  file: string,
  section: SectionName,
  raw: Record<string, unknown>,
  known: readonly string[],
  skipped: Skipped[],
): Record<string, unknown> {
  const spellings = new Map<string, [string, unknown][]>();
  for (const [key, value] of Object.entries(raw)) {
    const normal = snakeCase(key);
    const name = ALIASES[section]?.[normal] ?? normal;
    if (known.includes(name)) spellings.set(name, [...(spellings.get(name) ?? []), [key, value]]);
    else skipped.push({ what: `${file} ${section}.${key}`, reason: 'not a Guildhall setting' });
  }
  const values: Record<string, unknown> = {};
  for (const [name, given] of spellings) {
    const [kept, value] = given.find(([key]) => key === name) ?? given[0];
    values[name] = value;
    for (const [key] of given.filter(([key]) => key !== kept))
      skipped.push({
        what: `${file} ${section}.${key}`,
        reason: `also set as ${kept}, which is used`,
      });
  }
  return values;
}

const DAILY_MEME = 'daily_meme_config.json';

/**
 * The meme channel and role keys the memes part takes from daily_meme_config.json (HazeBot's daily
 * meme posted there, whatever the channels screen said); this part leaves them to it.
 */
function dailyMemeKeys(dir: string): Partial<Record<SectionName, string[]>> {
  const path = join(dir, DAILY_MEME);
  if (!existsSync(path)) return {};
  let daily: unknown;
  try {
    daily = readJsonFile(path);
  } catch {
    return {}; // the memes part reports the file
  }
  if (!isPlainObject(daily)) return {};
  return {
    channels: 'channel_id' in daily ? ['meme_channel_id'] : [],
    roles: 'role_id' in daily || 'ping_role_id' in daily ? ['meme_role_id'] : [],
  };
}

interface ConfigData {
  patches: SectionPatch[];
  skipped: Skipped[];
  mapped: string[];
}

/**
 * `api_config_overrides.json` (HazeBot's snapshot of the configuration screens) and
 * `tickets_config.json` → the configuration sections, saved as an admin's PUT would (audited as
 * `hazebot-import`). Keys already holding the value are counted as present.
 */
export const configPart = (
  keysOf: (section: SectionName) => readonly string[],
): ImportPart<ConfigData> => ({
  name: 'config',
  files: [OVERRIDES, TICKETS],
  async read(dir, present) {
    const skipped: Skipped[] = [];
    const mapped: string[] = [];
    const patches: SectionPatch[] = [];
    if (present.includes(OVERRIDES)) {
      const expect = new Expect(OVERRIDES);
      const snapshot = expect.object(readJsonFile(join(dir, OVERRIDES)));
      const leftToMemes = dailyMemeKeys(dir);
      for (const [section, raw] of Object.entries(snapshot)) {
        if (section === 'tickets' || !isImportableSection(section)) {
          skipped.push({
            what: `${OVERRIDES} ${section}`,
            reason:
              section === 'xp_config'
                ? 'levels and XP are not part of Guildhall'
                : 'not a Guildhall configuration section',
          });
          continue;
        }
        const object = expect.object(raw, `key ${section}`);
        const values = sectionKeys(OVERRIDES, section, object, keysOf(section), skipped);
        for (const key of leftToMemes[section] ?? []) {
          if (!(key in values)) continue;
          delete values[key];
          skipped.push({
            what: `${OVERRIDES} ${section}.${key}`,
            reason: `${DAILY_MEME} names the channel and role the daily meme used, which are kept`,
          });
        }
        patches.push(await checkSection({ file: OVERRIDES, section, values }));
      }
    }
    if (present.includes(TICKETS)) {
      const raw = new Expect(TICKETS).object(readJsonFile(join(dir, TICKETS)));
      const values = sectionKeys(TICKETS, 'tickets', raw, keysOf('tickets'), skipped);
      patches.push(await checkSection({ file: TICKETS, section: 'tickets', values }));
      mapped.push(`${TICKETS} → the tickets section`);
    }
    return { patches, skipped, mapped };
  },
  async write(context, data) {
    const result = outcome('settings');
    result.skipped.push(...data.skipped);
    result.mapped.push(...data.mapped);
    await saveSections(context, data.patches, result);
    return result;
  },
});
