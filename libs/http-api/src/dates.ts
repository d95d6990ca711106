import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';

// Dates at the edge (docs/input-limits.md, "Dates"). class-validator's IsISO8601 takes every ISO 8601 form,
// week dates (`2026-W01`) and basic formats (`20260101`) among them, which `Date` then cannot parse: an Invalid
// Date reached PostgreSQL and answered 500. Only the RFC 3339 profile is accepted here, and only real dates.

const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// RFC 3339 §5.6 date-time: a full date, `T`, a time with optional fraction, and `Z` or a numeric offset.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

const daysInMonth = (year: number, month: number): number =>
  [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];

const realDate = (year: number, month: number, day: number): boolean => month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);

/** `YYYY-MM-DD`, a day that exists (2026-02-29 does not). */
export const isCalendarDate = (value: unknown): value is string => {
  const match = typeof value === 'string' ? FULL_DATE.exec(value) : null;
  return match !== null && realDate(Number(match[1]), Number(match[2]), Number(match[3]));
};

/**
 * An RFC 3339 date-time with its offset, such as `2026-03-01T09:30:00Z` or `2026-03-01T10:30:00.250+01:00`. A
 * leap second (`:60`) is refused: `Date` has no way to hold it.
 */
export const isDateTime = (value: unknown): value is string => {
  const match = typeof value === 'string' ? DATE_TIME.exec(value) : null;
  if (match === null) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const offsetHour = match[7] === undefined ? 0 : Number(match[7]);
  const offsetMinute = match[8] === undefined ? 0 : Number(match[8]);
  return (
    realDate(year, month, day) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHour <= 23 &&
    offsetMinute <= 59 &&
    !Number.isNaN(Date.parse(match[0]))
  );
};

export const CALENDAR_DATE_REASON = 'must be a calendar date written YYYY-MM-DD, such as 2026-03-01';
export const DATE_TIME_REASON = 'must be an RFC 3339 date-time with its offset, such as 2026-03-01T09:30:00Z';

/** A DTO date (`YYYY-MM-DD`); a range (not in the future, not before ...) is the domain's to check. */
export const IsCalendarDate = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isCalendarDate',
      validator: { validate: (value: unknown) => isCalendarDate(value), defaultMessage: buildMessage((each) => `${each}$property ${CALENDAR_DATE_REASON}`, options) },
    },
    options,
  );

/** A DTO instant (RFC 3339 date-time). */
export const IsDateTime = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isDateTime',
      validator: { validate: (value: unknown) => isDateTime(value), defaultMessage: buildMessage((each) => `${each}$property ${DATE_TIME_REASON}`, options) },
    },
    options,
  );
