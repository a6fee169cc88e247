import { join } from 'node:path';
import { In } from 'typeorm';
import { AppConfig } from '../../core/env';
import { isDiscordId } from '../../core/validation';
import { NotificationSettings } from '../../notifications/notification-settings.entity';
import {
  MAX_TOKENS_PER_USER,
  SETTING_COLUMNS,
  viewOf,
} from '../../notifications/notifications.service';
import { DEFAULT_SETTINGS, SETTING_KEYS, type SettingKey } from '../../notifications/push-messages';
import { PushToken } from '../../notifications/push-token.entity';
import { Expect, readJsonFile } from '../data-file';
import { type ImportPart, outcome, type Skipped } from '../import-part';
import { LEGACY_USER, LegacyUsers } from '../legacy-users';

const TOKENS = 'notification_tokens.json';
const SETTINGS = 'notification_settings.json';

interface PushData {
  /** HazeBot user key → its tokens, newest last (HazeBot appended). */
  tokens: Map<string, string[]>;
  settings: Map<string, Partial<Record<SettingKey, boolean>>>;
  skipped: Skipped[];
}

function isUserKey(key: string): boolean {
  return key === LEGACY_USER || isDiscordId(key);
}

/**
 * `notification_tokens.json` and `notification_settings.json` (both keyed by Discord id) → push
 * tokens and settings of the Guildhall users with those ids. A token Guildhall has already stays
 * with whoever registered it here; settings already equal are left as they are.
 */
export const pushPart: ImportPart<PushData> = {
  name: 'push',
  files: [TOKENS, SETTINGS],
  read(dir, present) {
    const skipped: Skipped[] = [];
    const tokens = new Map<string, string[]>();
    const settings = new Map<string, Partial<Record<SettingKey, boolean>>>();
    if (present.includes(TOKENS)) {
      const expect = new Expect(TOKENS);
      for (const [key, list] of Object.entries(expect.object(readJsonFile(join(dir, TOKENS))))) {
        const values = expect.stringList(list, `key ${key}`);
        const bad = values.findIndex((token) => token.length === 0 || token.length > 1024);
        if (bad >= 0)
          expect.fail(`key ${key}[${bad}]`, 'expected an FCM token of 1 to 1024 characters');
        if (!isUserKey(key)) {
          skipped.push({ what: `${TOKENS} ${key}`, reason: 'not a Discord id' });
          continue;
        }
        tokens.set(key, [...new Set(values)]);
      }
    }
    if (present.includes(SETTINGS)) {
      const expect = new Expect(SETTINGS);
      for (const [key, raw] of Object.entries(expect.object(readJsonFile(join(dir, SETTINGS))))) {
        const object = expect.object(raw, `key ${key}`);
        const values: Partial<Record<SettingKey, boolean>> = {};
        for (const [name, value] of Object.entries(object)) {
          if (!(SETTING_KEYS as readonly string[]).includes(name)) {
            skipped.push({
              what: `${SETTINGS} ${key}.${name}`,
              reason: 'not a Guildhall push setting',
            });
            continue;
          }
          values[name as SettingKey] = expect.boolean(value, `key ${key}.${name}`);
        }
        if (!isUserKey(key)) {
          skipped.push({ what: `${SETTINGS} ${key}`, reason: 'not a Discord id' });
          continue;
        }
        settings.set(key, values);
      }
    }
    return { tokens, settings, skipped };
  },
  async write(context, data) {
    const result = outcome('tokens and settings');
    result.skipped.push(...data.skipped);
    const { manager } = context;
    const users = new LegacyUsers(manager, context.app.get(AppConfig).auth.admin.username);
    const ids = await users.resolve([...data.tokens.keys(), ...data.settings.keys()]);
    context.progress.start(data.tokens.size + data.settings.size);

    const tokens = manager.getRepository(PushToken);
    const now = Date.now();
    for (const [key, list] of data.tokens) {
      context.progress.tick();
      const userId = ids.get(key);
      if (!userId) {
        result.skipped.push({ what: `${TOKENS} ${key}`, reason: 'no such user' });
        continue;
      }
      if (key === LEGACY_USER)
        result.warnings.push(
          `${list.length} token(s) of ${LEGACY_USER} now belong to the password admin: every password login shared them in HazeBot`,
        );
      const newest = list.slice(-MAX_TOKENS_PER_USER);
      for (const token of list.slice(0, -MAX_TOKENS_PER_USER))
        result.skipped.push({
          what: `${TOKENS} ${key} token …${token.slice(-8)}`,
          reason: `older than the user's ${MAX_TOKENS_PER_USER} newest`,
        });
      const known = new Set(
        (await tokens.find({ select: { token: true }, where: { token: In(newest) } })).map(
          (row) => row.token,
        ),
      );
      const fresh = newest.filter((token) => !known.has(token));
      result.present += newest.length - fresh.length;
      if (fresh.length === 0) continue;
      // HazeBot's tokens are older than any registered here: they rank below them, newest last.
      const mine = await tokens.find({
        select: { registeredAt: true },
        where: { userId },
        order: { registeredAt: 'ASC' },
      });
      const base = Math.min(now, mine[0]?.registeredAt.getTime() ?? now);
      const room = Math.max(0, MAX_TOKENS_PER_USER - mine.length);
      const cut = Math.max(0, fresh.length - room);
      const kept = fresh.slice(cut);
      for (const token of fresh.slice(0, cut))
        result.skipped.push({
          what: `${TOKENS} ${key} token …${token.slice(-8)}`,
          reason: `the user has ${MAX_TOKENS_PER_USER} newer devices`,
        });
      if (kept.length === 0) continue;
      await tokens.insert(
        kept.map((token, i) => ({
          token,
          userId,
          platform: null,
          deviceInfo: null,
          registeredAt: new Date(base - (kept.length - i)),
        })),
      );
      result.imported += kept.length;
    }

    const settings = manager.getRepository(NotificationSettings);
    for (const [key, values] of data.settings) {
      context.progress.tick();
      const userId = ids.get(key);
      if (!userId) {
        result.skipped.push({ what: `${SETTINGS} ${key}`, reason: 'no such user' });
        continue;
      }
      const existing = await settings.findOneBy({ userId });
      const current = existing ? viewOf(existing) : { ...DEFAULT_SETTINGS };
      const next = { ...current, ...values };
      if (existing && SETTING_KEYS.every((name) => next[name] === current[name])) {
        result.present += 1;
        continue;
      }
      const row: Partial<NotificationSettings> = { userId, updatedAt: new Date() };
      for (const name of SETTING_KEYS) Object.assign(row, { [SETTING_COLUMNS[name]]: next[name] });
      await settings.upsert(row, ['userId']);
      result.imported += 1;
    }
    result.mapped.push(...users.mapped());
    return result;
  },
};
