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
} from './dto/sections.dto';
import {
  UpdateChannelsDto,
  UpdateGeneralDto,
  UpdateMemeDto,
  UpdateRocketLeagueDto,
  UpdateRocketLeagueTextsDto,
  UpdateRolesDto,
  UpdateServerGuideDto,
  UpdateTicketsDto,
  UpdateWelcomeDto,
  UpdateWelcomeTextsDto,
} from './dto/update.dto';
import { sectionController } from './section.controller';

const IDS_NOTE = 'Ids as strings or JSON numbers (kept exactly); `null` clears a picker.';
const WHOLE_RESET = 'Reset restores this section only (HazeBot reset every section here).';

/** The configuration screens' sections (contract §2.5), each with its routes. */
export const SECTION_CONTROLLERS = [
  sectionController('general', {
    view: GeneralSectionDto,
    update: UpdateGeneralDto,
    title: 'General',
    reset: true,
  }),
  sectionController('channels', {
    view: ChannelsSectionDto,
    update: UpdateChannelsDto,
    title: 'Channel',
    reset: true,
    putNote: IDS_NOTE,
  }),
  sectionController('roles', {
    view: RolesSectionDto,
    update: UpdateRolesDto,
    title: 'Role',
    reset: true,
    putNote: IDS_NOTE,
  }),
  sectionController('meme', {
    view: MemeSectionDto,
    update: UpdateMemeDto,
    title: 'Meme',
    reset: false,
  }),
  sectionController('rocket_league', {
    view: RocketLeagueSectionDto,
    update: UpdateRocketLeagueDto,
    title: 'Rocket League',
    reset: true,
  }),
  sectionController('rocket_league_texts', {
    view: RocketLeagueTextsSectionDto,
    update: UpdateRocketLeagueTextsDto,
    title: 'Rocket League text',
    reset: true,
    putNote: WHOLE_RESET,
  }),
  sectionController('welcome', {
    view: WelcomeSectionDto,
    update: UpdateWelcomeDto,
    title: 'Welcome',
    reset: true,
    putNote: WHOLE_RESET,
  }),
  sectionController('welcome_texts', {
    view: WelcomeTextsSectionDto,
    update: UpdateWelcomeTextsDto,
    title: 'Welcome text',
    reset: true,
    putNote: WHOLE_RESET,
  }),
  sectionController('server_guide', {
    view: ServerGuideSectionDto,
    update: UpdateServerGuideDto,
    title: 'Server guide',
    reset: false,
  }),
  sectionController('tickets', {
    view: TicketsSectionDto,
    update: UpdateTicketsDto,
    title: 'Ticket',
    reset: true,
    readByAnyone: true,
  }),
];
