module.exports = { displayName: 'lint-rules', rootDir: __dirname, testEnvironment: 'node', testMatch: ['<rootDir>/*.spec.js'] };
