export { testDatabase, databaseUrl, type TestDatabase } from './test-database';
export { testKafka, kafkaBrokers, uniqueName, type TestKafka } from './test-kafka';
export { genericPlanOf } from './generic-plan';
