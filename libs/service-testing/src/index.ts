export { given, type Outcome } from './scenario';
export { describeOpenApiDocument, untypedProperties, validateOpenApi } from './openapi-checks';
export { callersOf, startService, topicVariableOf, waitUntil, type Callers, type ServiceFixture, type ServiceFixtureOptions } from './service-fixture';
export { hostileRuns, runHostileInput, type HostileInputOptions, type HostileInputReport, type PreparedOperation } from './hostile-input/hostile-input';
export type { HostileRequest } from './hostile-input/hostile-requests';
export { operationsOf, type Operation } from './hostile-input/openapi-operations';
export { changedTables, stateSnapshotter, type StateSnapshot } from './hostile-input/state-snapshot';
export { bearer, clinicianBearers, createTestIssuer, issuerEnvironment, type TestIssuer, type TokenClaims } from './test-issuer';
export { CALLERS, cellHolds, expectedFor, renderAccessMatrix, runAccessMatrix, type AccessCell, type AccessMatrixOptions, type AccessRoute, type Caller, type Expected } from './access-matrix';
