import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type Redis from 'ioredis';
import { growingLru } from '../core/cache';
import { AppConfig } from '../core/env';
import { REDIS, RedisChannel } from '../core/redis';
import type { TicketMessageDto } from './dto/tickets.dto';
import type { TicketMessage } from './ticket-message.entity';
import { messageView } from './ticket-views';
import { TicketsRepository } from './tickets.repository';

/** How long a message waits for the ones numbered before it before they are read from the database. */
export const GAP_WAIT_MS = 250;
/** Numbers remembered per ticket to recognise a message heard twice. */
const REMEMBERED = 64;

interface Numbered {
  ticketId: string;
  seq: number;
  message: TicketMessageDto;
}

interface RoomOrder {
  /** The number this instance delivers next. */
  next: number;
  waiting: Map<number, TicketMessageDto>;
  gap?: NodeJS.Timeout;
  recent: number[];
}

const isNumbered = (value: unknown): value is Numbered => {
  const v = value as Partial<Numbered> | null;
  return (
    typeof v?.ticketId === 'string' &&
    Number.isInteger(v.seq) &&
    typeof v.message === 'object' &&
    v.message !== null
  );
};

/**
 * A ticket room's new messages, to the sockets of every instance in the order of their numbers
 * (`seq`, taken under the ticket's row lock, so commit order). The instance that stored a message
 * delivers it to its own sockets and tells the others over Redis; each instance delivers in
 * number order, holding a message whose predecessor has not arrived for up to GAP_WAIT_MS and then
 * reading the missing ones from the database (a predecessor numbered is a predecessor committed).
 * Nothing is dropped: a message older than what was delivered (only possible before an instance has
 * heard of a ticket) goes out at once, and only one heard twice is skipped.
 */
@Injectable()
export class TicketRoomRelay implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('TicketRoomRelay');
  private readonly channel: RedisChannel<Numbered>;
  private readonly rooms = growingLru<string, RoomOrder>(50_000, {
    ttl: 3_600_000,
    dispose: (order) => clearTimeout(order.gap),
  });
  private deliver: (ticketId: string, message: TicketMessageDto) => void = () => undefined;

  constructor(
    config: AppConfig,
    @Inject(REDIS) redis: Redis | null,
    private readonly tickets: TicketsRepository,
  ) {
    this.channel = new RedisChannel(redis, config.redis.keyPrefix, 'ticket-messages', isNumbered);
  }

  async onModuleInit(): Promise<void> {
    await this.channel.listen((numbered) => this.accept(numbered));
  }

  async onApplicationShutdown(): Promise<void> {
    this.rooms.clear();
    await this.channel.close();
  }

  /** Where messages go on this instance (the gateway's local room emit). */
  attach(deliver: (ticketId: string, message: TicketMessageDto) => void): void {
    this.deliver = deliver;
  }

  /** A message stored (and committed) on this instance: to its sockets here and everywhere else. */
  publish(message: TicketMessage): void {
    const numbered = {
      ticketId: message.ticketId,
      seq: message.seq,
      message: messageView(message),
    };
    void this.channel.publish(numbered);
    this.accept(numbered);
  }

  private accept({ ticketId, seq, message }: Numbered): void {
    let order = this.rooms.get(ticketId);
    if (!order) {
      order = { next: seq, waiting: new Map(), recent: [] };
      this.rooms.set(ticketId, order);
    }
    if (seq < order.next) {
      if (!order.recent.includes(seq)) this.send(ticketId, order, seq, message);
      return;
    }
    order.waiting.set(seq, message);
    this.drain(ticketId, order);
    if (order.waiting.size > 0 && !order.gap)
      order.gap = setTimeout(() => void this.fillGap(ticketId, order), GAP_WAIT_MS).unref();
  }

  private drain(ticketId: string, order: RoomOrder): void {
    for (
      let message = order.waiting.get(order.next);
      message;
      message = order.waiting.get(order.next)
    ) {
      order.waiting.delete(order.next);
      this.send(ticketId, order, order.next, message);
      order.next += 1;
    }
    if (order.waiting.size === 0) {
      clearTimeout(order.gap);
      order.gap = undefined;
    }
  }

  /** The predecessors did not arrive in time: they are committed, so the database has them. */
  private async fillGap(ticketId: string, order: RoomOrder): Promise<void> {
    order.gap = undefined;
    if (order.waiting.size === 0) return;
    const first = order.next;
    const last = Math.min(...order.waiting.keys()) - 1;
    try {
      for (const stored of await this.tickets.messagesNumbered(ticketId, first, last))
        if (!order.waiting.has(stored.seq)) order.waiting.set(stored.seq, messageView(stored));
    } catch (error) {
      this.logger.warn({ err: error, ticketId }, 'Could not read the messages of a gap; retrying');
      order.gap = setTimeout(() => void this.fillGap(ticketId, order), GAP_WAIT_MS).unref();
      return;
    }
    // Whatever is still missing (a ticket deleted meanwhile) is skipped, not waited for forever.
    if (!order.waiting.has(order.next)) order.next = Math.min(...order.waiting.keys());
    this.drain(ticketId, order);
  }

  private send(ticketId: string, order: RoomOrder, seq: number, message: TicketMessageDto): void {
    order.recent.push(seq);
    if (order.recent.length > REMEMBERED) order.recent.shift();
    try {
      this.deliver(ticketId, message);
    } catch (error) {
      this.logger.error({ err: error, ticketId }, 'Could not deliver a message to the room');
    }
  }
}
