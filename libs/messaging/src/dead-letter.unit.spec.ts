import { deadLetterHeaders, errorCodeOf, headerText, type DeadLetterFacts } from './dead-letter';
import { backOffDelay } from './interruptible-sleep';

const facts: DeadLetterFacts = {
  consumerGroup: 'review-scheduler',
  topic: 'treatment-plan-events',
  partition: 2,
  offset: '41',
  reason: 'handler',
  errorCode: 'rule_failed',
  errorMessage: 'x'.repeat(5_000),
  attempts: 3,
  failedAt: new Date('2026-11-26T10:00:00.000Z'),
};

describe('dead-letter headers', () => {
  it('keep every original header, repeated ones included, and add where and why it failed', () => {
    const original = { ce_id: Buffer.from('e-1'), ce_type: 'care.goldenloop.plan.GoalMet.v1', trace: [Buffer.from('a'), Buffer.from('b')] };
    const headers = deadLetterHeaders(original, facts);
    expect(headers).toMatchObject({
      ...original,
      dlq_reason: 'handler',
      dlq_error_code: 'rule_failed',
      dlq_attempts: '3',
      dlq_original_topic: 'treatment-plan-events',
      dlq_original_partition: '2',
      dlq_original_offset: '41',
      dlq_consumer_group: 'review-scheduler',
      dlq_failed_at: '2026-11-26T10:00:00.000Z',
    });
    expect(headers['dlq_error_message']).toHaveLength(2_000);
  });

  it.each([
    [Object.assign(new Error('violation'), { code: 'unknown_event_type' }), 'unknown_event_type'],
    [Object.assign(new Error('duplicate key'), { code: '23505' }), '23505'],
    [new Error('plain'), 'handler_failed'],
    ['a string was thrown', 'handler_failed'],
    [undefined, 'handler_failed'],
  ])('take the error code from %p', (error, code) => {
    expect(errorCodeOf(error, 'handler_failed')).toBe(code);
  });

  it('read the first value of a repeated header', () => {
    expect(headerText({ ce_id: [Buffer.from('first'), Buffer.from('second')] }, 'ce_id')).toBe('first');
    expect(headerText({}, 'ce_id')).toBeUndefined();
  });
});

describe('back-off', () => {
  it('doubles from the base per attempt and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((attempt) => backOffDelay(attempt, 100, 5_000))).toEqual([
      100, 200, 400, 800, 1_600, 3_200, 5_000,
    ]);
  });
});
