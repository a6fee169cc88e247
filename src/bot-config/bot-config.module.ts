import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BotConfigController } from './bot-config.controller';
import { BotConfigService } from './bot-config.service';
import { BotSettings } from './bot-settings';
import { ConfigAuditEntry } from './config-audit.entity';
import { ConfigSection } from './config-section.entity';
import { SECTION_CONTROLLERS } from './section-controllers';

/**
 * The bot's configuration sections. Global: tickets, auth and the bot read their settings from
 * BotSettings wherever they act on them, so a saved change takes effect without a restart.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([ConfigSection, ConfigAuditEntry])],
  // The overview first: its `audit` route is not a section.
  controllers: [BotConfigController, ...SECTION_CONTROLLERS],
  providers: [BotSettings, BotConfigService],
  exports: [BotSettings, BotConfigService],
})
export class BotConfigModule {}
