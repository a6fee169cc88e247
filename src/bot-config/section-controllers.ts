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
import { sectionController, type SectionRoutes } from './section.controller';
import type { SectionName } from './sections';

const IDS_NOTE = 'Ids as strings or JSON numbers (kept exactly); `null` clears a picker.';
const WHOLE_RESET = 'Reset restores this section only (HazeBot reset every section here).';

/** The configuration screens' sections (contract §2.5), each with its routes. */
export const SECTION_ROUTES = {
  general: {
    view: GeneralSectionDto,
    update: UpdateGeneralDto,
    title: 'General',
    reset: true,
  },
  channels: {
    view: ChannelsSectionDto,
    update: UpdateChannelsDto,
    title: 'Channel',
    reset: true,
    putNote: IDS_NOTE,
  },
  roles: {
    view: RolesSectionDto,
    update: UpdateRolesDto,
    title: 'Role',
    reset: true,
    putNote: IDS_NOTE,
  },
  meme: {
    view: MemeSectionDto,
    update: UpdateMemeDto,
    title: 'Meme',
    reset: false,
  },
  rocket_league: {
    view: RocketLeagueSectionDto,
    update: UpdateRocketLeagueDto,
    title: 'Rocket League',
    reset: true,
  },
  rocket_league_texts: {
    view: RocketLeagueTextsSectionDto,
    update: UpdateRocketLeagueTextsDto,
    title: 'Rocket League text',
    reset: true,
    putNote: WHOLE_RESET,
  },
  welcome: {
    view: WelcomeSectionDto,
    update: UpdateWelcomeDto,
    title: 'Welcome',
    reset: true,
    putNote: WHOLE_RESET,
  },
  welcome_texts: {
    view: WelcomeTextsSectionDto,
    update: UpdateWelcomeTextsDto,
    title: 'Welcome text',
    reset: true,
    putNote: WHOLE_RESET,
  },
  server_guide: {
    view: ServerGuideSectionDto,
    update: UpdateServerGuideDto,
    title: 'Server guide',
    reset: false,
  },
  tickets: {
    view: TicketsSectionDto,
    update: UpdateTicketsDto,
    title: 'Ticket',
    reset: true,
    readByAnyone: true,
  },
} satisfies Partial<Record<SectionName, SectionRoutes>>;

export const SECTION_CONTROLLERS = Object.entries(SECTION_ROUTES).map(([name, routes]) =>
  sectionController(name as SectionName, routes),
);
