/**
 * The HazeBot (Flask) endpoint names of the routes the app knows, by method and Guildhall route
 * template: the live-users screen turns these into labels. Other routes are recorded by template.
 */
const NAMES: Record<string, string> = {
  'GET /api/health': 'auth_routes.health',
  'GET /api/ping': 'auth_routes.ping',
  'POST /api/auth/login': 'auth_routes.login',
  'GET /api/discord/auth': 'auth_routes.discord_auth',
  'GET /api/discord/callback': 'auth_routes.discord_callback',
  'GET /api/auth/me': 'auth_routes.get_current_user',
  'POST /api/auth/refresh': 'auth_routes.refresh_token',
  'POST /api/auth/logout': 'auth_routes.logout',
  'GET /api/auth/verify-token': 'auth_routes.verify_token',
  'GET /api/tickets': 'tickets.get_tickets',
  'GET /api/tickets/my': 'tickets.get_my_tickets',
  'POST /api/tickets': 'tickets.create_ticket_endpoint',
  'GET /api/tickets/:id': 'tickets.get_ticket',
  'PUT /api/tickets/:id': 'tickets.update_ticket_endpoint',
  'DELETE /api/tickets/:id': 'tickets.delete_ticket_endpoint',
  'POST /api/tickets/:id/claim': 'tickets.claim_ticket_endpoint',
  'POST /api/tickets/:id/assign': 'tickets.assign_ticket_endpoint',
  'POST /api/tickets/:id/close': 'tickets.close_ticket_endpoint',
  'POST /api/tickets/:id/reopen': 'tickets.reopen_ticket_endpoint',
  'GET /api/tickets/:id/messages': 'tickets.get_ticket_messages_endpoint',
  'POST /api/tickets/:id/messages': 'tickets.send_ticket_message_endpoint',
  'POST /api/notifications/register': 'notifications.notification_register_endpoint',
  'POST /api/notifications/unregister': 'notifications.notification_unregister_endpoint',
  'GET /api/notifications/settings': 'notifications.notification_settings_get_endpoint',
  'PUT /api/notifications/settings': 'notifications.notification_settings_update_endpoint',
  'GET /api/config': 'config.get_config',
  'GET /api/config/tickets': 'config.get_ticket_config',
  'PUT /api/config/tickets': 'config.update_ticket_config',
  'POST /api/config/tickets/reset': 'config.reset_ticket_config',
  'GET /api/cogs': 'cogs.get_cogs',
  'POST /api/cogs/:name/load': 'cogs.load_cog',
  'POST /api/cogs/:name/unload': 'cogs.unload_cog',
  'POST /api/cogs/:name/reload': 'cogs.reload_cog',
  'GET /api/cogs/:name/logs': 'cogs.get_cog_logs',
  'GET /api/admin/active-sessions': 'admin.get_active_sessions_endpoint',
  'GET /api/logs': 'admin.get_logs',
  'GET /api/logs/cogs': 'admin.get_available_cogs',
  'GET /api/guild/channels': 'admin.get_guild_channels',
  'GET /api/guild/roles': 'admin.get_guild_roles',
  'GET /api/user/profile': 'user.get_user_profile',
  'GET /api/gaming/members': 'user.get_gaming_members',
};

const SECTIONS = [
  'general',
  'channels',
  'roles',
  'meme',
  'rocket_league',
  'welcome',
  'welcome_texts',
  'rocket_league_texts',
  'server_guide',
];
for (const section of SECTIONS) {
  NAMES[`GET /api/config/${section}`] = `config.config_${section}`;
  NAMES[`PUT /api/config/${section}`] = `config.config_${section}`;
  NAMES[`POST /api/config/${section}/reset`] = `config.reset_${section}_config`;
}

/** The name a request is recorded under: HazeBot's where the app knows one, else the template. */
export function endpointName(method: string, template: string): string {
  return NAMES[`${method} ${template}`] ?? `${method} ${template}`.slice(0, 120);
}
