import { Inject, Injectable, Logger, type OnModuleInit, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull } from 'typeorm';
import { Broadcast } from '../admin/broadcast.entity';
import { User } from '../auth/user.entity';
import { TransactionRunner } from '../core/database';
import { AppConfig } from '../core/env';
import { OutboxService } from '../core/outbox';
import { PUSH_KINDS, PushQueue, type TicketPushEvent } from '../core/push';
import { TicketMessage } from '../tickets/ticket-message.entity';
import { TicketViewers } from '../tickets/ticket-viewers';
import type { Ticket } from '../tickets/ticket.entity';
import { TicketsRepository } from '../tickets/tickets.repository';
import { NotificationSettings } from './notification-settings.entity';
import { viewOf } from './notifications.service';
import {
  assignedPush,
  broadcastPush,
  DEFAULT_SETTINGS,
  newMessagePush,
  newTicketPush,
  type SettingsView,
} from './push-messages';
import { MAX_MULTICAST, PUSH_SENDER, type PushMessage, type PushSender } from './push-sender';
import { PushToken } from './push-token.entity';

/** Who should hear of an event, by actor id (a Discord id, or the user id without one). */
interface Audience {
  actors: Set<string> | 'staff-and' | 'everyone';
  /** With `staff-and`: these besides every staff member. */
  plus?: Set<string>;
  /** The setting that gates the event; a mention of the user counts under `ticket_mentions`. */
  setting: keyof SettingsView | null;
  exclude: Set<string>;
  mentions?: string;
}

class PushUndelivered extends Error {
  override readonly name = 'PushUndelivered';
}

/**
 * Delivers the pushes PushQueue queued: decides the recipients when the push goes out (HazeBot's
 * rules, contract §5, plus each user's settings, minus the author and whoever is viewing the
 * ticket right now), sends one multicast per event and cleans up tokens FCM no longer knows.
 * When nothing could be sent the outbox retries the whole push; when some tokens failed, only
 * those are queued again, so nobody gets a push twice.
 */
@Injectable()
export class PushDelivery implements OnModuleInit {
  private readonly logger = new Logger('PushDelivery');

  constructor(
    private readonly config: AppConfig,
    private readonly outbox: OutboxService,
    private readonly queue: PushQueue,
    private readonly transactions: TransactionRunner,
    private readonly tickets: TicketsRepository,
    private readonly viewers: TicketViewers,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() @Inject(PUSH_SENDER) private readonly sender: PushSender | null,
  ) {}

  onModuleInit(): void {
    this.queue.enabled = Boolean(this.sender);
    this.outbox.register(PUSH_KINDS.ticket, (payload) =>
      this.ticketEvent(payload as unknown as TicketPushEvent),
    );
    this.outbox.register(PUSH_KINDS.broadcast, (payload) =>
      this.broadcast((payload as { broadcastId: string }).broadcastId),
    );
    this.outbox.register(PUSH_KINDS.tokens, (payload) =>
      this.retryTokens(
        payload as { tokens: string[]; data: Record<string, string>; attempt: number },
      ),
    );
  }

  private async ticketEvent(event: TicketPushEvent): Promise<void> {
    const ticket = await this.tickets.find(event.ticketId);
    if (!ticket) return; // deleted since
    const push = await this.pushFor(ticket, event);
    if (!push) return;
    const viewing = new Set(await this.viewers.of(ticket.id));
    for (const viewer of viewing) push.audience.exclude.add(viewer);
    const tokens = await this.tokensOf(push.audience);
    await this.send(tokens, { data: push.data });
  }

  private async pushFor(
    ticket: Ticket,
    event: TicketPushEvent,
  ): Promise<{ audience: Audience; data: Record<string, string> } | undefined> {
    switch (event.event) {
      case 'new_ticket':
        return {
          audience: {
            actors: 'staff-and',
            setting: 'ticket_created',
            exclude: new Set([ticket.openerId]),
          },
          data: newTicketPush(ticket),
        };
      case 'new_message': {
        const message = await this.dataSource
          .getRepository(TicketMessage)
          .findOneBy({ id: event.messageId });
        if (!message) return undefined;
        const opener = new Set([ticket.openerId]);
        return {
          audience: {
            ...(ticket.assignedTo
              ? { actors: new Set([ticket.openerId, ticket.assignedTo]) }
              : { actors: 'staff-and' as const, plus: opener }),
            setting: 'ticket_new_messages',
            exclude: new Set([message.authorId]),
            mentions: message.content,
          },
          data: newMessagePush(ticket, message),
        };
      }
      case 'ticket_assigned':
        return {
          audience: {
            actors: new Set([event.assignedTo]),
            setting: 'ticket_assigned',
            exclude: new Set(),
          },
          data: assignedPush(ticket),
        };
    }
  }

  private async broadcast(broadcastId: string): Promise<void> {
    const broadcast = await this.dataSource.getRepository(Broadcast).findOneBy({ id: broadcastId });
    if (!broadcast) return;
    const tokens = await this.tokensOf({ actors: 'everyone', setting: null, exclude: new Set() });
    await this.send(tokens, { data: broadcastPush(broadcast) });
  }

  /** The tokens of the users an audience names, after exclusions and their settings. */
  private async tokensOf(audience: Audience): Promise<string[]> {
    const users = await this.usersOf(audience);
    const actorOf = (user: User) => user.discordId ?? user.id;
    const wanted = users.filter((user) => !audience.exclude.has(actorOf(user)));
    if (wanted.length === 0) return [];
    const ids = wanted.map((user) => user.id);
    const settings = new Map(
      (await this.dataSource.getRepository(NotificationSettings).findBy({ userId: In(ids) })).map(
        (row) => [row.userId, viewOf(row)],
      ),
    );
    const allowed = wanted.filter((user) => {
      const mine = settings.get(user.id) ?? DEFAULT_SETTINGS;
      if (!mine.notifications_enabled) return false;
      if (!audience.setting || mine[audience.setting]) return true;
      const mentioned = Boolean(
        user.discordId && audience.mentions?.includes(`<@${user.discordId}>`),
      );
      return mentioned && mine.ticket_mentions;
    });
    if (allowed.length === 0) return [];
    const tokens = await this.dataSource.getRepository(PushToken).find({
      select: { token: true },
      where: { userId: In(allowed.map((user) => user.id)) },
    });
    return tokens.map((row) => row.token);
  }

  private async usersOf(audience: Audience): Promise<User[]> {
    const users = this.dataSource.getRepository(User);
    const active = { bannedAt: IsNull(), disabledAt: IsNull() };
    if (audience.actors === 'everyone') {
      const holders = await this.dataSource
        .getRepository(PushToken)
        .createQueryBuilder('t')
        .select('DISTINCT t.user_id', 'user_id')
        .getRawMany<{ user_id: string }>();
      return holders.length > 0
        ? users.findBy({ id: In(holders.map((row) => row.user_id)), ...active })
        : [];
    }
    const named = [...(audience.actors === 'staff-and' ? (audience.plus ?? []) : audience.actors)];
    const found = named.length
      ? await users.find({
          where: [
            { discordId: In(named), ...active },
            { id: In(named), ...active },
          ],
        })
      : [];
    if (audience.actors !== 'staff-and') return found;
    const staff = await users.findBy({ role: In(['admin', 'moderator']), ...active });
    const byId = new Map([...found, ...staff].map((user) => [user.id, user]));
    return [...byId.values()];
  }

  /** One multicast per MAX_MULTICAST tokens; see the class comment for what a failure does. */
  private async send(tokens: string[], message: PushMessage, attempt = 1): Promise<void> {
    const sender = this.sender;
    if (!sender || tokens.length === 0) return;
    const failed: string[] = [];
    const invalid: string[] = [];
    let sent = 0;
    for (let i = 0; i < tokens.length; i += MAX_MULTICAST) {
      const chunk = tokens.slice(i, i + MAX_MULTICAST);
      let outcomes;
      try {
        outcomes = await sender.send(chunk, message);
      } catch (error) {
        this.logger.warn({ err: error, tokens: chunk.length }, 'Push multicast failed');
        failed.push(...chunk);
        continue;
      }
      for (const outcome of outcomes) {
        if (outcome.result === 'sent') sent += 1;
        else if (outcome.result === 'invalid') invalid.push(outcome.token);
        else if (outcome.result === 'retry') failed.push(outcome.token);
        else this.logger.warn({ code: outcome.code }, 'FCM refused a push');
      }
    }
    if (invalid.length > 0) {
      await this.transactions.run((manager) =>
        manager.getRepository(PushToken).delete({ token: In(invalid) }),
      );
      this.logger.log({ tokens: invalid.length }, 'Deleted push tokens FCM no longer knows');
    }
    if (failed.length === 0) return;
    // Nothing went out: the outbox retries this push as it is, with its backoff.
    if (sent === 0) throw new PushUndelivered(`push to ${failed.length} token(s) failed`);
    if (attempt >= this.config.outbox.maxAttempts) {
      this.logger.error({ tokens: failed.length }, 'Gave up on a push to some tokens');
      return;
    }
    await this.transactions.run((manager) =>
      this.outbox.enqueue(manager, PUSH_KINDS.tokens, {
        tokens: failed,
        data: message.data,
        attempt: attempt + 1,
      }),
    );
  }

  private async retryTokens(payload: {
    tokens: string[];
    data: Record<string, string>;
    attempt: number;
  }): Promise<void> {
    // Tokens deleted or moved since are not pushed to.
    const still = await this.dataSource
      .getRepository(PushToken)
      .find({ select: { token: true }, where: { token: In(payload.tokens) } });
    await this.send(
      still.map((row) => row.token),
      { data: payload.data },
      payload.attempt,
    );
  }
}
