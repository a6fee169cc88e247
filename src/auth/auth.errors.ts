import { DomainError } from '../core/errors';

// 401 messages are the HazeBot server's, which its clients know; the codes tell the cases apart.
export const TokenMissing = () => new DomainError('TOKEN_MISSING', 401, 'Token is missing');
export const TokenEmpty = () => new DomainError('TOKEN_EMPTY', 401, 'Token is empty');
export const TokenInvalid = () => new DomainError('TOKEN_INVALID', 401, 'token_invalid');
export const TokenExpired = () => new DomainError('TOKEN_EXPIRED', 401, 'token_expired');
export const SessionEnded = () =>
  new DomainError('SESSION_ENDED', 401, 'Session has ended; log in again');
export const InvalidCredentials = () =>
  new DomainError('INVALID_CREDENTIALS', 401, 'Invalid credentials');
export const InsufficientPermissions = () =>
  new DomainError('INSUFFICIENT_PERMISSIONS', 403, 'Insufficient permissions');

export const ApiKeyMissing = () => new DomainError('API_KEY_MISSING', 401, 'API key required');
export const ApiKeyInvalid = () => new DomainError('API_KEY_INVALID', 401, 'Invalid API key');
export const ApiKeyRevoked = () =>
  new DomainError('API_KEY_REVOKED', 401, 'API key has been revoked');
export const ApiKeyExpired = () => new DomainError('API_KEY_EXPIRED', 401, 'API key has expired');
export const ApiKeyConflict = () =>
  new DomainError(
    'API_KEY_CONFLICT',
    401,
    'Different API keys were sent in the header, query and body',
  );
export const ApiKeyScopeMissing = (scope: string) =>
  new DomainError('API_KEY_SCOPE_MISSING', 403, `API key lacks the ${scope} scope`);
export const ApiKeyNotFound = () => new DomainError('API_KEY_NOT_FOUND', 404, 'API key not found');
export const ScopeNotGrantable = (scope: string) =>
  new DomainError('SCOPE_NOT_GRANTABLE', 403, `You cannot grant the ${scope} scope`);

export const UserNotFound = () => new DomainError('USER_NOT_FOUND', 404, 'User not found');
export const UserBanned = () => new DomainError('USER_BANNED', 403, 'User is banned');

export const OAuthNotConfigured = () =>
  new DomainError('DISCORD_OAUTH_NOT_CONFIGURED', 503, 'Discord login is not configured');
export const OAuthCodeMissing = () =>
  new DomainError('OAUTH_CODE_MISSING', 400, 'No authorization code provided');
export const OAuthStateInvalid = (reason: string) =>
  new DomainError('OAUTH_STATE_INVALID', 400, reason);
export const OAuthTokenFailed = () =>
  new DomainError('OAUTH_TOKEN_FAILED', 400, 'Failed to obtain access token');
export const OAuthProfileFailed = () =>
  new DomainError('OAUTH_PROFILE_FAILED', 400, 'Failed to get user info');
export const NotGuildMember = () =>
  new DomainError('NOT_GUILD_MEMBER', 403, 'User is not a member of the guild');
