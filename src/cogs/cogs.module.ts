import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CogGate } from './cog-gate.interceptor';
import { CogsController } from './cogs.controller';
import { CogsService } from './cogs.service';
import { LogsController } from './logs.controller';
import { LogsService } from './logs.service';

/** The cog manager and the log screens. Global: bot modules listen for reloads. */
@Global()
@Module({
  controllers: [CogsController, LogsController],
  providers: [CogsService, LogsService, { provide: APP_INTERCEPTOR, useClass: CogGate }],
  exports: [CogsService],
})
export class CogsModule {}
