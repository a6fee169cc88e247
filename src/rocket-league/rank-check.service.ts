import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BotSettings } from '../bot-config/bot-settings';
import { cogLoaded } from '../cogs/cog-feature';
import { TransactionRunner } from '../core/database';
import { DiscordPoster } from '../core/discord';
import { RlAccount } from './rl-account.entity';
import { RANK_EMOJIS, type RlStats } from './rl-stats';
import { RocketLeagueService } from './rocket-league.service';
import { SingletonLease } from '../core/lease';

/** Lowest to highest (HazeBot's RL_TIER_ORDER). */
export const TIER_ORDER = [
  'Unranked',
  'Bronze I',
  'Bronze II',
  'Bronze III',
  'Silver I',
  'Silver II',
  'Silver III',
  'Gold I',
  'Gold II',
  'Gold III',
  'Platinum I',
  'Platinum II',
  'Platinum III',
  'Diamond I',
  'Diamond II',
  'Diamond III',
  'Champion I',
  'Champion II',
  'Champion III',
  'Grand Champion I',
  'Grand Champion II',
  'Grand Champion III',
  'Supersonic Legend',
];

/** Tracker calls at once during a check. */
const PARALLEL = 3;
const TICK_MS = 60_000;

export interface RankCheckResult {
  checked: number;
  promoted: number;
  failed: number;
}

/**
 * The rank check: every linked account's ranks read afresh, at most PARALLEL tracker calls at
 * once; a playlist whose tier rose gets a promotion post in the Rocket League channel (texts from
 * `rocket_league_texts`), through the outbox. The stored ranks change by a conditional update in
 * the post's transaction, so a promotion is posted once even when two checks overlap. Runs every
 * `rocket_league.rank_check_interval_hours` and on demand; one at a time per instance.
 */
@Injectable()
export class RankCheck implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RocketLeague');
  private running?: Promise<RankCheckResult>;
  private timer?: NodeJS.Timeout;
  private lastRun = Date.now();

  constructor(
    private readonly rl: RocketLeagueService,
    private readonly settings: BotSettings,
    private readonly poster: DiscordPoster,
    private readonly transactions: TransactionRunner,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lease: SingletonLease,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Starts a check, or joins the one under way. */
  run(): Promise<RankCheckResult> {
    this.running ??= this.checkAll().finally(() => {
      this.running = undefined;
      this.lastRun = Date.now();
    });
    return this.running;
  }

  /** The schedule's step: a check when the interval has passed since the last one ended. */
  async tick(now = Date.now()): Promise<void> {
    if (!this.lease.held || !cogLoaded(this.settings, 'RocketLeague')) return;
    const hours = this.settings.get('rocket_league').rank_check_interval_hours;
    if (now - this.lastRun < hours * 3_600_000) return;
    await this.run().catch((error: unknown) =>
      this.logger.error({ err: error }, 'Scheduled rank check failed'),
    );
  }

  private async checkAll(): Promise<RankCheckResult> {
    const accounts = await this.dataSource.getRepository(RlAccount).find();
    const result: RankCheckResult = { checked: 0, promoted: 0, failed: 0 };
    let next = 0;
    const worker = async () => {
      while (next < accounts.length) {
        const account = accounts[next++];
        try {
          result.promoted += await this.checkOne(account);
          result.checked += 1;
        } catch (error) {
          result.failed += 1;
          this.logger.warn(
            { err: error, user: account.discordId },
            'Rank check of an account failed',
          );
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, accounts.length) }, worker));
    this.logger.log({ ...result }, 'Rank check done');
    return result;
  }

  /** Returns how many promotions were posted. */
  private async checkOne(account: RlAccount): Promise<number> {
    const { stats } = await this.rl.stats(account.platform, account.username, { fresh: true });
    const before = JSON.parse(account.tierNames) as Record<string, string>;
    const rises = Object.entries(stats.tier_names).filter(
      ([playlist, tier]) =>
        TIER_ORDER.indexOf(tier) > TIER_ORDER.indexOf(before[playlist] ?? 'Unranked'),
    );
    const channelId = this.settings.get('channels').rl_channel_id;
    return this.transactions.run(async (manager) => {
      const updated = await manager.getRepository(RlAccount).update(
        { userId: account.userId, tierNames: account.tierNames },
        {
          tierNames: JSON.stringify(stats.tier_names),
          rankDisplay: JSON.stringify(stats.rank_display),
          iconUrls: JSON.stringify(stats.icon_urls),
          lastFetched: new Date(),
        },
      );
      // Another check stored these ranks first, and posted their promotions.
      if (updated.affected !== 1 || !channelId) return 0;
      for (const [playlist, tier] of rises)
        await this.poster.postWith(
          manager,
          channelId,
          this.promotion(account, stats, playlist, tier),
        );
      return channelId ? rises.length : 0;
    });
  }

  private promotion(account: RlAccount, stats: RlStats, playlist: string, tier: string) {
    const texts = this.settings.get('rocket_league_texts').promotion_config;
    const fill = (text: string) =>
      text
        .replaceAll('{user}', `<@${account.discordId}>`)
        .replaceAll('{playlist}', playlist)
        .replaceAll('{emoji}', RANK_EMOJIS[tier] ?? RANK_EMOJIS.Unranked)
        .replaceAll('{rank}', tier);
    const icon = (stats.icon_urls as Record<string, string | undefined>)[playlist];
    return {
      content: fill(texts.notification_prefix).slice(0, 2000),
      allowed_mentions: { users: [account.discordId] },
      embeds: [
        {
          title: fill(texts.embed_title).slice(0, 256),
          description: fill(texts.embed_description).slice(0, 4096),
          color: this.settings.get('general').pink_color,
          ...(icon ? { thumbnail: { url: icon } } : {}),
        },
      ],
    };
  }
}
