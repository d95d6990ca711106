import { databaseUrl } from './test-database';
import { kafkaBrokers } from './test-kafka';

// The integration tests get their broker and database only through these two functions, so proving that
// they throw proves that an integration test fails, and never silently skips, when either is missing.
describe('a test run without infrastructure', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test('fails when no database was provided', () => {
    delete process.env.DATABASE_URL;
    expect(() => databaseUrl()).toThrow(/DATABASE_URL is not set/);
  });

  test('fails when no broker was provided', () => {
    delete process.env.KAFKA_BROKERS;
    expect(() => kafkaBrokers()).toThrow(/KAFKA_BROKERS is not set/);
  });
});
