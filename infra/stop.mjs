// `npm stop`: stops the local Kafka broker started by `npm start` or the tests. PostgreSQL is the machine's.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
await require('./kafka/kafka.cjs').stopKafka();
