/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // Transpile only (tsconfig has isolatedModules): `npm test` type-checks the whole tree once with tsc first.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testMatch: ['<rootDir>/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/data/'],
  testTimeout: 30000,
};
