// Shared by every project's jest.config.js. ts-jest transpiles only (isolatedModules in tsconfig.base.json);
// type errors are caught by `npm run typecheck`, which `npm test` runs first.
const path = require('node:path');

module.exports = (projectDir, displayName) => ({
  displayName,
  rootDir: projectDir,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.json') }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  globalSetup: path.join(__dirname, 'libs/testing/src/global-setup.ts'),
  setupFiles: ['reflect-metadata'],
});
