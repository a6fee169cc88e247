import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationOptions } from 'class-validator';
import { isDiscordId } from '../../core/validation';

/** Ids sent as JSON numbers are kept as the strings every id is answered as. */
const idText = (value: unknown): unknown =>
  typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;

/** A list of Discord ids; numbers become strings. */
export function IsDiscordIdList(options?: ValidationOptions): PropertyDecorator {
  const transform = Transform(({ value }: { value: unknown }) =>
    Array.isArray(value) ? value.map(idText) : value,
  );
  const validate = ValidateBy(
    {
      name: 'isDiscordIdList',
      validator: {
        validate: (value) =>
          Array.isArray(value) && value.length <= 100 && value.every(isDiscordId),
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be a list of at most 100 Discord ids (17 to 20 digits)`,
      },
    },
    options,
  );
  return (target, key) => {
    transform(target, key);
    validate(target, key);
  };
}

/** An object of names to Discord ids (`interest_roles`); numbers become strings. */
export function IsDiscordIdMap(options?: ValidationOptions): PropertyDecorator {
  const transform = Transform(({ value }: { value: unknown }) =>
    isPlainObject(value)
      ? Object.fromEntries(Object.entries(value).map(([name, id]) => [name, idText(id)]))
      : value,
  );
  const validate = ValidateBy(
    {
      name: 'isDiscordIdMap',
      validator: {
        validate: (value) =>
          isPlainObject(value) &&
          Object.keys(value).length <= 100 &&
          Object.entries(value).every(([name, id]) => name.length <= 100 && isDiscordId(id)),
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be an object of at most 100 names to Discord ids`,
      },
    },
    options,
  );
  return (target, key) => {
    transform(target, key);
    validate(target, key);
  };
}

/** An object whose values are strings of at most `maxLength` characters. */
export function IsStringMap(maxLength: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isStringMap',
      validator: {
        validate: (value) =>
          isPlainObject(value) &&
          Object.keys(value).length <= 100 &&
          Object.values(value).every(
            (text) => typeof text === 'string' && text.length <= maxLength,
          ),
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be an object of strings of at most ${maxLength} characters`,
      },
    },
    options,
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
