import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { BotSettings } from '../bot-config/bot-settings';
import { CogDisabled, COG_FEATURE, cogLoaded } from './cog-state';
import type { CogName } from './cog-registry';

/** A `@CogRoutes` controller's routes answer 503 COG_DISABLED while their cog is unloaded. */
@Injectable()
export class CogRoutesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly settings: BotSettings,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const cog = this.reflector.getAllAndOverride<CogName | undefined>(COG_FEATURE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (cog !== undefined && !cogLoaded(this.settings, cog)) throw CogDisabled(cog);
    return true;
  }
}
