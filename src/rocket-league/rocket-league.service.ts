import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import type { User } from '../auth/user.entity';
import { BotSettings } from '../bot-config/bot-settings';
import { TransactionRunner } from '../core/database';
import { DiscordMembers, DiscordPoster } from '../core/discord';
import { AppConfig } from '../core/env';
import { DomainError } from '../core/errors';
import { UpstreamClient } from '../core/upstream';
import { RlAccount } from './rl-account.entity';
import { parseProfile, rankFields, type RlStats } from './rl-stats';

export const PLATFORMS = ['steam', 'epic', 'psn', 'xbl', 'switch'] as const;

const InvalidPlatform = () =>
  new DomainError(
    'INVALID_PLATFORM',
    400,
    'Invalid platform. Use: steam, epic, psn, xbl, or switch',
  );
const PlayerNotFound = (message = 'Player not found or error fetching stats') =>
  new DomainError('PLAYER_NOT_FOUND', 404, message);
const NoDiscordId = () => new DomainError('NO_DISCORD_ID', 400, 'Discord ID not available');
const AlreadyLinked = () =>
  new DomainError(
    'RL_ALREADY_LINKED',
    400,
    'You already have a Rocket League account linked. Unlink it first.',
  );
const NotLinked = () => new DomainError('RL_NOT_LINKED', 404, 'No Rocket League account linked');
/** post-stats answers `{success: false, message}`: the app shows `message` there. */
const PostFailed = (message: string) => {
  const error = new DomainError('RL_POST_FAILED', 400, message);
  error.extra = { success: false, message };
  return error;
};

/**
 * Rocket League ranks from the stats tracker HazeBot used, cached per player for
 * `rocket_league.rank_cache_ttl_seconds`, and the members' linked accounts.
 */
@Injectable()
export class RocketLeagueService {
  private readonly tracker: UpstreamClient;
  private readonly cache = new LRUCache<string, { until: number; stats: RlStats }>({ max: 5000 });

  constructor(
    private readonly config: AppConfig,
    private readonly settings: BotSettings,
    private readonly transactions: TransactionRunner,
    private readonly members: DiscordMembers,
    private readonly poster: DiscordPoster,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    this.tracker = new UpstreamClient({
      name: 'rocket-league',
      timeoutMs: config.memes.upstreamTimeoutMs,
      maxBytes: 5 * 1024 * 1024,
      retries: 2,
      retryBaseMs: 500,
      userAgent: 'Guildhall/1.0 (community bot; Rocket League ranks)',
      headers: config.rocketLeague.apiKey ? { 'TRN-Api-Key': config.rocketLeague.apiKey } : {},
    });
  }

  health() {
    return this.tracker.health();
  }

  /** A player's ranks; `cached` when they came from the cache. */
  async stats(
    platform: string,
    username: string,
    options: { fresh?: boolean } = {},
  ): Promise<{ stats: RlStats; cached: boolean }> {
    const slug = platform.toLowerCase();
    if (!(PLATFORMS as readonly string[]).includes(slug)) throw InvalidPlatform();
    const key = `${slug}:${username.toLowerCase()}`;
    const hit = this.cache.get(key);
    if (!options.fresh && hit && hit.until > Date.now()) return { stats: hit.stats, cached: true };
    const url = `${this.config.rocketLeague.apiBase}/standard/profile/${slug}/${encodeURIComponent(username)}`;
    const stats = parseProfile(await this.profile(url), slug);
    if (!stats) throw PlayerNotFound();
    const ttl = this.settings.get('rocket_league').rank_cache_ttl_seconds * 1000;
    this.cache.set(key, { until: Date.now() + ttl, stats });
    return { stats, cached: false };
  }

  /** The tracker's answer, directly or through FlareSolverr (which wraps it in a page). */
  private async profile(url: string): Promise<unknown> {
    const solver = this.config.rocketLeague.flaresolverrUrl;
    if (!solver) return this.tracker.getJson(url);
    const answer = (await this.tracker.postJson(solver, {
      cmd: 'request.get',
      url,
      maxTimeout: this.config.memes.upstreamTimeoutMs,
    })) as { status?: string; solution?: { status?: number; response?: string } } | null;
    if (answer?.solution?.status === 404) return null;
    const page = answer?.status === 'ok' ? answer.solution?.response : undefined;
    if (typeof page !== 'string')
      throw new DomainError(
        'UPSTREAM_ERROR',
        502,
        'rocket-league failed: FlareSolverr found no answer',
      );
    const pre = /<pre[^>]*>([\s\S]*?)<\/pre>/i.exec(page);
    try {
      return JSON.parse(unescapeHtml(pre ? pre[1] : page)) as unknown;
    } catch {
      throw new DomainError('UPSTREAM_ERROR', 502, 'rocket-league failed: the answer is not JSON');
    }
  }

  account(user: User): Promise<RlAccount | null> {
    if (!user.discordId) throw NoDiscordId();
    return this.dataSource.getRepository(RlAccount).findOneBy({ userId: user.id });
  }

  /** Links after the tracker confirmed the player exists. */
  async link(
    user: User,
    platform: string,
    username: string,
  ): Promise<{ account: RlAccount; stats: RlStats }> {
    if (!user.discordId) throw NoDiscordId();
    const discordId = user.discordId;
    if (await this.account(user)) throw AlreadyLinked();
    let stats: RlStats;
    try {
      ({ stats } = await this.stats(platform, username, { fresh: true }));
    } catch (error) {
      if (error instanceof DomainError && error.code === 'PLAYER_NOT_FOUND')
        throw PlayerNotFound('Player not found. Please check your platform and username.');
      throw error;
    }
    const account = Object.assign(new RlAccount(), {
      userId: user.id,
      discordId,
      platform: platform.toLowerCase(),
      username,
      tierNames: JSON.stringify(stats.tier_names),
      rankDisplay: JSON.stringify(stats.rank_display),
      iconUrls: JSON.stringify(stats.icon_urls),
      lastFetched: new Date(),
    });
    await this.transactions.run(async (manager) => {
      // A concurrent link of the same member loses on the primary key.
      await manager.getRepository(RlAccount).insert(account);
    });
    return { account, stats };
  }

  async unlink(user: User): Promise<RlAccount> {
    const account = await this.account(user);
    if (!account) throw NotLinked();
    await this.transactions.run((manager) =>
      manager.getRepository(RlAccount).delete({ userId: user.id }),
    );
    return account;
  }

  /** Every linked account, with the member's name and avatar from the bot's cache. */
  async accounts() {
    const rows = await this.dataSource.getRepository(RlAccount).find({
      relations: { user: true },
      order: { createdAt: 'ASC' },
    });
    return rows.map((row) => {
      const member = this.members.profile(row.discordId);
      const name = member?.name ?? row.user?.displayName ?? row.user?.username ?? 'Unknown User';
      return {
        row,
        name,
        username: row.user?.username ?? 'Unknown User',
        avatar: member?.avatarUrl ?? row.user?.avatarUrl ?? null,
      };
    });
  }

  /** An admin unlinks a member by their Discord id. */
  async remove(discordId: string): Promise<RlAccount> {
    const account = await this.dataSource.getRepository(RlAccount).findOneBy({ discordId });
    if (!account) throw new DomainError('RL_ACCOUNT_NOT_FOUND', 404, 'Account not found');
    await this.transactions.run((manager) =>
      manager.getRepository(RlAccount).delete({ userId: account.userId }),
    );
    return account;
  }

  /** The caller's stats to the Rocket League channel, through the outbox. */
  async postStats(user: User): Promise<{ status: 'sent' | 'queued'; messageId: string | null }> {
    const account = user.discordId ? await this.account(user) : null;
    if (!account) throw PostFailed('User not found');
    const channelId = this.settings.get('channels').rl_channel_id;
    if (!channelId) throw PostFailed('Rocket League channel not configured');
    let stats: RlStats;
    try {
      ({ stats } = await this.stats(account.platform, account.username));
    } catch {
      throw PostFailed('Player not found or error fetching stats');
    }
    const outcome = await this.poster.postNow(channelId, {
      content: `<@${account.discordId}>`,
      allowed_mentions: { users: [] },
      embeds: [
        {
          title: `🚀 Rocket League stats: ${stats.username}`.slice(0, 256),
          color: this.settings.get('general').pink_color,
          ...(stats.highest_icon_url ? { thumbnail: { url: stats.highest_icon_url } } : {}),
          fields: [
            ...rankFields(stats),
            { name: 'Season reward', value: stats.season_reward, inline: true },
          ],
          footer: { text: this.settings.get('general').embed_footer_text.slice(0, 2048) },
        },
      ],
    });
    if (!outcome) throw PostFailed('Discord is not configured');
    return outcome;
  }
}

function unescapeHtml(text: string): string {
  return text
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}
