export { given, type Outcome } from './scenario';
export { untypedProperties, validateOpenApi } from './openapi-checks';
export { startService, topicVariableOf, waitUntil, type ServiceFixture, type ServiceFixtureOptions } from './service-fixture';
