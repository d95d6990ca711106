import { DEFAULT_REVIEW_POLICY, endOfDay, nextPeriodicReview, planUpdateDueAt, safetyReviewDueAt } from './review-policy';

describe('service levels', () => {
  test('urgent tasks are due in a day, routine ones in 14 days (the defaults)', () => {
    expect(planUpdateDueAt(DEFAULT_REVIEW_POLICY, 'urgent', '2026-03-02T09:00:00.000Z')).toBe('2026-03-03T09:00:00.000Z');
    expect(planUpdateDueAt(DEFAULT_REVIEW_POLICY, 'routine', '2026-03-02T09:00:00.000Z')).toBe('2026-03-16T09:00:00.000Z');
  });

  test.each([
    ['UTC', '2026-03-02T09:00:00.000Z', '2026-03-03T00:00:00.000Z'],
    ['UTC', '2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z'],
    ['UTC', '2026-03-02T09:00:00.250Z', '2026-03-03T00:00:00.000Z'],
    // The last day of February ends at midnight on 1 March, whatever the months' lengths.
    ['UTC', '2026-02-28T12:00:00.000Z', '2026-03-01T00:00:00.000Z'],
    ['America/New_York', '2026-02-28T20:00:00.000Z', '2026-03-01T05:00:00.000Z'],
    ['America/New_York', '2026-03-02T03:00:00.000Z', '2026-03-02T05:00:00.000Z'],
    // 8 March 2026: New York moves to daylight time at 02:00, so that day ends at 04:00 UTC.
    ['America/New_York', '2026-03-08T12:00:00.000Z', '2026-03-09T04:00:00.000Z'],
    ['Europe/London', '2026-03-29T12:00:00.000Z', '2026-03-29T23:00:00.000Z'],
    ['Asia/Kolkata', '2026-03-02T20:00:00.000Z', '2026-03-03T18:30:00.000Z'],
    // The day before daylight time ends (Berlin 25 October 2026, Sydney 5 April 2026 at 03:00) ends at its own
    // midnight, still in daylight time.
    ['Europe/Berlin', '2026-10-24T12:00:00.000Z', '2026-10-24T22:00:00.000Z'],
    ['Australia/Sydney', '2026-04-04T01:00:00.000Z', '2026-04-04T13:00:00.000Z'],
  ])('in %s the day of %s ends at %s', (timeZone, instant, end) => {
    expect(endOfDay(instant, timeZone)).toBe(end);
  });

  test('a safety review is due the same day, but at least the minimum lead time after the flag', () => {
    expect(safetyReviewDueAt(DEFAULT_REVIEW_POLICY, '2026-03-02T09:00:00.000Z')).toBe('2026-03-03T00:00:00.000Z');
    expect(safetyReviewDueAt(DEFAULT_REVIEW_POLICY, '2026-03-02T21:00:00.000Z')).toBe('2026-03-03T01:00:00.000Z');
  });

  test('the periodic task opens before the review date, never before the interval began', () => {
    expect(nextPeriodicReview(DEFAULT_REVIEW_POLICY, null, '2026-03-02T09:00:00.000Z')).toEqual({
      intervalDays: 90,
      reviewAt: '2026-05-31T09:00:00.000Z',
      opensAt: '2026-05-17T09:00:00.000Z',
    });
    const short = { ...DEFAULT_REVIEW_POLICY, periodicIntervalDaysByPayer: new Map([['payer', 7]]) };
    expect(nextPeriodicReview(short, 'payer', '2026-03-02T09:00:00.000Z')).toMatchObject({ reviewAt: '2026-03-09T09:00:00.000Z', opensAt: '2026-03-03T09:00:00.000Z' });
  });
});
