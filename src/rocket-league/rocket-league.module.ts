import { Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HealthModule } from '../health/health.module';
import { HealthService } from '../health/health.service';
import { RankCheck } from './rank-check.service';
import { RlAccount } from './rl-account.entity';
import { RocketLeagueController } from './rocket-league.controller';
import { RocketLeagueService } from './rocket-league.service';

/** Rocket League ranks and the members' linked accounts (the RocketLeague cog). */
@Module({
  imports: [TypeOrmModule.forFeature([RlAccount]), HealthModule],
  controllers: [RocketLeagueController],
  providers: [RocketLeagueService, RankCheck],
  exports: [RocketLeagueService],
})
export class RocketLeagueModule implements OnModuleInit {
  constructor(
    private readonly health: HealthService,
    private readonly rl: RocketLeagueService,
  ) {}

  onModuleInit(): void {
    this.health.register('rocket_league', () => {
      const tracker = this.rl.health();
      return { status: tracker.status, tracker };
    });
  }
}
