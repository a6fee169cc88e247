import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxService } from '../outbox';

export const PUSH_KINDS = {
  ticket: 'push.ticket',
  broadcast: 'push.broadcast',
  tokens: 'push.tokens',
} as const;

/** A ticket event that notifies people; who exactly is decided when the push goes out. */
export type TicketPushEvent =
  | { event: 'new_ticket'; ticketId: string }
  | { event: 'new_message'; ticketId: string; messageId: number }
  | { event: 'ticket_assigned'; ticketId: string; assignedTo: string };

/**
 * Queues pushes in the transaction of the change that causes them (an outbox message), so a push is
 * never lost to a crash between the change and its notification, and FCM failures are retried.
 * Recipients, their settings, who is viewing the ticket and their tokens are read at delivery (see
 * notifications/). Without push configured nothing is queued.
 */
@Injectable()
export class PushQueue {
  enabled = false;

  constructor(private readonly outbox: OutboxService) {}

  async ticket(manager: EntityManager, event: TicketPushEvent): Promise<void> {
    if (this.enabled) await this.outbox.enqueue(manager, PUSH_KINDS.ticket, { ...event });
  }

  async broadcast(manager: EntityManager, broadcastId: string): Promise<void> {
    if (this.enabled) await this.outbox.enqueue(manager, PUSH_KINDS.broadcast, { broadcastId });
  }
}
