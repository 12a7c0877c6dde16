/** What every Jest configuration here shares (jest.config.js, jest.servers.config.js). */
const shared = {
  testEnvironment: 'node',
  // Transpile only (tsconfig has isolatedModules): `npm test` type-checks the whole tree once with tsc first.
  // jose ships ES modules only; Node loads them with require(esm), Jest's module system needs them transpiled.
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
    '/node_modules/jose/.+\\.js$': ['ts-jest', { diagnostics: false, tsconfig: { allowJs: true } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  testPathIgnorePatterns: ['/node_modules/', '/data/', '/dist/'],
};

module.exports = { shared };
