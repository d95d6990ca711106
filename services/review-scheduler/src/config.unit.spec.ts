import { loadConfig } from '@golden-loop/service-kit';
import { ReviewConfig, reviewPolicyOf } from './config';
import { DEFAULT_REVIEW_POLICY } from './domain/review-policy';

// The service levels are configuration with validated defaults (docs/review-scheduling.md, "Service levels").

const PAYER = '0b6f7a52-1c1e-4d5a-9a39-6f1f3f2c8a01';
const OTHER = 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a04';

describe('the review scheduler configuration', () => {
  test("defaults to the issue's service levels", () => {
    const config = loadConfig(ReviewConfig, {});
    expect(config).toMatchObject({ PORT: 3002, REVIEW_DB_SCHEMA: 'review', KAFKA_CLIENT_ID: 'golden-loop-review-scheduler' });
    expect(reviewPolicyOf(config)).toEqual(DEFAULT_REVIEW_POLICY);
  });

  test('reads every service level from the environment, the per-payer intervals too', () => {
    const config = loadConfig(ReviewConfig, {
      URGENT_DUE_HOURS: '12',
      ROUTINE_DUE_DAYS: '7',
      REVIEW_TIME_ZONE: 'America/Chicago',
      SAFETY_REVIEW_MINIMUM_HOURS: '2',
      SAFETY_ESCALATION_GRACE_MINUTES: '30',
      PERIODIC_REVIEW_DAYS: '180',
      PERIODIC_REVIEW_DAYS_BY_PAYER: `${PAYER}=90,${OTHER}=60`,
      PERIODIC_REVIEW_NOTICE_DAYS: '10',
    });
    expect(reviewPolicyOf(config)).toEqual({
      urgentDueHours: 12,
      routineDueDays: 7,
      timeZone: 'America/Chicago',
      safetyMinimumHours: 2,
      safetyEscalationGraceMinutes: 30,
      periodicIntervalDays: 180,
      periodicIntervalDaysByPayer: new Map([
        [PAYER, 90],
        [OTHER, 60],
      ]),
      periodicNoticeDays: 10,
    });
  });

  test.each([
    ['URGENT_DUE_HOURS', '0'],
    ['ROUTINE_DUE_DAYS', 'two weeks'],
    ['REVIEW_TIME_ZONE', 'Mars/Olympus'],
    ['PERIODIC_REVIEW_DAYS', '1000'],
    ['PERIODIC_REVIEW_DAYS_BY_PAYER', 'medicaid=90'],
    ['REVIEW_CONSUMER_BATCH_SIZE', '0'],
  ])('refuses %s=%s at start-up, naming it', (name, value) => {
    expect(() => loadConfig(ReviewConfig, { [name]: value })).toThrow(name);
  });

  test('refuses a payer interval outside 7 to 730 days', () => {
    expect(() => reviewPolicyOf(loadConfig(ReviewConfig, { PERIODIC_REVIEW_DAYS_BY_PAYER: `${PAYER}=3` }))).toThrow('PERIODIC_REVIEW_DAYS_BY_PAYER');
  });
});
