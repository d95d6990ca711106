// One jest run over every project (libs/*, services/*); `--selectProjects <name>` narrows it.
// Integration tests talk to a real broker and database on a 2-core machine: timeouts are generous,
// speed is measured by the bench:* scripts, never asserted here.
module.exports = {
  projects: ['<rootDir>/libs/*/jest.config.js', '<rootDir>/services/*/jest.config.js', '<rootDir>/infra/e2e/jest.config.js'],
  testTimeout: 60000,
};
