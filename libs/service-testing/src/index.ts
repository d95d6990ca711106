export { given, type Outcome } from './scenario';
export { startService, topicVariableOf, waitUntil, type ServiceFixture, type ServiceFixtureOptions } from './service-fixture';
