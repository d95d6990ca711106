import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';

/** Decimal digits only, without sign, exponent, prefix, fraction or spaces, and no more than 9 of them. */
const DIGITS = /^(?:0|[1-9][0-9]{0,8})$/;

/**
 * A whole number in a query string (`?page=2`), parsed strictly: `1e3`, `+1`, `0x10`, `1.0`, ` 1` and `1e308` are
 * refused rather than read as 1000, 1, 16 or Infinity, and the value must lie in [min, max]. A repeated parameter
 * (`?page=1&page=2`) is a list and is refused too. One problem per parameter, saying what is wanted.
 */
export const IsQueryInteger =
  ({ min, max }: { readonly min: number; readonly max: number }): PropertyDecorator =>
  (target, property) => {
    // Anything but a digit string stays as it came (a string or a list), and the check below refuses it.
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' && DIGITS.test(value) ? Number(value) : value))(target, property);
    ValidateBy({
      name: 'isQueryInteger',
      constraints: [min, max],
      validator: {
        validate: (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max,
        defaultMessage: () => `$property must be a whole number from ${min} to ${max}, written in digits`,
      },
    })(target, property);
  };
