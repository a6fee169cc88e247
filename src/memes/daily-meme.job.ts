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
import { isUniqueViolation, TransactionRunner } from '../core/database';
import { DiscordPoster } from '../core/discord';
import { DomainError } from '../core/errors';
import { DailyMemeRun } from './daily-meme-run.entity';
import { memeEmbed } from './meme-embed';
import { MemesService } from './memes.service';
import { SingletonLease } from '../core/lease';

const TICK_MS = 60_000;

export type DailyMemeOutcome =
  'posted' | 'disabled' | 'not-yet' | 'already-posted' | 'no-channel' | 'no-meme';

/**
 * The daily meme: once `meme.daily_time` (UTC) has passed, one meme (`daily_min_score`, NSFW as
 * `daily_allow_nsfw` says) goes to the meme channel through the outbox, mentioning the meme role.
 * The day is claimed in the same transaction that queues the post, so with several instances it is
 * posted once. Skipped while the DailyMeme cog is unloaded.
 */
@Injectable()
export class DailyMemeJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DailyMeme');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private failedDay?: string;

  constructor(
    private readonly settings: BotSettings,
    private readonly memes: MemesService,
    private readonly poster: DiscordPoster,
    private readonly transactions: TransactionRunner,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lease: SingletonLease,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (!this.lease.held) return;
      this.running ??= this.runOnce().finally(() => (this.running = undefined));
    }, TICK_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async runOnce(now = new Date()): Promise<DailyMemeOutcome> {
    const meme = this.settings.get('meme');
    if (!cogLoaded(this.settings, 'DailyMeme') || !meme.daily_enabled) return 'disabled';
    if (now.toISOString().slice(11, 16) < meme.daily_time) return 'not-yet';
    const channelId = this.settings.get('channels').meme_channel_id;
    if (!channelId) return 'no-channel';
    const day = now.toISOString().slice(0, 10);
    if (await this.dataSource.getRepository(DailyMemeRun).existsBy({ day }))
      return 'already-posted';
    let picked;
    try {
      picked = await this.memes.random({
        nsfw: meme.daily_allow_nsfw,
        minScore: meme.daily_min_score,
        sources: meme.daily_max_sources,
        pool: meme.daily_pool_size,
        only: { subreddits: meme.daily_subreddits, lemmy: meme.daily_lemmy },
      });
    } catch (error) {
      // Tried again at the next tick; said once a day.
      if (this.failedDay !== day) {
        this.logger.warn(
          { err: error, error_code: error instanceof DomainError ? error.code : undefined },
          'No daily meme yet; trying again',
        );
        this.failedDay = day;
      }
      return 'no-meme';
    }
    const role = this.settings.get('roles').meme_role_id;
    const color = this.settings.get('general').pink_color;
    try {
      await this.transactions.run(async (manager) => {
        await manager.getRepository(DailyMemeRun).insert({ day, memeUrl: picked.url });
        await this.poster.postWith(manager, channelId, {
          content: `${role ? `<@&${role}> ` : ''}🎭 **Daily meme**`,
          embeds: [memeEmbed(picked, color)],
          allowed_mentions: { roles: role ? [role] : [] },
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) return 'already-posted';
      throw error;
    }
    this.logger.log({ day, url: picked.url }, 'Daily meme posted');
    return 'posted';
  }
}
