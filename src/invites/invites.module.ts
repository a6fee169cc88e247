import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BuildCrewController } from './build-crew.controller';
import { Cohort } from './cohort.entity';
import { CohortsService } from './cohorts.service';
import { ImportedMember } from './imported-member.entity';
import { InviteCode } from './invite-code.entity';
import { InviteRedemption } from './invite-redemption.entity';
import { GuessBudget } from './guess-budget';
import { InviteRoles } from './invite-roles';
import { InvitesController } from './invites.controller';
import { InvitesService } from './invites.service';
import { RedemptionsRepository } from './redemptions.repository';
import { OnboardingService } from './onboarding.service';
import { TestFormController } from './test-form.controller';

@Module({
  imports: [TypeOrmModule.forFeature([InviteCode, Cohort, InviteRedemption, ImportedMember])],
  controllers: [BuildCrewController, InvitesController, TestFormController],
  providers: [
    InvitesService,
    RedemptionsRepository,
    CohortsService,
    OnboardingService,
    InviteRoles,
    GuessBudget,
  ],

  exports: [InvitesService, CohortsService, GuessBudget],
})
export class InvitesModule {}
