const nx = require('@nx/eslint-plugin');
const tseslint = require('typescript-eslint');
const goldenLoop = require('./libs/eslint-rules/plugin');

// The project graph is the architecture diagram (docs/architecture.md, Service boundaries): tags in each package.json, checked here.
const depConstraints = [
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:plan', onlyDependOnLibsWithTags: ['scope:plan', 'scope:shared'] },
  { sourceTag: 'scope:review', onlyDependOnLibsWithTags: ['scope:review', 'scope:shared'] },
  { sourceTag: 'scope:billing', onlyDependOnLibsWithTags: ['scope:billing', 'scope:shared'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:data-access', 'type:api', 'type:platform', 'type:testing', 'type:service-testing'] },
  // Fixtures and scenarios for the services' integration tests: the kit under test, on the real infrastructure.
  { sourceTag: 'type:service-testing', onlyDependOnLibsWithTags: ['type:platform', 'type:data-access', 'type:contracts', 'type:domain', 'type:testing'] },
  // The service kit: what every service is built on (logs, metrics, health, the app factory).
  // Its integration tests, like data-access's, take their real test database from type:testing.
  { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:api', 'type:data-access', 'type:contracts', 'type:domain', 'type:testing'] },
  { sourceTag: 'type:api', onlyDependOnLibsWithTags: ['type:api', 'type:domain'] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:contracts', 'type:domain', 'type:testing'] },
  {
    sourceTag: 'type:domain',
    onlyDependOnLibsWithTags: ['type:domain'],
    bannedExternalImports: ['@nestjs/*', 'typeorm', 'pg', 'kafkajs', 'express'],
  },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'], bannedExternalImports: ['@nestjs/*', 'typeorm', 'pg'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:testing'] },
  { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: [] },
];

module.exports = tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'infra/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx, 'golden-loop': goldenLoop },
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    rules: {
      '@nx/enforce-module-boundaries': ['error', { depConstraints, allow: [], enforceBuildableLibDependency: false }],
      'golden-loop/transaction-manager-only': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // A service's domain folder is plain TypeScript, like libs/clinical (docs/service-kit.md, The decider).
    files: ['services/*/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@nestjs/*', 'typeorm', 'pg', 'kafkajs', 'express', '@golden-loop/event-store', '@golden-loop/messaging'], message: 'The domain is pure: no framework, database or broker.' }] },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/test-support/**/*.ts', '**/testing/**/*.ts', '**/bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
    },
  },
);
