import { existsSync } from 'node:fs';
import { join } from 'node:path';

// Where the suite gets its real Kafka and PostgreSQL, in this order:
//   1. KAFKA_BROKERS / DATABASE_URL when set (CI with its own services, a developer's own stack);
//   2. testcontainers when a container runtime answers;
//   3. the project's own infra/ scripts (Kafka from Maven Central jars on the JDK, the machine's PostgreSQL).
// Jest runs this once per project in the same process, so the second call finds the variables set.
// Workers are forked after it returns and inherit process.env.

const repoRoot = join(__dirname, '..', '..', '..');
const testDatabaseName = 'golden_loop_test';

const containerRuntimeAnswers = async (): Promise<boolean> => {
  const socket = process.env.DOCKER_HOST || existsSync('/var/run/docker.sock');
  if (!socket || process.env.GOLDEN_LOOP_NO_CONTAINERS === '1') return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
};

const fromContainers = async (): Promise<void> => {
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  if (!process.env.KAFKA_BROKERS) {
    const kafka = await new KafkaContainer('confluentinc/cp-kafka:7.9.0').withKraft().start();
    process.env.KAFKA_BROKERS = `${kafka.getHost()}:${kafka.getMappedPort(9093)}`;
  }
  if (!process.env.DATABASE_URL) {
    const pg = await new PostgreSqlContainer('postgres:15').withDatabase(testDatabaseName).start();
    process.env.DATABASE_URL = pg.getConnectionUri();
  }
};

const fromInfraScripts = async (): Promise<void> => {
  // The infra scripts are plain CommonJS so that `npm start`, .ci/run and this setup share one recipe.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const kafka = require(join(repoRoot, 'infra/kafka/kafka.cjs'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const postgres = require(join(repoRoot, 'infra/postgres/postgres.cjs'));
  if (!process.env.DATABASE_URL) {
    const { url } = await postgres.ensurePostgres({ database: testDatabaseName });
    process.env.DATABASE_URL = url;
  }
  if (!process.env.KAFKA_BROKERS) {
    const { brokers } = await kafka.ensureKafka();
    process.env.KAFKA_BROKERS = brokers;
  }
};

export default async function globalSetup(): Promise<void> {
  if (process.env.KAFKA_BROKERS && process.env.DATABASE_URL) return;
  if (await containerRuntimeAnswers()) {
    await fromContainers();
  } else {
    await fromInfraScripts();
  }
}
