import { ServiceConfig } from '@golden-loop/service-kit';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsTimeZone, Matches, Max, Min } from 'class-validator';
import type { ReviewPolicy } from './domain/review-policy';

const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const payerIntervals = new RegExp(`^(${uuid}=[0-9]{1,3})?(,${uuid}=[0-9]{1,3})*$`);

/**
 * Every setting of the review scheduler: the kit's (database, Kafka, port, logs) and its own. The service levels
 * and the review cadence are a network's policy (docs/review-scheduling.md lists each with its source); they are
 * validated here, at start-up, and nowhere else.
 */
export class ReviewConfig extends ServiceConfig {
  override PORT = 3002;

  /** The service's own schema: no other service reads it. */
  @Matches(/^[a-z_][a-z0-9_]*$/)
  REVIEW_DB_SCHEMA = 'review';

  @IsString()
  KAFKA_CLIENT_ID = 'golden-loop-review-scheduler';

  /** The consumer group on the plan topic; every instance of the service shares it. */
  @Matches(/^[A-Za-z0-9._-]{1,200}$/)
  REVIEW_CONSUMER_GROUP = 'golden-loop-review-scheduler';

  /** Plan-topic partitions each instance works on at once (per-plan order holds: a plan is on one partition). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  REVIEW_CONSUMER_CONCURRENCY = 6;

  /**
   * Plan events applied in one inbox transaction (a chunk of a fetched batch, every plan of it in one runEach); 1
   * applies them one by one. 1,000 put the lag back at 0 sooner than 500 in `npm run bench:review` (README).
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2000)
  REVIEW_CONSUMER_BATCH_SIZE = 1000;

  /** Override the catalogue's topics (tests use unique ones per file). */
  @IsOptional()
  @IsString()
  PLAN_EVENTS_TOPIC?: string;

  @IsOptional()
  @IsString()
  REVIEW_EVENTS_TOPIC?: string;

  /** An urgent plan-update task (safety flag, worsening into the severe band) is due this many hours after its trigger. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(168)
  URGENT_DUE_HOURS = 24;

  /** A routine plan-update task is due this many days after its trigger. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(90)
  ROUTINE_DUE_DAYS = 14;

  /** A safety review is due by the end of its day in this IANA time zone. */
  @IsTimeZone()
  REVIEW_TIME_ZONE = 'UTC';

  /** ... and never less than this many hours after the flag. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(24)
  SAFETY_REVIEW_MINIMUM_HOURS = 4;

  /** An overdue safety review is escalated this many minutes after its due time. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1440)
  SAFETY_ESCALATION_GRACE_MINUTES = 0;

  /** The periodic review falls due this many days after the last revision in effect ... */
  @Type(() => Number)
  @IsInt()
  @Min(7)
  @Max(730)
  PERIODIC_REVIEW_DAYS = 90;

  /** ... or the payer's own interval: `<payer uuid>=<days>,...` (lower-case uuids). */
  @Matches(payerIntervals, { message: 'PERIODIC_REVIEW_DAYS_BY_PAYER must be a list of <payer uuid>=<days>, separated by commas' })
  PERIODIC_REVIEW_DAYS_BY_PAYER = '';

  /** The periodic task opens this many days before its review date. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(90)
  PERIODIC_REVIEW_NOTICE_DAYS = 14;
}

/** The domain's policy from the validated settings (one place, read once at start-up). */
export const reviewPolicyOf = (config: ReviewConfig): ReviewPolicy => {
  const byPayer = new Map<string, number>();
  for (const entry of config.PERIODIC_REVIEW_DAYS_BY_PAYER.split(',').filter((part) => part.length > 0)) {
    const [payerId, days] = entry.split('=') as [string, string];
    const interval = Number(days);
    if (interval < 7 || interval > 730) throw new Error(`Invalid ReviewConfig configuration:\n  PERIODIC_REVIEW_DAYS_BY_PAYER: ${payerId} must be from 7 to 730 days`);
    byPayer.set(payerId, interval);
  }
  return {
    urgentDueHours: config.URGENT_DUE_HOURS,
    routineDueDays: config.ROUTINE_DUE_DAYS,
    timeZone: config.REVIEW_TIME_ZONE,
    safetyMinimumHours: config.SAFETY_REVIEW_MINIMUM_HOURS,
    safetyEscalationGraceMinutes: config.SAFETY_ESCALATION_GRACE_MINUTES,
    periodicIntervalDays: config.PERIODIC_REVIEW_DAYS,
    periodicIntervalDaysByPayer: byPayer,
    periodicNoticeDays: config.PERIODIC_REVIEW_NOTICE_DAYS,
  };
};
