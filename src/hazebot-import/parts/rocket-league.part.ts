import { join } from 'node:path';
import { In } from 'typeorm';
import { AppConfig } from '../../core/env';
import { RlAccount } from '../../rocket-league/rl-account.entity';
import { Expect, isPlainObject, parseLegacyTime, readJsonFile } from '../data-file';
import { type ImportPart, outcome } from '../import-part';
import { LegacyUsers } from '../legacy-users';

const FILE = 'rl_accounts.json';
const PLATFORMS = ['steam', 'epic', 'psn', 'xbl', 'switch'];

interface LinkedAccount {
  discordId: string;
  platform: string;
  username: string;
  tierNames: Record<string, string>;
  rankDisplay: Record<string, string>;
  iconUrls: Record<string, string>;
  lastFetched: Date | null;
}

function textMap(expect: Expect, value: unknown, where: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  const object = expect.object(value, where);
  for (const [key, text] of Object.entries(object))
    if (typeof text !== 'string') expect.fail(`${where}.${key}`, 'expected text');
  return object as Record<string, string>;
}

/**
 * `rl_accounts.json` (`{discord id: {platform, username, ranks, rank_display?, icon_urls?,
 * last_fetched?}}`) → linked Rocket League accounts with their last ranks. Old entries lack
 * `rank_display` (the tier names stand in) and `icon_urls`; `last_fetched` is HazeBot's local time
 * (TIMEZONE). A member already linked in Guildhall keeps that link.
 */
export const rocketLeaguePart: ImportPart<LinkedAccount[]> = {
  name: 'rocket-league',
  files: [FILE],
  read(dir, _present, timeZone) {
    const expect = new Expect(FILE);
    const accounts: LinkedAccount[] = [];
    for (const [key, raw] of Object.entries(expect.object(readJsonFile(join(dir, FILE))))) {
      const where = `key ${key}`;
      const discordId = expect.discordId(key, where);
      const entry = expect.object(raw, where);
      const platform = typeof entry.platform === 'string' ? entry.platform.toLowerCase() : '';
      if (!PLATFORMS.includes(platform))
        expect.fail(`${where}.platform`, `expected one of ${PLATFORMS.join(', ')}`);
      const username = expect.text(entry.username, `${where}.username`, 100);
      const tierNames = textMap(expect, entry.ranks, `${where}.ranks`);
      const rankDisplay = isPlainObject(entry.rank_display)
        ? textMap(expect, entry.rank_display, `${where}.rank_display`)
        : tierNames;
      const lastFetched = parseLegacyTime(entry.last_fetched, timeZone);
      if (entry.last_fetched !== undefined && entry.last_fetched !== null && !lastFetched)
        expect.fail(`${where}.last_fetched`, 'expected an ISO date and time');
      accounts.push({
        discordId,
        platform,
        username,
        tierNames,
        rankDisplay,
        iconUrls: textMap(expect, entry.icon_urls, `${where}.icon_urls`),
        lastFetched,
      });
    }
    return accounts;
  },
  async write(context, accounts) {
    const result = outcome('accounts');
    const { manager } = context;
    const users = new LegacyUsers(manager, context.app.get(AppConfig).auth.admin.username);
    const ids = await users.resolve(accounts.map((a) => a.discordId));
    const repo = manager.getRepository(RlAccount);
    const linked = new Map(
      (await repo.findBy({ discordId: In(accounts.map((a) => a.discordId)) })).map((row) => [
        row.discordId,
        row,
      ]),
    );
    context.progress.start(accounts.length);
    for (const account of accounts) {
      context.progress.tick();
      const existing = linked.get(account.discordId);
      if (existing) {
        const same =
          existing.platform === account.platform && existing.username === account.username;
        if (same) result.present += 1;
        else
          result.skipped.push({
            what: `${FILE} ${account.discordId}`,
            reason: `already linked here to ${existing.username} on ${existing.platform}`,
          });
        continue;
      }
      await repo.insert({
        userId: ids.get(account.discordId) as string,
        discordId: account.discordId,
        platform: account.platform,
        username: account.username,
        tierNames: JSON.stringify(account.tierNames),
        rankDisplay: JSON.stringify(account.rankDisplay),
        iconUrls: JSON.stringify(account.iconUrls),
        lastFetched: account.lastFetched,
      });
      result.imported += 1;
    }
    result.mapped.push(...users.mapped());
    return result;
  },
};
