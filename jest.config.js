// ts-jest in ESM mode without type checking: `npm run typecheck` owns types, jest owns behaviour.
export default {
  testEnvironment: '<rootDir>/__tests__/support/action-log-environment.js',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.dev.json', diagnostics: false }],
  },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  globalSetup: '<rootDir>/__tests__/support/real-tools-setup.js',
  setupFiles: ['<rootDir>/__tests__/support/no-workflow-commands.js'],
  testTimeout: 120000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/__tests__/support/count-reporter.js'],
};
