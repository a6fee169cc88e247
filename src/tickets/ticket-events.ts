import { EventEmitter } from 'node:events';
import { Injectable } from '@nestjs/common';
import type { TicketMessage } from './ticket-message.entity';

/** What happened to a ticket, as the socket gateway (and later push and Discord) hear it. */
export type TicketEvent =
  | {
      type: 'ticket_opened';
      ticketId: string;
      ticketNum: number;
      openerId: string;
      openerName: string;
      subject: string;
    }
  | { type: 'new_message'; ticketId: string; message: TicketMessage }
  | { type: 'ticket_claimed'; ticketId: string; claimedBy: string }
  | { type: 'ticket_assigned'; ticketId: string; assignedTo: string }
  | { type: 'ticket_closed'; ticketId: string; closeMessage: string }
  | { type: 'ticket_reopened'; ticketId: string };

/** In-process publish/subscribe of ticket events, published after the change is stored. */
@Injectable()
export class TicketEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  publish(event: TicketEvent): void {
    this.emitter.emit('event', event);
  }

  subscribe(listener: (event: TicketEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
