import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { BotSettings } from '../bot-config/bot-settings';
import type { SectionChange } from '../bot-config/sections';
import { cogLoaded } from '../cogs/cog-feature';
import { DiscordPoster } from '../core/discord';
import { type TicketEvent, TicketEvents } from '../tickets/ticket-events';
import { TicketsService } from '../tickets/tickets.service';

/**
 * DiscordLogging: what happens to tickets, the configuration and the cogs is posted to
 * `channels.log_channel_id`, through the outbox. Only the instance where a change happened posts
 * it, so several instances post each event once.
 */
@Injectable()
export class DiscordLogging implements OnModuleInit, OnApplicationShutdown {
  private readonly stops: (() => void)[] = [];

  constructor(
    private readonly settings: BotSettings,
    private readonly poster: DiscordPoster,
    private readonly tickets: TicketEvents,
    private readonly lookup: TicketsService,
  ) {}

  onModuleInit(): void {
    this.stops.push(
      this.tickets.subscribe((event) => this.ticket(event)),
      this.settings.onChange((change) => this.setting(change)),
    );
  }

  onApplicationShutdown(): void {
    for (const stop of this.stops) stop();
  }

  private ticket(event: TicketEvent): void {
    if (event.type === 'ticket_opened') {
      this.post(`🎫 Ticket #${event.ticketNum} opened by ${event.openerName}: ${event.subject}`);
      return;
    }
    const what = CHANGES[event.type];
    if (!what) return;
    void this.lookup
      .find(event.ticketId)
      .then(
        (ticket) => ticket && this.post(`${what} ticket #${ticket.ticketNum}: ${ticket.subject}`),
      )
      .catch(() => undefined);
  }

  private setting(change: SectionChange): void {
    if (!change.local) return;
    if (change.section === 'cogs') {
      const disabled = (change.value as { disabled: string[] }).disabled;
      this.post(
        `🧩 Cogs changed: ${disabled.length > 0 ? `unloaded ${disabled.join(', ')}` : 'all loaded'}`,
      );
      return;
    }
    this.post(`⚙️ Configuration section \`${change.section}\` changed`);
  }

  private post(content: string): void {
    const channelId = this.settings.get('channels').log_channel_id;
    if (!channelId || !cogLoaded(this.settings, 'DiscordLogging')) return;
    void this.poster.post(channelId, { content: content.slice(0, 2000) }).catch(() => undefined);
  }
}

const CHANGES: Partial<Record<TicketEvent['type'], string>> = {
  ticket_claimed: '🙋 Claimed',
  ticket_assigned: '👉 Assigned',
  ticket_closed: '🔒 Closed',
  ticket_reopened: '🔓 Reopened',
};
