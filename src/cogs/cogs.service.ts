import { Injectable, Logger } from '@nestjs/common';
import { BotConfigService, type ConfigActor } from '../bot-config/bot-config.service';
import { BotSettings } from '../bot-config/bot-settings';
import { DomainError } from '../core/errors';
import { cogLoaded } from './cog-feature';
import { COG_CATEGORIES, COGS, type CogDefinition, type CogName, findCog } from './cog-registry';

export type CogStatus = 'loaded' | 'disabled';

export interface CogState extends CogDefinition {
  status: CogStatus;
}

const CogNotFound = (name: string) =>
  new DomainError('COG_NOT_FOUND', 404, `Cog '${name}' not found`);
const CogAlreadyLoaded = (name: string) =>
  new DomainError('COG_ALREADY_LOADED', 400, `Cog '${name}' is already loaded`);
const CogNotLoaded = (name: string) =>
  new DomainError('COG_NOT_LOADED', 400, `Cog '${name}' is not loaded`);
const CogManagerProtected = (action: string) =>
  new DomainError('COG_PROTECTED', 400, `Cannot ${action} CogManager`);
const ApiServerProtected = () =>
  new DomainError('COG_PROTECTED', 403, 'APIServer cannot be unloaded. Use reload instead.');

/**
 * Loading and unloading the bot's modules. The unloaded ones are a settings section (`cogs`), so the
 * choice survives a restart, reaches every instance, and is in the configuration audit log.
 */
@Injectable()
export class CogsService {
  private readonly logger = new Logger('CogManager');
  private readonly reloadListeners = new Set<(cog: CogName) => void>();

  constructor(
    private readonly settings: BotSettings,
    private readonly config: BotConfigService,
  ) {}

  /** Every cog with its state, in the app's order: by category, then by name. */
  list(): CogState[] {
    const order = (cog: CogDefinition) => COG_CATEGORIES.indexOf(cog.category);
    return [...COGS]
      .sort((a, b) => order(a) - order(b) || a.name.localeCompare(b.name))
      .map((cog) => this.state(cog));
  }

  async load(name: string, actor: ConfigActor): Promise<CogState> {
    const cog = this.find(name);
    if (cogLoaded(this.settings, cog.name as CogName)) throw CogAlreadyLoaded(cog.name);
    await this.config.change('cogs', actor, (current) => ({
      disabled: current.disabled.filter((disabled) => disabled !== cog.name),
    }));
    this.logger.log({ cog: cog.name, actor: actor.id }, 'Cog loaded');
    return this.state(cog);
  }

  async unload(name: string, actor: ConfigActor): Promise<CogState> {
    if (name.toLowerCase() === 'cogmanager') throw CogManagerProtected('unload');
    const cog = this.find(name);
    if (cog.name === 'APIServer') throw ApiServerProtected();
    if (!cogLoaded(this.settings, cog.name as CogName)) throw CogNotLoaded(cog.name);
    await this.config.change('cogs', actor, (current) => ({
      disabled: [...new Set([...current.disabled, cog.name])],
    }));
    this.logger.log({ cog: cog.name, actor: actor.id }, 'Cog unloaded');
    return this.state(cog);
  }

  /** Restarts what the cog runs (its timers, its view of the settings) without a process restart. */
  reload(name: string, actor: ConfigActor): CogState {
    if (name.toLowerCase() === 'cogmanager') throw CogManagerProtected('reload');
    const cog = this.find(name);
    if (!cogLoaded(this.settings, cog.name as CogName)) throw CogNotLoaded(cog.name);
    for (const listener of this.reloadListeners) {
      try {
        listener(cog.name as CogName);
      } catch (error) {
        this.logger.error({ err: error, cog: cog.name }, 'A cog failed to reload');
      }
    }
    this.logger.log({ cog: cog.name, actor: actor.id }, 'Cog reloaded');
    return this.state(cog);
  }

  /** Calls `listener` when an admin reloads a cog. */
  onReload(listener: (cog: CogName) => void): () => void {
    this.reloadListeners.add(listener);
    return () => this.reloadListeners.delete(listener);
  }

  find(name: string): CogDefinition {
    const cog = findCog(name);
    if (!cog) throw CogNotFound(name);
    return cog;
  }

  private state(cog: CogDefinition): CogState {
    return {
      ...cog,
      status: cogLoaded(this.settings, cog.name as CogName) ? 'loaded' : 'disabled',
    };
  }
}
