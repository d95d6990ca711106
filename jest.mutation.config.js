// The jest config Stryker runs for every mutant (`npm run test:mutation`, see docs/mutation-testing.md).
// Only the pure unit specs of the mutated projects: integration specs need Kafka and PostgreSQL and are far too
// slow to run hundreds of times, so the shared globalSetup (which starts them) is dropped here.
// One flat config with several roots rather than `projects`: Stryker's per-test coverage hooks the top-level
// test environment, which a multi-project config would not give it.
const base = require('./jest.preset.js')(__dirname, 'mutation');

const { globalSetup: _integrationOnly, ...unit } = base;

module.exports = {
  ...unit,
  roots: [
    '<rootDir>/libs/clinical/src',
    '<rootDir>/libs/contracts/src',
    '<rootDir>/services/plan/src/domain',
    '<rootDir>/services/review-scheduler/src/domain',
    '<rootDir>/services/billing-readiness/src/domain',
  ],
  testMatch: ['**/*.unit.spec.ts'],
};
