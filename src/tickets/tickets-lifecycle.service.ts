import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { BotSettings } from '../bot-config/bot-settings';
import { cogLoaded } from '../cogs/cog-feature';
import { AppConfig } from '../core/env';
import { TicketTransitions } from './ticket-transitions.service';
import { TicketsService } from './tickets.service';
import { SingletonLease } from '../core/lease';

/**
 * The ticket clean-up job, every TICKET_JOB_INTERVAL_MS: closes tickets idle for
 * `tickets.auto_close_hours` (when set) and deletes tickets closed `auto_delete_after_close_days`
 * ago. Both steps are conditional statements, so several instances running it at once do no harm.
 * It skips its runs while the TicketSystem cog is unloaded.
 */
@Injectable()
export class TicketsLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('TicketsLifecycle');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly config: AppConfig,
    private readonly settings: BotSettings,
    private readonly tickets: TicketsService,
    private readonly transitions: TicketTransitions,
    private readonly lease: SingletonLease,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.config.tickets.jobIntervalMs;
    if (interval <= 0) return;
    this.timer = setInterval(() => {
      if (!this.lease.held) return;
      this.running ??= this.runOnce()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.error({ err: error }, 'Ticket clean-up failed'))
        .finally(() => (this.running = undefined));
    }, interval);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async runOnce(now = new Date()): Promise<{ closed: number; deleted: number }> {
    if (!cogLoaded(this.settings, 'TicketSystem')) return { closed: 0, deleted: 0 };
    const closed = await this.transitions.closeIdle(now);
    const deleted = await this.tickets.deleteExpired(now);
    if (closed > 0 || deleted > 0)
      this.logger.log(`Closed ${closed} idle and deleted ${deleted} old ticket(s)`);
    return { closed, deleted };
  }
}
