import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { BaseInteraction, MessageFlags } from 'discord.js';
import { NecordArgumentsHost } from 'necord';
import { DomainError } from '../errors';

export const UNEXPECTED_REPLY = 'Something went wrong on our side. Please try again later.';

/**
 * The one place a failure in a slash command or a Discord listener ends: a domain error becomes an
 * ephemeral reply with its message, anything else is logged and answered with a generic reply. The
 * bot never crashes on a command.
 */
@Catch()
export class DiscordExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Discord');

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const [first] = NecordArgumentsHost.create(host).getContext<'interactionCreate'>() ?? [];
    const interaction = first instanceof BaseInteraction ? first : undefined;
    const expected = exception instanceof DomainError && exception.status < 500;
    if (!expected) {
      this.logger.error(
        { err: exception, interactionId: interaction?.id },
        'Discord command or listener failed',
      );
    }
    if (!interaction?.isRepliable()) return;
    const content = expected ? exception.message : UNEXPECTED_REPLY;
    try {
      if (interaction.deferred || interaction.replied) await interaction.editReply({ content });
      else await interaction.reply({ content, flags: MessageFlags.Ephemeral });
    } catch (error) {
      this.logger.warn(
        { err: error, interactionId: interaction.id },
        'Could not send the error reply',
      );
    }
  }
}
