import { ServiceConfig } from '@golden-loop/service-kit';
import { IsOptional, IsString, Matches } from 'class-validator';

/** Every setting of the plan service: the kit's (database, Kafka, port, logs) and its own. */
export class PlanConfig extends ServiceConfig {
  override PORT = 3001;

  /** The service's own schema: no other service reads it. */
  @Matches(/^[a-z_][a-z0-9_]*$/)
  PLAN_DB_SCHEMA = 'plan';

  @IsString()
  KAFKA_CLIENT_ID = 'golden-loop-plan';

  /** Overrides the catalogue's topic (tests use a unique one per file). */
  @IsOptional()
  @IsString()
  PLAN_EVENTS_TOPIC?: string;
}
