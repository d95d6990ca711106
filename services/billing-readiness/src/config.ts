import { join } from 'node:path';
import { ServiceConfig } from '@golden-loop/service-kit';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/** Every setting of billing-readiness: the kit's (database, Kafka, port, logs) and its own. */
export class BillingConfig extends ServiceConfig {
  override PORT = 3003;

  /** The service's own schema: no other service reads it. */
  @Matches(/^[a-z_][a-z0-9_]*$/)
  BILLING_DB_SCHEMA = 'billing';

  /** Also names the consumer group (`<client id>.inbound`): every instance of the service shares it. */
  @IsString()
  KAFKA_CLIENT_ID = 'golden-loop-billing-readiness';

  /** The payer rule sets and `payers.json` (docs/payer-rules.md); validated at start-up and on reload. */
  @IsString()
  RULE_SETS_DIR = join(__dirname, '..', 'rule-sets');

  /** Re-check timers due together (a rule-set or credentials change, plans due at one boundary) fired in one transaction. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  RECHECK_BATCH_SIZE = 200;

  /**
   * Partitions of each consumed topic worked at once (each partition still in order: a plan's events stay in their
   * order, since a plan is a partition key). One at a time, a check waits behind every other plan's.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  BILLING_CONSUMER_CONCURRENCY = 6;

  /**
   * Messages of a partition applied in one inbox transaction: every plan of the chunk read, checked and written
   * with one statement per step (docs/payer-rules.md, "Many checks at once").
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2000)
  BILLING_CONSUMER_BATCH_SIZE = 500;

  /** Override the catalogue's topics (tests use unique ones per file). */
  @IsOptional()
  @IsString()
  BILLING_EVENTS_TOPIC?: string;

  @IsOptional()
  @IsString()
  PLAN_EVENTS_TOPIC?: string;

  @IsOptional()
  @IsString()
  REVIEW_EVENTS_TOPIC?: string;
}
