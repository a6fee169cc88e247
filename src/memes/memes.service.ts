import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import { DataSource, In, LessThan, MoreThanOrEqual } from 'typeorm';
import { BotSettings } from '../bot-config/bot-settings';
import { TransactionRunner } from '../core/database';
import { DiscordPoster } from '../core/discord';
import { AppConfig } from '../core/env';
import { DomainError } from '../core/errors';
import { UpstreamClient } from '../core/upstream';
import { MemeHistory } from './meme-history.entity';
import { memeEmbed } from './meme-embed';
import { lemmyMemes, type Meme, redditMemes } from './meme-parsers';

export type MemeSource =
  { kind: 'reddit'; subreddit: string } | { kind: 'lemmy'; instance: string; community: string };

const NoMemes = (where: string) => new DomainError('NO_MEMES', 404, where);
const MissingSource = () =>
  new DomainError(
    'SOURCE_REQUIRED',
    400,
    "Missing 'source' parameter. Use a subreddit name or instance@community",
  );

const MAX_BYTES = 5 * 1024 * 1024;
const hash = (url: string) => createHash('sha256').update(url).digest('hex');

/**
 * Memes from the sources of the `meme` settings (subreddits and Lemmy `instance@community`s):
 * image posts only, NSFW left out unless asked for, a minimum score, and no meme shown twice
 * within MEME_REPEAT_DAYS (kept in the database). Each source's posts are cached for
 * `meme.templates_cache_duration` seconds, so picking does not call the upstream each time.
 */
@Injectable()
export class MemesService {
  private readonly reddit: UpstreamClient;
  private readonly lemmy: UpstreamClient;
  private readonly pools = new LRUCache<string, { until: number; memes: Promise<Meme[]> }>({
    max: 500,
  });

  constructor(
    private readonly config: AppConfig,
    private readonly settings: BotSettings,
    private readonly transactions: TransactionRunner,
    private readonly poster: DiscordPoster,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    const common = {
      timeoutMs: config.memes.upstreamTimeoutMs,
      maxBytes: MAX_BYTES,
      retries: 2,
      retryBaseMs: 250,
      userAgent: 'Guildhall/1.0 (community bot; memes for a Discord server)',
    };
    this.reddit = new UpstreamClient({ name: 'reddit', ...common });
    this.lemmy = new UpstreamClient({ name: 'lemmy', ...common });
  }

  health() {
    return { reddit: this.reddit.health(), lemmy: this.lemmy.health() };
  }

  /** The configured sources: subreddit names and `instance@community` Lemmy sources. */
  sources(): { subreddits: string[]; lemmy: string[] } {
    const meme = this.settings.get('meme');
    return {
      subreddits: meme.meme_sources.includes('reddit') ? [...meme.subreddits] : [],
      lemmy: meme.meme_sources.includes('lemmy') ? [...meme.lemmy_communities] : [],
    };
  }

  /**
   * A random meme from up to `sources` random sources of one `kind` (or both): the best `pool` of
   * their fresh posts with at least `minScore`, one of them at random, then remembered as shown.
   */
  async random(options: {
    kind?: 'reddit' | 'lemmy';
    nsfw?: boolean;
    sources?: number;
    minScore?: number;
    pool?: number;
    /** Draw from these instead of all configured sources (`null`: all); a disabled kind stays off. */
    only?: { subreddits: string[] | null; lemmy: string[] | null };
  }): Promise<Meme> {
    const configured = this.sources();
    const { meme_sources } = this.settings.get('meme');
    const subreddits = meme_sources.includes('reddit')
      ? (options.only?.subreddits ?? configured.subreddits)
      : [];
    const lemmy = meme_sources.includes('lemmy') ? (options.only?.lemmy ?? configured.lemmy) : [];
    const all: MemeSource[] = [
      ...(options.kind !== 'lemmy'
        ? subreddits.map((s) => ({ kind: 'reddit' as const, subreddit: s }))
        : []),
      ...(options.kind !== 'reddit' ? lemmy.flatMap((l) => lemmySource(l) ?? []) : []),
    ];
    const picked = shuffle(all).slice(0, options.sources ?? 3);
    const results = await Promise.allSettled(picked.map((source) => this.pool(source)));
    const fetched = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    if (fetched.length === 0 && results.length > 0)
      throw (results[0] as PromiseRejectedResult).reason;
    const candidates = await this.fresh(
      fetched
        .flat()
        .filter((meme) => (options.nsfw ?? false) || !meme.nsfw)
        .filter((meme) => meme.score >= (options.minScore ?? 0)),
    );
    const best = candidates.sort((a, b) => b.score - a.score).slice(0, options.pool ?? 25);
    if (best.length === 0) throw NoMemes('No suitable memes found');
    const meme = best[Math.floor(Math.random() * best.length)];
    await this.remember(meme);
    return meme;
  }

  /** A meme from one configured source: a subreddit (`r/` optional) or `instance@community`. */
  async fromSource(
    raw: string | undefined,
  ): Promise<{ source: string; type: 'reddit' | 'lemmy'; meme: Meme }> {
    if (!raw?.trim()) throw MissingSource();
    const source = this.configured(raw.trim());
    const label =
      source.kind === 'reddit' ? `r/${source.subreddit}` : `${source.instance}@${source.community}`;
    const memes = (await this.pool(source)).filter((meme) => !meme.nsfw);
    const fresh = await this.fresh(memes);
    const choice = (fresh.length > 0 ? fresh : memes)[
      Math.floor(Math.random() * (fresh.length || memes.length))
    ];
    if (!choice) throw NoMemes(`No memes found from ${label}`);
    await this.remember(choice);
    return { source: label, type: source.kind, meme: choice };
  }

  /** Posts a meme to the meme channel, through the outbox, and says whether it went out already. */
  async send(meme: Meme, by: { discordId: string | null; name: string }) {
    const channelId = this.settings.get('channels').meme_channel_id;
    if (!channelId)
      throw new DomainError('MEME_CHANNEL_NOT_CONFIGURED', 404, 'Meme channel not configured');
    const general = this.settings.get('general');
    const who = by.discordId ? `<@${by.discordId}>` : by.name;
    const outcome = await this.poster.postNow(channelId, {
      content: `🎭 Meme sent from Admin Panel by ${who}`.slice(0, 2000),
      embeds: [memeEmbed(meme, general.pink_color)],
    });
    if (!outcome) throw new DomainError('DISCORD_DISABLED', 503, 'Discord is not configured');
    await this.remember(meme);
    return { channelId, ...outcome };
  }

  private configured(raw: string): MemeSource {
    const { subreddits, lemmy } = this.sources();
    if (raw.includes('@')) {
      const found = lemmy.find((l) => l.toLowerCase() === raw.toLowerCase());
      const source = found ? lemmySource(found) : undefined;
      if (!source)
        throw withExtra(
          new DomainError(
            'SOURCE_NOT_CONFIGURED',
            400,
            `'${raw}' is not configured as a Lemmy community`,
          ),
          { available_lemmy: lemmy },
        );
      return source;
    }
    const name = raw.replace(/^\/?r\//i, '').toLowerCase();
    const found = subreddits.find((s) => s.toLowerCase() === name);
    if (!found)
      throw withExtra(
        new DomainError('SOURCE_NOT_CONFIGURED', 400, `r/${name} is not configured`),
        { available_subreddits: subreddits },
      );
    return { kind: 'reddit', subreddit: found };
  }

  /** A source's image posts, from the cache while it is fresh. */
  private pool(source: MemeSource): Promise<Meme[]> {
    const key =
      source.kind === 'reddit' ? `r/${source.subreddit}` : `${source.instance}@${source.community}`;
    const now = Date.now();
    const hit = this.pools.get(key);
    if (hit && hit.until > now) return hit.memes;
    const memes =
      source.kind === 'reddit' ? this.fromReddit(source.subreddit) : this.fromLemmy(source);
    const ttl = Math.max(60, this.settings.get('meme').templates_cache_duration) * 1000;
    this.pools.set(key, { until: now + ttl, memes });
    void memes.catch(() => this.pools.delete(key));
    return memes;
  }

  private async fromReddit(subreddit: string): Promise<Meme[]> {
    const url = `${this.config.memes.redditBase}/r/${encodeURIComponent(subreddit)}/hot.json?limit=50&t=day`;
    return redditMemes(await this.reddit.getJson(url), subreddit);
  }

  private async fromLemmy(source: { instance: string; community: string }): Promise<Meme[]> {
    const base = this.config.memes.lemmyBase ?? `https://${source.instance}`;
    const query = new URLSearchParams({
      community_name: source.community,
      sort: 'Hot',
      limit: '50',
    });
    return lemmyMemes(
      await this.lemmy.getJson(`${base}/api/v3/post/list?${query.toString()}`),
      source.instance,
      source.community,
    );
  }

  /** The memes not shown within MEME_REPEAT_DAYS. */
  private async fresh(memes: Meme[]): Promise<Meme[]> {
    if (memes.length === 0 || this.config.memes.repeatDays === 0) return memes;
    const since = new Date(Date.now() - this.config.memes.repeatDays * 86_400_000);
    const shown = new Set<string>();
    const hashes = [...new Set(memes.map((meme) => hash(meme.url)))];
    for (let i = 0; i < hashes.length; i += 400) {
      const rows = await this.dataSource.getRepository(MemeHistory).find({
        select: { urlHash: true },
        where: { urlHash: In(hashes.slice(i, i + 400)), shownAt: MoreThanOrEqual(since) },
      });
      for (const row of rows) shown.add(row.urlHash);
    }
    return memes.filter((meme) => !shown.has(hash(meme.url)));
  }

  private async remember(meme: Meme): Promise<void> {
    const now = new Date();
    await this.transactions.run(async (manager) => {
      const repo = manager.getRepository(MemeHistory);
      await repo.upsert({ urlHash: hash(meme.url), url: meme.url, shownAt: now }, ['urlHash']);
      // What is older than the window says nothing any more.
      await repo.delete({
        shownAt: LessThan(
          new Date(now.getTime() - Math.max(1, this.config.memes.repeatDays) * 86_400_000),
        ),
      });
    });
  }
}

function withExtra(error: DomainError, extra: Record<string, unknown>): DomainError {
  error.extra = extra;
  return error;
}

function lemmySource(text: string): MemeSource | undefined {
  const [instance, community] = text.split('@');
  return instance && community ? { kind: 'lemmy', instance, community } : undefined;
}

function shuffle<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}
