import type { BotSettings } from '../bot-config/bot-settings';
import { DomainError } from '../core/errors';
import type { CogName } from './cog-registry';

/** The metadata key `@CogFeature` and `@CogRoutes` set: the cog a class or handler belongs to. */
export const COG_FEATURE = 'guildhall:cog';

/** Whether a cog is loaded now; jobs ask before each run. */
export function cogLoaded(settings: BotSettings, cog: CogName): boolean {
  return !settings.get('cogs').disabled.includes(cog);
}

export const CogDisabled = (cog: string) =>
  new DomainError('COG_DISABLED', 503, `${cog} cog not loaded`);

/** What a slash command of an unloaded cog answers. */
export const COG_DISABLED_REPLY = 'This feature is disabled';
