import { plainToInstance, Type } from 'class-transformer';
import { getMetadataStorage, IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min, validateSync } from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * The settings every service has, each an environment variable with a local default that `npm start` works with
 * (docs/service-kit.md, "Operating a service": configuration). A service extends it with its own (its schema, its topics) and its own PORT default.
 */
export class ServiceConfig {
  @IsString()
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/golden_loop';

  @IsString()
  KAFKA_BROKERS = '127.0.0.1:9092';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** Loopback by default; a container sets 0.0.0.0. */
  @IsString()
  HOST = '127.0.0.1';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  OUTBOX_POLL_MS = 50;

  /**
   * How long the broker waits for a consumer's heartbeat before giving its partitions to another member: after a
   * crash, the restarted instance consumes again once the old member's session has expired. Heartbeats go every
   * third of it (docs/service-kit.md, "Operating a service").
   */
  @Type(() => Number)
  @IsInt()
  @Min(6_000)
  @Max(300_000)
  KAFKA_SESSION_TIMEOUT_MS = 10_000;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** Streams whose fold the command runner keeps between commands (docs/service-kit.md, "Flat command cost"). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  COMMAND_CACHE_STREAMS = 5_000;

  /** The issuer whose bearer tokens the service accepts (docs/security.md); the development issuer by default. */
  @IsString()
  AUTH_ISSUER = 'urn:goldenloop:dev-issuer';

  @IsString()
  AUTH_AUDIENCE = 'golden-loop';

  /** The issuer's JWKS endpoint (production). One of AUTH_JWKS_URL, AUTH_JWKS (inline JSON) and AUTH_JWKS_FILE is used, in that order. */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['https', 'http'] })
  AUTH_JWKS_URL?: string;

  /** The issuer's public keys as inline JSON (tests). */
  @IsOptional()
  @IsString()
  AUTH_JWKS?: string;

  /** The issuer's public keys in a file: the development issuer's, made by `npm start` or `npm run token`. */
  @IsString()
  AUTH_JWKS_FILE = 'infra/auth/.keys/dev-jwks.json';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(300)
  AUTH_CLOCK_TOLERANCE_SECONDS = 30;

  /** Requests a token (or, before authentication, an address) may make per minute; more get 429. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE = 1_200;
}

/** The brokers of a `KAFKA_BROKERS` list. */
export const brokersOf = (config: Pick<ServiceConfig, 'KAFKA_BROKERS'>): string[] =>
  config.KAFKA_BROKERS.split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);

/** Reads and validates a service's configuration; a bad value stops the service with every problem named. */
export const loadConfig = <C extends ServiceConfig>(
  type: new () => C,
  env: Record<string, string | undefined> = process.env,
): C => {
  const defined = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const config = plainToInstance(type, defined, { exposeDefaultValues: true, excludeExtraneousValues: false });
  const errors = validateSync(config, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const reasons = errors.flatMap((e) => Object.values(e.constraints ?? {}).map((reason) => `${e.property}: ${reason}`));
    throw new Error(`Invalid ${type.name} configuration:\n  ${reasons.join('\n  ')}`);
  }
  // Only the declared (validated) settings: the rest of the environment stays out of the config object.
  const declared = new Set(getMetadataStorage().getTargetValidationMetadatas(type, '', true, false).map((m) => m.propertyName));
  const settings = Object.fromEntries(Object.entries(config).filter(([key]) => declared.has(key)));
  return Object.assign(new type(), settings);
};
