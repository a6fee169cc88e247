import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, type Observable, of } from 'rxjs';
import { BotSettings } from '../bot-config/bot-settings';
import { CogDisabled, COG_DISABLED_REPLY, COG_FEATURE, cogLoaded } from './cog-state';
import type { CogName } from './cog-registry';

interface Repliable {
  isRepliable(): boolean;
  reply(options: { content: string; flags: number }): Promise<unknown>;
}

const EPHEMERAL = 1 << 6;

/**
 * Runs before every handler of a `@CogFeature` class (the decorator applies it), after its guards:
 * a slash command or button gets the ephemeral "This feature is disabled", a Discord listener and a
 * socket event nothing. The state is read from memory (BotSettings), so the check costs nothing on
 * a loaded cog. HTTP routes are gated by CogRoutesGuard instead.
 */
@Injectable()
export class CogGate implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly settings: BotSettings,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const cog = this.reflector.getAllAndOverride<CogName | undefined>(COG_FEATURE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (cog === undefined || cogLoaded(this.settings, cog)) return next.handle();
    const type = context.getType<string>();
    if (type === 'http') throw CogDisabled(cog);
    if (type === 'ws') {
      const socket = context.switchToWs().getClient<{ emit(event: string, body: object): void }>();
      const error = CogDisabled(cog);
      socket.emit('error', {
        error: error.message,
        message: error.message,
        error_code: error.code,
      });
      return of(undefined);
    }
    // Necord: the first argument of the handler's context is the interaction or the event.
    const [first] = context.getArgByIndex<unknown[] | undefined>(0) ?? [];
    const interaction = first as Partial<Repliable> | undefined;
    if (typeof interaction?.isRepliable === 'function' && interaction.isRepliable()) {
      const replied = (interaction as Repliable)
        .reply({ content: COG_DISABLED_REPLY, flags: EPHEMERAL })
        .then(
          () => undefined,
          () => undefined,
        );
      return from(replied);
    }
    return of(undefined);
  }
}
