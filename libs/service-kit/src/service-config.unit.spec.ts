import { IsOptional, IsString } from 'class-validator';
import { loadConfig, ServiceConfig } from './service-config';

class ExampleConfig extends ServiceConfig {
  override PORT = 3009;
  @IsOptional() @IsString() EXAMPLE_TOPIC?: string;
}

describe('service configuration', () => {
  test('every setting has a local default that npm start works with', () => {
    expect(loadConfig(ExampleConfig, {})).toEqual(
      Object.assign(new ExampleConfig(), {
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/golden_loop',
        KAFKA_BROKERS: '127.0.0.1:9092',
        PORT: 3009,
        HOST: '127.0.0.1',
        OUTBOX_POLL_MS: 50,
        KAFKA_SESSION_TIMEOUT_MS: 10_000,
        LOG_LEVEL: 'info',
      }),
    );
  });

  test('values come from the environment, typed; the rest of the environment stays out', () => {
    const config = loadConfig(ExampleConfig, { PORT: '4000', EXAMPLE_TOPIC: 't', SECRET_OF_SOMEONE_ELSE: 'x', LOG_LEVEL: 'warn' });
    expect(config).toMatchObject({ PORT: 4000, EXAMPLE_TOPIC: 't', LOG_LEVEL: 'warn' });
    expect(Object.keys(config)).not.toContain('SECRET_OF_SOMEONE_ELSE');
  });

  test('a bad value stops the service, naming every setting at fault', () => {
    const attempt = () => loadConfig(ExampleConfig, { PORT: 'eighty', LOG_LEVEL: 'loud', OUTBOX_POLL_MS: '0', KAFKA_SESSION_TIMEOUT_MS: '3000' });
    expect(attempt).toThrow(/^Invalid ExampleConfig configuration:\n/);
    expect(attempt).toThrow(/PORT: PORT must be an integer number/);
    expect(attempt).toThrow(/OUTBOX_POLL_MS: OUTBOX_POLL_MS must not be less than 1/);
    expect(attempt).toThrow(/LOG_LEVEL: LOG_LEVEL must be one of the following values/);
    // Below the broker's group.min.session.timeout.ms (6 s) a consumer could not join its group.
    expect(attempt).toThrow(/KAFKA_SESSION_TIMEOUT_MS: KAFKA_SESSION_TIMEOUT_MS must not be less than 6000/);
  });
});
