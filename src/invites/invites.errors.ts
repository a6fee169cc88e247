import { DomainError } from '../core/errors';

export const CodeAlreadyExists = () =>
  new DomainError('CODE_ALREADY_EXISTS', 409, 'Code already exists');
export const InviteNotFound = () =>
  new DomainError('INVITE_NOT_FOUND', 404, 'Invite code not found');
export const InviteExhausted = () =>
  new DomainError('INVITE_EXHAUSTED', 410, 'Invite code has been used up');
export const InviteExpired = () =>
  new DomainError('INVITE_EXPIRED', 410, 'Invite code has expired or was disabled');
export const InviteAlreadyRedeemed = () =>
  new DomainError('INVITE_ALREADY_REDEEMED', 409, 'You have already redeemed this invite code');
export const InviteInUse = () =>
  new DomainError(
    'INVITE_IN_USE',
    409,
    'Invite code has been redeemed; disable it instead of deleting it',
  );
export const UnknownCohort = (name: string) =>
  new DomainError('UNKNOWN_COHORT', 400, `Unknown cohort ${name}`);
export const DiscordAccountRequired = () =>
  new DomainError(
    'DISCORD_ACCOUNT_REQUIRED',
    400,
    'Redeeming needs a Discord account: log in with Discord',
  );
export const RedeemForOthers = () =>
  new DomainError('REDEEM_FOR_OTHERS', 403, 'You can only redeem invite codes for yourself');
