import { Transform } from 'class-transformer';
import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';

// One rule for every id a request carries, in a path, a header or a body (docs/input-limits.md, "Identifiers"):
// the RFC 9562 layout (8-4-4-4-12 hex digits, a version from 1 to 8, the variant bits 10), taken in either case and
// kept lower-case, the only spelling the public contract accepts (libs/contracts `uuid`). The nil UUID
// (00000000-...) and the max UUID (ffffffff-...) have neither a version nor the variant: they name nothing.

export const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export const ID_REASON = 'must be a UUID';

/** The id in its canonical (lower-case) form, or null when the value is not one. */
export const idOf = (value: unknown): string | null => {
  if (typeof value !== 'string' || value.length !== 36) return null;
  const lower = value.toLowerCase();
  return ID_PATTERN.test(lower) ? lower : null;
};

/** Whether a value is an id in its canonical, lower-case form. */
export const isId = (value: unknown): value is string => typeof value === 'string' && ID_PATTERN.test(value);

const lowerCased = (value: unknown, each: boolean): unknown => {
  if (each && Array.isArray(value)) return value.map((item: unknown) => (typeof item === 'string' ? item.toLowerCase() : item));
  return typeof value === 'string' ? value.toLowerCase() : value;
};

/**
 * A DTO id: lower-cased on the way in, then checked against the one rule, so a body never accepts an id the path
 * routes refuse, and no upper-case id reaches the event contract. `{ each: true }` for a list of ids.
 */
export const IsId =
  (options?: ValidationOptions): PropertyDecorator =>
  (target, property) => {
    Transform(({ value }) => lowerCased(value, options?.each === true))(target, property);
    ValidateBy(
      {
        name: 'isId',
        validator: {
          validate: (value: unknown) => isId(value),
          defaultMessage: buildMessage((each) => `${each}$property ${ID_REASON}`, options),
        },
      },
      options,
    )(target, property);
  };
