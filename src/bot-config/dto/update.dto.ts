import { PartialType } from '@nestjs/swagger';
import {
  ChannelsSectionDto,
  GeneralSectionDto,
  MemeSectionDto,
  RocketLeagueSectionDto,
  RocketLeagueTextsSectionDto,
  RolesSectionDto,
  ServerGuideSectionDto,
  TicketsSectionDto,
  WelcomeSectionDto,
  WelcomeTextsSectionDto,
} from './sections.dto';

/*
 * PUT bodies: any subset of a section's keys; only the keys sent change. `null` is accepted where
 * the section allows it (channel and role pickers, auto-delete) and refused elsewhere by the service.
 */
export class UpdateGeneralDto extends PartialType(GeneralSectionDto) {}
export class UpdateChannelsDto extends PartialType(ChannelsSectionDto) {}
export class UpdateRolesDto extends PartialType(RolesSectionDto) {}
export class UpdateMemeDto extends PartialType(MemeSectionDto) {}
export class UpdateRocketLeagueDto extends PartialType(RocketLeagueSectionDto) {}
export class UpdateRocketLeagueTextsDto extends PartialType(RocketLeagueTextsSectionDto) {}
export class UpdateWelcomeDto extends PartialType(WelcomeSectionDto) {}
export class UpdateWelcomeTextsDto extends PartialType(WelcomeTextsSectionDto) {}
export class UpdateServerGuideDto extends PartialType(ServerGuideSectionDto) {}
export class UpdateTicketsDto extends PartialType(TicketsSectionDto) {}
