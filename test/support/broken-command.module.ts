import { Injectable, Module, UseFilters } from '@nestjs/common';
import { Context, SlashCommand, type SlashCommandContext } from 'necord';
import { DiscordExceptionFilter } from '../../src/core/discord/discord-exception.filter';

/** A slash command that fails the way a bug would (a plain Error), test-only. */
@Injectable()
@UseFilters(DiscordExceptionFilter)
export class BrokenCommand {
  @SlashCommand({ name: 'broken', description: 'Fails on purpose' })
  run(@Context() [interaction]: SlashCommandContext): Promise<void> {
    return Promise.reject(new Error(`unexpected failure in ${interaction.commandName}`));
  }
}

@Module({ providers: [BrokenCommand] })
export class BrokenCommandModule {}
