import { Injectable, Logger } from '@nestjs/common';
import { Context, type ContextOf, On, Once } from 'necord';

/**
 * The client's own events. An `error` event without a listener would crash the process (Node's rule
 * for EventEmitters), so connection errors are logged and discord.js reconnects by itself.
 */
@Injectable()
export class BotEvents {
  private readonly logger = new Logger('Discord');

  @Once('clientReady')
  ready(@Context() [client]: ContextOf<'clientReady'>): void {
    this.logger.log(
      { user: client.user.tag, guilds: client.guilds.cache.size },
      'Bot logged in to the gateway',
    );
  }

  @On('error')
  error(@Context() [error]: ContextOf<'error'>): void {
    this.logger.error({ err: error }, 'Discord client error');
  }

  @On('warn')
  warn(@Context() [message]: ContextOf<'warn'>): void {
    this.logger.warn({ detail: message }, 'Discord client warning');
  }
}
