/** The kinds the HazeBot app groups cogs by, in its order. */
export const COG_CATEGORIES = [
  'core',
  'community',
  'content',
  'gaming',
  'moderation',
  'support',
  'user',
  'info',
  'productivity',
  'utility',
  'notifications',
  'monitoring',
  'other',
] as const;

export interface CogDefinition {
  /** The HazeBot name where a Guildhall module does the same job. */
  name: string;
  file_name: string;
  description: string;
  /** A Material icon name the app knows. */
  icon: string;
  category: (typeof COG_CATEGORIES)[number];
  features: string[];
}

/**
 * Guildhall's bot modules. Unloading one switches it off everywhere at once: its slash commands
 * answer "This feature is disabled", its listeners ignore events, its jobs skip their runs and its
 * REST routes answer 503 COG_DISABLED.
 */
export const COGS: readonly CogDefinition[] = [
  {
    name: 'APIServer',
    file_name: 'APIServer',
    description: 'The REST API and Socket.IO server the admin app talks to',
    icon: 'api',
    category: 'core',
    features: [
      'JWT and API key auth',
      'OpenAPI at /docs',
      'Socket.IO ticket chat',
      'Graceful shutdown',
    ],
  },
  {
    name: 'CogManager',
    file_name: 'CogManager',
    description: 'Loads, unloads and reloads the bot modules; the choice survives a restart',
    icon: 'settings',
    category: 'core',
    features: ['GET /api/cogs', 'Load, unload, reload', 'Persistent state', 'Log viewer per cog'],
  },
  {
    name: 'Presence',
    file_name: 'Presence',
    description: "Sets the bot's status from the general settings and rotates it",
    icon: 'visibility',
    category: 'core',
    features: ['Bot name as activity', 'Member count', 'Rotation every presence_update_interval'],
  },
  {
    name: 'Welcome',
    file_name: 'Welcome',
    description: 'Greets members who join with a random welcome message',
    icon: 'waving_hand',
    category: 'community',
    features: ['Random greeting from welcome_messages', 'Posted to welcome_public_channel_id'],
  },
  {
    name: 'DailyMeme',
    file_name: 'DailyMeme',
    description: 'Daily meme posts from Reddit and Lemmy',
    icon: 'image',
    category: 'content',
    features: ['Reddit and Lemmy sources', 'Daily scheduled post', 'Meme test routes'],
  },
  {
    name: 'MemeGenerator',
    file_name: 'MemeGenerator',
    description: 'Random memes from the configured sources on request',
    icon: 'create',
    category: 'content',
    features: ['GET /api/memes/random', 'Source allow-list'],
  },
  {
    name: 'RocketLeague',
    file_name: 'RocketLeague',
    description: 'Rocket League rank tracking with scheduled rank checks',
    icon: 'rocket_launch',
    category: 'gaming',
    features: ['Linked accounts', 'Stats lookup', 'Scheduled rank check', 'Promotion posts'],
  },
  {
    name: 'TicketSystem',
    file_name: 'TicketSystem',
    description: 'Support tickets with live chat, Discord channels and transcripts',
    icon: 'confirmation_number',
    category: 'support',
    features: [
      '/ticket, /claim, /close',
      'REST routes and Socket.IO chat',
      'Discord channel mirror',
      'Transcripts',
      'Clean-up job',
    ],
  },
  {
    name: 'Invites',
    file_name: 'Invites',
    description: 'Invite codes and cohort onboarding (the Build Crew API and /invitecode)',
    icon: 'badge',
    category: 'user',
    features: ['/invitecode', 'Build Crew API', 'Cohort roles', 'Invitation e-mails'],
  },
  {
    name: 'ServerGuide',
    file_name: 'ServerGuide',
    description: 'The server guide embed from the server_guide settings',
    icon: 'menu_book',
    category: 'info',
    features: ['/server-guide'],
  },
  {
    name: 'DiscordLogging',
    file_name: 'DiscordLogging',
    description: 'Posts ticket and configuration events to the log channel',
    icon: 'analytics',
    category: 'monitoring',
    features: ['Ticket opened and closed', 'Configuration and cog changes', 'log_channel_id'],
  },
  {
    name: 'AnalyticsManager',
    file_name: 'AnalyticsManager',
    description: 'Session and feature-usage analytics for the admin app',
    icon: 'analytics',
    category: 'monitoring',
    features: ['Active sessions', 'Daily rollups', 'Error tracking'],
  },
];

/** A cog by its name or file name, in any case, as HazeBot accepted them. */
export function findCog(name: string): CogDefinition | undefined {
  const wanted = name.toLowerCase();
  return COGS.find(
    (cog) => cog.name.toLowerCase() === wanted || cog.file_name.toLowerCase() === wanted,
  );
}

export type CogName =
  | 'APIServer'
  | 'CogManager'
  | 'Presence'
  | 'Welcome'
  | 'DailyMeme'
  | 'MemeGenerator'
  | 'RocketLeague'
  | 'TicketSystem'
  | 'Invites'
  | 'ServerGuide'
  | 'DiscordLogging'
  | 'AnalyticsManager';
