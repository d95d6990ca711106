export { testDatabase, type TestDatabase } from './test-database';
export { testKafka, uniqueName, type TestKafka } from './test-kafka';
