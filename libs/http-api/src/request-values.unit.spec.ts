import 'reflect-metadata';
import { Type, plainToInstance } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, ValidateNested, validateSync } from 'class-validator';
import { isCalendarDate, isDateTime, IsDateTime } from './dates';
import { IsId, idOf, isId } from './ids';
import { IsQueryInteger } from './query-integer';
import { REQUEST_LIMITS } from './request-limits';
import { structuralProblems } from './validation.pipe';

describe('one id rule for paths, headers and bodies (RFC 9562)', () => {
  test.each([
    ['8f14e45f-ceea-467f-a5f3-6b1a3c9f0e2d', '8f14e45f-ceea-467f-a5f3-6b1a3c9f0e2d'],
    ['8F14E45F-CEEA-467F-A5F3-6B1A3C9F0E2D', '8f14e45f-ceea-467f-a5f3-6b1a3c9f0e2d'],
    ['01890a5d-ac96-774b-bcce-b302099a8057', '01890a5d-ac96-774b-bcce-b302099a8057'],
  ])('%s is the id %s', (value, id) => {
    expect(idOf(value)).toBe(id);
  });

  test.each([
    ['the nil UUID', '00000000-0000-0000-0000-000000000000'],
    ['the max UUID', 'ffffffff-ffff-ffff-ffff-ffffffffffff'],
    ['version 0', '8f14e45f-ceea-067f-a5f3-6b1a3c9f0e2d'],
    ['version 9', '8f14e45f-ceea-967f-a5f3-6b1a3c9f0e2d'],
    ['the NCS variant', '8f14e45f-ceea-467f-75f3-6b1a3c9f0e2d'],
    ['braces', '{8f14e45f-ceea-467f-a5f3-6b1a3c9f0e2d}'],
    ['a urn', 'urn:uuid:8f14e45f-ceea-467f-a5f3-6b1a3c9f0e2d'],
    ['no dashes', '8f14e45fceea467fa5f36b1a3c9f0e2d'],
    ['a space', ' 8f14e45f-ceea-467f-a5f3-6b1a3c9f0e2d'],
  ])('%s is not an id', (_, value) => {
    expect(idOf(value)).toBeNull();
  });

  test('IsId lower-cases a body id before checking it, one by one or in a list', () => {
    class Body {
      @IsId() clientId!: string;
      @IsOptional() @IsId({ each: true }) others?: string[];
    }
    const body = plainToInstance(Body, { clientId: '8F14E45F-CEEA-467F-A5F3-6B1A3C9F0E2D', others: ['01890A5D-AC96-774B-BCCE-B302099A8057'] });
    expect(validateSync(body)).toEqual([]);
    expect(body).toEqual({ clientId: '8f14e45f-ceea-467f-a5f3-6b1a3c9f0e2d', others: ['01890a5d-ac96-774b-bcce-b302099a8057'] });
    const nil = validateSync(plainToInstance(Body, { clientId: '00000000-0000-0000-0000-000000000000' }));
    expect(nil.map((error) => error.constraints)).toEqual([{ isId: 'clientId must be a UUID' }]);
    expect(isId('8F14E45F-CEEA-467F-A5F3-6B1A3C9F0E2D')).toBe(false);
  });
});

describe('strict dates', () => {
  test.each(['2026-03-01', '2024-02-29', '0001-01-01', '9999-12-31'])('%s is a calendar date', (value) => {
    expect(isCalendarDate(value)).toBe(true);
  });

  test.each(['2026-W01', '20260101', '2026-02-29', '2026-13-01', '2026-00-10', '2026-1-1', '2026-03-01T00:00:00Z', '+002026-03-01', ''])(
    '%j is not a calendar date',
    (value) => {
      expect(isCalendarDate(value)).toBe(false);
    },
  );

  test.each(['2026-03-01T09:30:00Z', '2026-03-01T09:30:00.123456789+01:00', '2026-03-01t09:30:00z', '2024-02-29T23:59:59-12:00'])(
    '%s is an RFC 3339 date-time',
    (value) => {
      expect(isDateTime(value)).toBe(true);
    },
  );

  test.each([
    '2026-W01',
    '20260101',
    '2026-03-01',
    '2026-03-01T09:30',
    '2026-03-01T09:30:00',
    '2026-03-01 09:30:00Z',
    '2026-03-01T24:00:00Z',
    '2026-03-01T09:60:00Z',
    '2016-12-31T23:59:60Z',
    '2026-02-30T09:30:00Z',
    '2026-03-01T09:30:00+24:00',
    '20260301T093000Z',
  ])('%j is not an RFC 3339 date-time', (value) => {
    expect(isDateTime(value)).toBe(false);
  });

  test('IsDateTime says what it wants', () => {
    class Query {
      @IsDateTime() at!: string;
    }
    expect(validateSync(plainToInstance(Query, { at: '2026-W01' })).map((error) => error.constraints)).toEqual([
      { isDateTime: 'at must be an RFC 3339 date-time with its offset, such as 2026-03-01T09:30:00Z' },
    ]);
  });
});

describe('strict query integers', () => {
  class Paging {
    @IsOptional() @IsQueryInteger({ min: 1, max: REQUEST_LIMITS.maxPage }) page = 1;
  }
  const read = (page: unknown) => {
    const query = plainToInstance(Paging, page === undefined ? {} : { page });
    return { page: query.page, errors: validateSync(query).length };
  };

  test('a refusal says what is wanted, once', () => {
    expect(validateSync(plainToInstance(Paging, { page: '1e308' })).map((error) => error.constraints)).toEqual([
      { isQueryInteger: 'page must be a whole number from 1 to 10000, written in digits' },
    ]);
  });

  test.each([
    ['1', 1],
    ['42', 42],
    [String(REQUEST_LIMITS.maxPage), REQUEST_LIMITS.maxPage],
  ])('page=%s is %i', (value, page) => {
    expect(read(value)).toEqual({ page, errors: 0 });
  });

  test('no page is the first page', () => {
    expect(read(undefined)).toEqual({ page: 1, errors: 0 });
  });

  test.each(['1e308', '1e3', '+1', '0x10', '1.0', ' 1', '01', '-1', '0', '', String(REQUEST_LIMITS.maxPage + 1), '9999999999', 'Infinity'])(
    'page=%j is refused',
    (value) => {
      expect(read(value).errors).toBe(1);
    },
  );

  test('a repeated page parameter is refused', () => {
    expect(read(['1', '2']).errors).toBe(1);
  });
});

describe('a body’s structure is checked against its DTO before any element is transformed or validated', () => {
  class Link {
    @IsString() id!: string;
  }
  class Goal {
    @IsArray() @ArrayMaxSize(3) @ValidateNested({ each: true }) @Type(() => Link) links!: Link[];
  }
  class Body {
    @IsArray() @ArrayMaxSize(2) @ValidateNested({ each: true }) @Type(() => Goal) goals!: Goal[];
    @ValidateNested() @Type(() => Goal) main!: Goal;
    @IsOptional() @ValidateNested() @Type(() => Goal) spare?: Goal | null;
  }

  test('lists within their limits give no problem', () => {
    expect(structuralProblems(Body, { goals: [{ links: [{}, {}, {}] }], main: { links: [] } })).toEqual([]);
  });

  test('each list over its limit is named, at any depth', () => {
    expect(structuralProblems(Body, { goals: [{ links: [{}, {}, {}, {}] }, { links: [] }], main: { links: new Array(4).fill({}) } })).toEqual([
      { field: 'main.links', reason: 'links must contain no more than 3 elements' },
      { field: 'goals[0].links', reason: 'links must contain no more than 3 elements' },
    ]);
    expect(structuralProblems(Body, { goals: new Array(10_000).fill({}), main: {} })).toEqual([{ field: 'goals', reason: 'goals must contain no more than 2 elements' }]);
  });

  test('a property no DTO lists is refused with class-validator’s words, at any depth', () => {
    expect(structuralProblems(Body, { goals: [{ links: [{ id: 'a', extra: 1 }] }], main: {}, unknown: true })).toEqual([
      { field: 'unknown', reason: 'property unknown should not exist' },
      { field: 'goals[0].links[0].extra', reason: 'property extra should not exist' },
    ]);
  });

  test('a nested DTO that is not optional must be an object (class-validator lets an absent one through)', () => {
    for (const main of [undefined, null, [], 'x']) {
      expect(structuralProblems(Body, { goals: [], main })).toEqual([{ field: 'main', reason: 'main must be an object' }]);
    }
    expect(structuralProblems(Body, { goals: [], main: {}, spare: null })).toEqual([]);
    expect(structuralProblems(Body, { goals: [], main: {}, spare: [] })).toEqual([{ field: 'spare', reason: 'spare must be an object' }]);
  });
});
