/**
 * Three layers (`npm run test:unit|test:int|test:e2e`; `npm test` runs all):
 * - unit: pure specs — domain, projections, adapters, formatting; no sockets, milliseconds each;
 * - int: one component against real servers over real sockets — the embedded servers' own specs (devstack/) and
 *   the `*.int.spec.ts` beside the code they test (hosts, gateway routes, HTTP plumbing);
 * - e2e: the pipeline as a user, an operator or an attacker meets it (tests/): service processes, HTTP, browser.
 */
const { shared } = require('./jest.shared');

const STEPS = '{contracts,lib,processing,synchronizers,shop-api,admin,bench,scripts}';

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 30000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: [`<rootDir>/${STEPS}/**/*.spec.ts`],
      testPathIgnorePatterns: [...shared.testPathIgnorePatterns, '\\.int\\.spec\\.ts$'],
    },
    {
      ...shared,
      displayName: 'int',
      testMatch: ['<rootDir>/devstack/**/*.spec.ts', `<rootDir>/${STEPS}/**/*.int.spec.ts`],
    },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/tests/**/*.spec.ts'] },
  ],
};
