import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import { LRUCache } from 'lru-cache';
import type { EntityManager } from 'typeorm';
import { TransactionRunner } from '../database';
import { OutboxService } from '../outbox';
import { DiscordRest, nonceOf } from './discord-rest';

const KIND = 'discord.post';

export type ChannelPost = Pick<
  RESTPostAPIChannelMessageJSONBody,
  'content' | 'embeds' | 'allowed_mentions'
>;

/**
 * A message for a channel, through the outbox: stored with the change that caused it, delivered
 * with retries while Discord fails, and posted once (the outbox id is its nonce). Without a bot
 * token nothing is queued.
 */
@Injectable()
export class DiscordPoster implements OnModuleInit {
  constructor(
    private readonly discord: DiscordRest,
    private readonly outbox: OutboxService,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Messages posted by this instance's deliveries, by outbox id, for `postNow` to answer with. */
  private readonly posted = new LRUCache<string, string>({ max: 1000 });

  onModuleInit(): void {
    this.outbox.register(KIND, async (payload, job) => {
      const { channelId, body } = payload as { channelId: string; body: ChannelPost };
      const message = await this.discord.postMessage(channelId, {
        ...body,
        nonce: nonceOf(job.id),
      });
      this.posted.set(job.id, message.id);
    });
  }

  /** Queues the post in the caller's transaction; null without Discord. */
  async postWith(
    manager: EntityManager,
    channelId: string,
    body: ChannelPost,
  ): Promise<string | null> {
    if (!this.discord.enabled) return null;
    return this.outbox.enqueue(manager, KIND, { channelId, body });
  }

  /** Queues the post on its own. */
  post(channelId: string, body: ChannelPost): Promise<string | null> {
    return this.transactions.run((manager) => this.postWith(manager, channelId, body));
  }

  /**
   * Queues the post and delivers it at once, for a caller that answers with the outcome: 'sent'
   * with the message id, or 'queued' when Discord failed (the worker goes on retrying); null
   * without Discord.
   */
  async postNow(
    channelId: string,
    body: ChannelPost,
  ): Promise<{ status: 'sent' | 'queued'; messageId: string | null } | null> {
    if (!this.discord.enabled) return null;
    const id = await this.transactions.run((manager) =>
      // Held from the worker, which would otherwise race this delivery for it.
      this.outbox.enqueue(manager, KIND, { channelId, body }, { holdMs: 30_000 }),
    );
    const sent = await this.outbox.deliverNow(id);
    return { status: sent ? 'sent' : 'queued', messageId: this.posted.get(id) ?? null };
  }
}
