import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationOptions } from 'class-validator';

/** The largest snowflake: Discord ids are unsigned 64-bit integers. */
const MAX_SNOWFLAKE = 18_446_744_073_709_551_615n;
const SNOWFLAKE = /^\d{17,20}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What `/auth/me` says as `discord_id` for a password user, and the app sends back as theirs. */
export const LEGACY_USER = 'legacy_user';

/**
 * The one rule for a Discord id anywhere in this API: 17 to 20 digits as a string, or a JSON number
 * that is an exact integer (numbers past 2^53 reach handlers as their exact digits, see
 * parseJsonBody). `"12345"` and 16-digit ids are not Discord ids.
 */
export function isDiscordId(value: unknown): value is string {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  return typeof text === 'string' && SNOWFLAKE.test(text) && BigInt(text) <= MAX_SNOWFLAKE;
}

/** A number that passed as a Discord id, as the string every id is kept and answered as. */
const asIdString = Transform(({ value }: { value: unknown }) =>
  typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value,
);

/** A Discord id by the one rule; a number is turned into its string. */
export function IsDiscordId(options?: ValidationOptions): PropertyDecorator {
  const validate = ValidateBy(
    {
      name: 'isDiscordId',
      validator: {
        validate: (value) => isDiscordId(value),
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be a Discord id: 17 to 20 digits`,
      },
    },
    options,
  );
  return (target, key) => {
    asIdString(target, key);
    validate(target, key);
  };
}

/**
 * A person a ticket names (claimer, assignee): a Discord id by the one rule, the Guildhall user id
 * of a password user, or `legacy_user`, a password user's own `discord_id` as `/auth/me` gives it.
 */
export function IsPersonId(options?: ValidationOptions): PropertyDecorator {
  const validate = ValidateBy(
    {
      name: 'isPersonId',
      validator: {
        validate: (value) =>
          isDiscordId(value) ||
          (typeof value === 'string' && (UUID.test(value) || value === LEGACY_USER)),
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be a Discord id (17 to 20 digits) or a Guildhall user id`,
      },
    },
    options,
  );
  return (target, key) => {
    asIdString(target, key);
    validate(target, key);
  };
}
