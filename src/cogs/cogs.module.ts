import { Global, Module } from '@nestjs/common';
import { CogsController } from './cogs.controller';
import { CogsService } from './cogs.service';
import { LogsController } from './logs.controller';
import { LogsService } from './logs.service';

/** The cog manager and the log screens. Global: bot modules listen for reloads. */
@Global()
@Module({
  controllers: [CogsController, LogsController],
  providers: [CogsService, LogsService],
  exports: [CogsService],
})
export class CogsModule {}
