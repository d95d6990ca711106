import { plainToInstance, Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

/** Every setting of the plan service: an environment variable with a default that `npm start` works with. */
export class PlanConfig {
  @IsString()
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/golden_loop';

  /** The service's own schema: no other service reads it. */
  @Matches(/^[a-z_][a-z0-9_]*$/)
  PLAN_DB_SCHEMA = 'plan';

  @IsString()
  KAFKA_BROKERS = '127.0.0.1:9092';

  @IsString()
  KAFKA_CLIENT_ID = 'golden-loop-plan';

  /** Overrides the catalogue's topic (tests use a unique one per file). */
  @IsOptional()
  @IsString()
  PLAN_EVENTS_TOPIC?: string;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3001;

  /** Loopback by default; a container sets 0.0.0.0. */
  @IsString()
  HOST = '127.0.0.1';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  OUTBOX_POLL_MS = 50;
}

export const validatePlanConfig = (env: Record<string, unknown>): PlanConfig => {
  const defined = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const config = plainToInstance(PlanConfig, defined, { exposeDefaultValues: true });
  const errors = validateSync(config, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const reasons = errors.flatMap((e) => Object.values(e.constraints ?? {}).map((reason) => `${e.property}: ${reason}`));
    throw new Error(`Invalid plan service configuration:\n  ${reasons.join('\n  ')}`);
  }
  return config;
};
