import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import type { BotSettings } from '../bot-config/bot-settings';
import { DomainError } from '../core/errors';
import type { CogName } from './cog-registry';

export const COG_FEATURE = 'guildhall:cog';

/**
 * Marks a gateway or Discord command class (or one handler) as part of a cog: while the cog is
 * unloaded its slash commands answer an ephemeral "This feature is disabled", and its listeners and
 * socket events do nothing (CogGate).
 */
export const CogFeature = (cog: CogName) => SetMetadata(COG_FEATURE, cog);

/** The same for a controller: its routes answer 503 COG_DISABLED, and OpenAPI says so. */
export const CogRoutes = (cog: CogName) =>
  applyDecorators(
    SetMetadata(COG_FEATURE, cog),
    ApiExtension('x-cog', cog),
    ApiServiceUnavailableResponse({ description: `The ${cog} cog is unloaded (COG_DISABLED)` }),
  );

/** Whether a cog is loaded now; jobs ask before each run. */
export function cogLoaded(settings: BotSettings, cog: CogName): boolean {
  return !settings.get('cogs').disabled.includes(cog);
}

export const CogDisabled = (cog: string) =>
  new DomainError('COG_DISABLED', 503, `${cog} cog not loaded`);

/** What a slash command of an unloaded cog answers. */
export const COG_DISABLED_REPLY = 'This feature is disabled';
