/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // Transpile only (tsconfig has isolatedModules): `npm test` type-checks the whole tree once with tsc first.
  // jose ships ES modules only; Node loads them with require(esm), Jest's module system needs them transpiled.
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
    '/node_modules/jose/.+\\.js$': ['ts-jest', { diagnostics: false, tsconfig: { allowJs: true } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  testMatch: ['<rootDir>/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/data/'],
  testTimeout: 30000,
};
