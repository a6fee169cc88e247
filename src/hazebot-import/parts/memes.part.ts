import { join } from 'node:path';
import { Expect, readJsonFile, wallClockToUtc } from '../data-file';
import { type ImportPart, outcome } from '../import-part';
import { checkSection, saveSections, type SectionPatch } from '../sections';

const SUBREDDITS = 'meme_subreddits.json';
const LEMMY = 'meme_lemmy_communities.json';
const DAILY = 'daily_meme_config.json';

/** HazeBot lower-cases subreddit names and accepts `r/`. */
function subreddit(name: string): string {
  return name
    .trim()
    .replace(/^\/?r\//i, '')
    .toLowerCase();
}

/** `instance@community`, from that, `lemmy:instance@community` or the reversed `community@instance`. */
function lemmyCommunity(name: string): string {
  const source = name.trim().replace(/^lemmy:/, '');
  const [first, second] = source.split('@', 2);
  return second !== undefined && !first.includes('.') && second.includes('.')
    ? `${second}@${first}`
    : source;
}

/** A selection: `null` is every configured source, and HazeBot read an empty list as `null` too. */
function selection(
  expect: Expect,
  value: unknown,
  key: string,
  normal: (name: string) => string,
): string[] | null {
  if (value === null || value === undefined) return null;
  const names = expect.stringList(value, `key ${key}`);
  return names.length === 0 ? null : [...new Set(names.map(normal))];
}

/** `{"<key>": [names]}`, as the DailyMeme cog saves its sources; normalised, each once. */
function readList(dir: string, file: string, key: string, normal: (name: string) => string) {
  const expect = new Expect(file);
  const names = expect.stringList(expect.object(readJsonFile(join(dir, file)))[key], `key ${key}`);
  return [...new Set(names.map(normal))];
}

function integer(expect: Expect, value: unknown, key: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    expect.fail(`key ${key}`, `expected a whole number from ${min} to ${max}`);
  return value;
}

interface MemeData {
  patches: SectionPatch[];
  mapped: string[];
}

/**
 * The DailyMeme cog's files → the meme section (sources and the daily job) and, from the daily
 * config, the meme channel and role. HazeBot's daily time is the wall clock of TIMEZONE; Guildhall's
 * is UTC, converted at today's offset as HazeBot scheduled it.
 */
export const memesPart: ImportPart<MemeData> = {
  name: 'memes',
  files: [SUBREDDITS, LEMMY, DAILY],
  async read(dir, present, timeZone) {
    const mapped: string[] = [];
    const patches: SectionPatch[] = [];
    if (present.includes(SUBREDDITS)) {
      const subreddits = readList(dir, SUBREDDITS, 'subreddits', subreddit);
      patches.push(
        await checkSection({ file: SUBREDDITS, section: 'meme', values: { subreddits } }),
      );
    }
    if (present.includes(LEMMY)) {
      const communities = readList(dir, LEMMY, 'communities', lemmyCommunity);
      const values = { lemmy_communities: communities };
      patches.push(await checkSection({ file: LEMMY, section: 'meme', values }));
    }
    if (present.includes(DAILY)) {
      const expect = new Expect(DAILY);
      const daily = expect.object(readJsonFile(join(dir, DAILY)));
      const meme: Record<string, unknown> = {};
      if ('enabled' in daily) meme.daily_enabled = expect.boolean(daily.enabled, 'key enabled');
      if ('hour' in daily || 'minute' in daily) {
        const hour = integer(expect, daily.hour ?? 12, 'hour', 0, 23);
        const minute = integer(expect, daily.minute ?? 0, 'minute', 0, 59);
        const today = new Date();
        const wall = Date.UTC(
          today.getUTCFullYear(),
          today.getUTCMonth(),
          today.getUTCDate(),
          hour,
          minute,
        );
        const utc = new Date(wallClockToUtc(wall, timeZone)).toISOString().slice(11, 16);
        const local = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
        meme.daily_time = utc;
        mapped.push(`${DAILY} ${local} ${timeZone} → daily_time ${utc} UTC`);
      }
      if ('allow_nsfw' in daily) meme.daily_allow_nsfw = daily.allow_nsfw;
      if ('min_score' in daily) meme.daily_min_score = daily.min_score;
      if ('max_sources' in daily) meme.daily_max_sources = daily.max_sources;
      if ('pool_size' in daily) meme.daily_pool_size = daily.pool_size;
      if ('use_subreddits' in daily)
        meme.daily_subreddits = selection(
          expect,
          daily.use_subreddits,
          'use_subreddits',
          subreddit,
        );
      if ('use_lemmy' in daily)
        meme.daily_lemmy = selection(expect, daily.use_lemmy, 'use_lemmy', lemmyCommunity);
      const fileKeys = {
        daily_enabled: 'enabled',
        daily_allow_nsfw: 'allow_nsfw',
        daily_min_score: 'min_score',
        daily_max_sources: 'max_sources',
        daily_pool_size: 'pool_size',
        daily_subreddits: 'use_subreddits',
        daily_lemmy: 'use_lemmy',
      };
      patches.push(await checkSection({ file: DAILY, section: 'meme', values: meme, fileKeys }));
      if ('channel_id' in daily) {
        patches.push(
          await checkSection({
            file: DAILY,
            section: 'channels',
            values: { meme_channel_id: daily.channel_id },
            fileKeys: { meme_channel_id: 'channel_id' },
          }),
        );
      }
      // Older files name the role ping_role_id.
      const role = 'role_id' in daily ? daily.role_id : daily.ping_role_id;
      if (role !== undefined) {
        patches.push(
          await checkSection({
            file: DAILY,
            section: 'roles',
            values: { meme_role_id: role },
            fileKeys: { meme_role_id: 'role_id' in daily ? 'role_id' : 'ping_role_id' },
          }),
        );
        if (!('role_id' in daily)) mapped.push(`${DAILY} ping_role_id → roles.meme_role_id`);
      }
    }
    return { patches, mapped };
  },
  async write(context, data) {
    const result = outcome('settings');
    result.mapped.push(...data.mapped);
    await saveSections(context, data.patches, result);
    return result;
  },
};
