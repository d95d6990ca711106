import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/** Decimal digits only, without sign, exponent, prefix, fraction or spaces, and no more than 9 of them. */
const DIGITS = /^(?:0|[1-9][0-9]{0,8})$/;

/**
 * A whole number in a query string (`?page=2`), parsed strictly: `1e3`, `+1`, `0x10`, `1.0`, ` 1` and `1e308` are
 * refused rather than read as 1000, 1, 16 or Infinity, and the value must lie in [min, max]. A repeated parameter
 * (`?page=1&page=2`) is a list and is refused too.
 */
export const IsQueryInteger =
  ({ min, max }: { readonly min: number; readonly max: number }): PropertyDecorator =>
  (target, property) => {
    // Anything but a digit string stays as it came (a string or a list), and IsInt refuses it with the field.
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' && DIGITS.test(value) ? Number(value) : value))(target, property);
    IsInt()(target, property);
    Min(min)(target, property);
    Max(max)(target, property);
  };
