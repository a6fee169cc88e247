import { Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HealthModule } from '../health/health.module';
import { HealthService } from '../health/health.service';
import { ImageProxyController } from './image-proxy.controller';
import { ImageProxyService } from './image-proxy.service';
import { DailyMemeRun } from './daily-meme-run.entity';
import { DailyMemeJob } from './daily-meme.job';
import { MemeHistory } from './meme-history.entity';
import { MemesController } from './memes.controller';
import { MemesService } from './memes.service';
import { RandomMemeController } from './random-meme.controller';

/** Memes from Reddit and Lemmy for the app and the bot, and the web app's image proxy. */
@Module({
  imports: [TypeOrmModule.forFeature([MemeHistory, DailyMemeRun]), HealthModule],
  controllers: [MemesController, RandomMemeController, ImageProxyController],
  providers: [MemesService, ImageProxyService, DailyMemeJob],
  exports: [MemesService],
})
export class MemesModule implements OnModuleInit {
  constructor(
    private readonly health: HealthService,
    private readonly memes: MemesService,
  ) {}

  onModuleInit(): void {
    // The upstreams' last success and failure; a failing one is a warning, not an outage.
    this.health.register('memes', () => {
      const upstreams = this.memes.health();
      const failing = Object.values(upstreams).some((u) => u.status !== 'ok');
      return { status: failing ? 'warning' : 'ok', upstreams };
    });
  }
}
