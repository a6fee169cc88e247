import type { AppConfig } from '../core/env';
import type { Sections } from './sections';

/*
 * What each section holds until an admin changes it: the HazeBot defaults (contract §2.5), with the
 * settings that are environment variables (TICKET_CATEGORIES, TICKETS_CATEGORY_ID,
 * TRANSCRIPT_CHANNEL_ID, the role ids, SUPPORT_EMAIL …) as the defaults of their fields.
 */

const RULES_TEXT =
  '🌿 **1. Be kind and respectful to everyone.**\n' +
  '✨ **2. No spam, flooding, or excessive self-promotion.**\n' +
  '🔞 **3. NSFW content is permitted only inside a clearly labeled, age-verified channel.**\n' +
  '🚫 **4. Illegal content and hate speech are strictly forbidden anywhere on the server.**\n' +
  '🧑‍💼 **5. Follow the instructions of staff and moderators.**\n' +
  '💖 **6. Keep the atmosphere calm, considerate, and positive.**\n\n' +
  "By clicking 'Accept Rules' you agree to these guidelines and " +
  'unlock full access to the server. Welcome to the lounge — enjoy your stay!';

const WELCOME_MESSAGES = [
  'Welcome {name}! The chill inventory just gained a legendary item — you. 🌿',
  'Hey {name}, you unlocked the secret stash of good vibes. Proceed to sofa extraction. ✨🛋️',
  '{name} has joined the inventarium. Claim your complimentary imaginary hammock. 😎',
  'Give it up for {name}, our newest collector of zen moments and midnight memes. 🧘‍♂️🔥',
  '{name}, you found the legendary lounge zone — free snacks not included but vibes guaranteed. 🚀',
  'Inventory update: {name} added. Please store your worries in the lost-and-found. 😁',
  'Alert: {name} has entered the realm of ultimate relaxation. Please mind the plants. 🌱',
  'Welcome {name}! May your inventory be full of chill, memes, and excellent tea. 🎉🍵',
  'New item in stock: {name}, the ultimate chill curator. Limited edition energy. 📦✨',
  '{name} discovered the hidden lounge of positivity — badge unlocked, mission: unwind. 🌟',
];

const WELCOME_BUTTON_REPLIES = [
  '🎊 **LEGENDARY DROP!** {user} just summoned {new_member} into the chillventory vault! 📦',
  '✨ {user} equipped {new_member} with *Infinite Good Vibes +99* — welcome buff activated! 💫',
  '📦 **New inventory slot unlocked!** {user} warmly stores {new_member} in the premium lounge section! 🛋️',
  '🌟 Achievement unlocked: {user} successfully welcomed {new_member}! Friendship XP +100 🎮',
  '🛋️ **Sofa reservation confirmed!** {user} rolls out the red carpet for {new_member}! 🎭',
  "🎨 {user} adds a splash of positivity paint to {new_member}'s welcome canvas! Masterpiece! 🖼️",
  '🌿 **Rare plant spotted!** {user} places {new_member} in the zen garden of eternal chill! 🧘',
  '🎉 {user} throws legendary confetti bombs for {new_member}! The lounge is now 200% more sparkly! ✨',
  '🔥 **Epic combo!** {user} + {new_member} = Maximum vibes unlocked! The inventory is blessed! 🙏',
  '💎 {user} just found a rare gem: {new_member}! Added to the collection of awesome people! 💖',
  '🚀 **Mission success!** Agent {user} has secured {new_member} for the chill squad! Welcome aboard! 🎯',
  '🧘 {user} transmits good energy waves to {new_member}! Harmony level: MAXIMUM! 🌊',
];

const CONGRATS_REPLIES = [
  'Inventory alert: {user} congratulates {ranked_user} on the rank up! 📦',
  "{user} throws confetti for {ranked_user}'s epic rank promotion! 🎊",
  'New achievement unlocked: {user} cheers for {ranked_user}! 🏆',
  "{user} adds extra vibes to {ranked_user}'s rank up celebration! ✨",
  'Chillventory update: {user} says congrats to {ranked_user}! 😎',
  "{user} shares positivity confetti for {ranked_user}'s promotion! 🎉",
  "Rank stash expanded: {user} greets {ranked_user}'s new tier! 🌟",
  '{user} discovers {ranked_user} in the champion inventory! 🏅',
  "Realm of ranks welcomes {ranked_user}'s upgrade via {user}! 🚀",
  "{user} throws a party for {ranked_user}'s rank advancement! 🎈",
];

const SUBREDDITS = [
  'memes',
  'dankmemes',
  'me_irl',
  'wholesomememes',
  'AdviceAnimals',
  'MemeEconomy',
  'PrequelMemes',
  'gaming',
  'ProgrammerHumor',
  'okbuddyretard',
];

const LEMMY = [
  'lemmy.world@memes',
  'lemmy.world@meirl',
  'lemmy.world@dankmemes',
  'lemmy.world@adhdmemes',
  'lemmy.world@autism',
  'lemmy.ml@memes',
];

const GUIDE_START =
  'Click the buttons below to access our most important features!\n\n' +
  '• **Help** – View all available commands\n' +
  '• **Ticket** – Create a support ticket\n' +
  '• **Profile** – Check your server profile\n' +
  '• **Rocket League** – Track your RL ranks\n' +
  '• **Preferences** – Configure your opt-ins & settings\n' +
  '• **Meme** – Get memes posted to the meme channel';

export function sectionDefaults(config: AppConfig): Sections {
  const { discord, tickets, email } = config;
  return {
    general: {
      bot_name: 'Haze World Bot',
      command_prefix: '!',
      presence_update_interval: 3600,
      message_cooldown: 5,
      fuzzy_matching_threshold: 0.6,
      pink_color: 0xad1457,
      embed_footer_text: 'Powered by Haze World 💖',
      role_names: { user: '🎒 Lootling', mod: '📦 Slot Keeper', admin: '🧊 Inventory Master' },
      status_dashboard: { update_interval_minutes: 5, show_monitoring: true },
    },
    channels: {
      log_channel_id: null,
      changelog_channel_id: null,
      todo_channel_id: null,
      rl_channel_id: null,
      gaming_channel_id: null,
      meme_channel_id: null,
      server_guide_channel_id: null,
      welcome_rules_channel_id: null,
      welcome_public_channel_id: null,
      transcript_channel_id: discord.transcriptChannelId ?? null,
      tickets_category_id: discord.ticketsCategoryId ?? null,
      status_channel_id: null,
    },
    roles: {
      admin_role_id: discord.roles.admin ?? null,
      moderator_role_id: discord.roles.moderator ?? null,
      normal_role_id: discord.roles.lootling ?? null,
      member_role_id: null,
      changelog_role_id: null,
      meme_role_id: null,
      interest_role_ids: [],
      interest_roles: {},
    },
    meme: {
      default_subreddits: SUBREDDITS,
      default_lemmy: LEMMY,
      meme_sources: ['reddit', 'lemmy'],
      templates_cache_duration: 86_400,
      daily_enabled: true,
      daily_time: '10:00',
      daily_min_score: 100,
      daily_allow_nsfw: false,
      daily_max_sources: 3,
      daily_pool_size: 25,
      daily_subreddits: null,
      daily_lemmy: null,
      subreddits: SUBREDDITS,
      lemmy_communities: LEMMY,
    },
    rocket_league: { rank_check_interval_hours: 3, rank_cache_ttl_seconds: 10_500 },
    rocket_league_texts: {
      promotion_config: {
        notification_prefix: '{user} 🚀 Rank Promotion Notification!',
        embed_title: '🎉 Rank Promotion! 🎉',
        embed_description:
          'Congratulations {user}! Your {playlist} rank has improved to {emoji} {rank}!',
      },
      congrats_replies: CONGRATS_REPLIES,
    },
    welcome: { rules_text: RULES_TEXT, welcome_messages: WELCOME_MESSAGES },
    welcome_texts: { welcome_button_replies: WELCOME_BUTTON_REPLIES },
    server_guide: {
      title: 'Welcome to the Chillventory! 🌟',
      banner_url: '',
      fields: [
        { name: '🎯 Get Started', value: GUIDE_START, inline: false },
        {
          name: '💡 Quick Tips',
          value:
            'Use `/help` anytime to discover more commands.\n' +
            'Need assistance? Create a ticket and our team will help you!',
          inline: false,
        },
      ],
      footer_template: 'Powered by {guild_name} 💖',
      categories: [],
    },
    tickets: {
      categories: tickets.categories,
      auto_delete_after_close_days: tickets.deleteAfterDays,
      require_claim: false,
      send_transcript_email: Boolean(email.supportEmail),
      transcript_email_address: email.supportEmail ?? '',
      enabled: true,
      max_open_per_user: 0,
      auto_close_hours: tickets.autoCloseHours,
      transcript_enabled: true,
    },
    cogs: { disabled: [] },
  };
}
