export interface InvitationEmailInput {
  serverName: string;
  serverInvite: string | undefined;
  code: string;
  cohort: string;
  name?: string | null;
}

/** The acceptance e-mail, in the Build Crew wording, from DISCORD_SERVER_NAME and DISCORD_SERVER_INVITE. */
export function invitationEmail(input: InvitationEmailInput): { subject: string; body: string } {
  const greeting = input.name ? `Hi ${input.name},\n\n` : '';
  const join = input.serverInvite
    ? `1. Join our Discord: ${input.serverInvite}\n`
    : '1. Join our Discord server\n';
  return {
    subject: `Welcome to ${input.serverName} ${input.cohort}!`,
    body:
      `${greeting}Congratulations! You've been accepted to ${input.serverName}.\n\n` +
      `${join}2. Use /invitecode in Discord and enter your code.\n\n` +
      `Your code: ${input.code}\n`,
  };
}

export function instructionsFor(code: string): string {
  return `Use /invitecode in Discord and enter: ${code}`;
}
