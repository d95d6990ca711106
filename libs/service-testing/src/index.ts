export { given, type Outcome } from './scenario';
export { untypedProperties, validateOpenApi } from './openapi-checks';
export { startService, topicVariableOf, waitUntil, type ServiceFixture, type ServiceFixtureOptions } from './service-fixture';
export { hostileRuns, runHostileInput, type HostileInputOptions, type HostileInputReport, type PreparedOperation } from './hostile-input/hostile-input';
export type { HostileRequest } from './hostile-input/hostile-requests';
export { operationsOf, type Operation } from './hostile-input/openapi-operations';
export { changedTables, stateSnapshotter, type StateSnapshot } from './hostile-input/state-snapshot';
