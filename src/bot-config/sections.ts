import type {
  ChannelsSectionDto,
  CogsSectionDto,
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

/** Plain objects of the section DTOs' shapes: what is stored, cached and answered. */
type Plain<T> = T extends object ? { [K in keyof T]: Plain<T[K]> } : T;

export interface Sections {
  general: Plain<GeneralSectionDto>;
  channels: Plain<ChannelsSectionDto>;
  roles: Plain<RolesSectionDto>;
  meme: Plain<MemeSectionDto>;
  rocket_league: Plain<RocketLeagueSectionDto>;
  rocket_league_texts: Plain<RocketLeagueTextsSectionDto>;
  welcome: Plain<WelcomeSectionDto>;
  welcome_texts: Plain<WelcomeTextsSectionDto>;
  server_guide: Plain<ServerGuideSectionDto>;
  tickets: Plain<TicketsSectionDto>;
  cogs: Plain<CogsSectionDto>;
}

export type SectionName = keyof Sections;

export const SECTION_NAMES = [
  'general',
  'channels',
  'roles',
  'meme',
  'rocket_league',
  'rocket_league_texts',
  'welcome',
  'welcome_texts',
  'server_guide',
  'tickets',
  'cogs',
] as const satisfies readonly SectionName[];

export function isSectionName(value: string): value is SectionName {
  return (SECTION_NAMES as readonly string[]).includes(value);
}

/** Keys that take `null` (an unset picker, no auto-delete); every other key refuses it. */
export const NULLABLE_KEYS: { [S in SectionName]: readonly (keyof Sections[S])[] } = {
  general: [],
  channels: [
    'log_channel_id',
    'changelog_channel_id',
    'todo_channel_id',
    'rl_channel_id',
    'gaming_channel_id',
    'meme_channel_id',
    'server_guide_channel_id',
    'welcome_rules_channel_id',
    'welcome_public_channel_id',
    'transcript_channel_id',
    'tickets_category_id',
    'status_channel_id',
  ],
  roles: [
    'admin_role_id',
    'moderator_role_id',
    'normal_role_id',
    'member_role_id',
    'changelog_role_id',
    'meme_role_id',
  ],
  meme: ['daily_subreddits', 'daily_lemmy'],
  rocket_league: [],
  rocket_league_texts: [],
  welcome: [],
  welcome_texts: [],
  server_guide: [],
  tickets: ['auto_delete_after_close_days'],
  cogs: [],
};

/** A change to one section, as the service announces it. */
export interface SectionChange<S extends SectionName = SectionName> {
  section: S;
  value: Sections[S];
  /** Committed by this instance (rather than heard of from another). */
  local: boolean;
}
