/**
 * `npm run test:servers`: the socket-level specs against the EventStoreDB and MongoDB named by
 * ESDB_CONNECTION_STRING and MONGO_URL (KurrentDB and MongoDB 7 in .github/workflows/real-servers.yml) instead of
 * the embedded servers. Every spec listed here isolates itself on a shared server: its streams, groups and ids
 * come from `uniqueName`, its MongoDB database is its own (tests/support/test-servers.ts).
 */
const base = require('./jest.config');
const { shared } = require('./jest.shared');

const missing = ['ESDB_CONNECTION_STRING', 'MONGO_URL'].filter((name) => !process.env[name]);
if (missing.length > 0) {
  throw new Error(
    `npm run test:servers needs ${missing.join(' and ')}: the servers to test against, e.g. ` +
      "ESDB_CONNECTION_STRING='esdb://localhost:2113?tls=false' MONGO_URL='mongodb://localhost:27017/shop'",
  );
}
// Read by tests/support/test-servers.ts; `npm test` never sets it, so it stays on the embedded servers even when
// a developer's shell points ESDB_CONNECTION_STRING elsewhere.
process.env.SHOP_TEST_SERVERS = 'external';

/** @type {import('jest').Config} */
module.exports = {
  ...shared,
  testTimeout: base.testTimeout,
  testMatch: [
    // appends, reads, $all, catch-up and filtered subscriptions, persistent groups (ack, park, replay)
    '<rootDir>/tests/ops/eventstore-client.spec.ts',
    // the read models' writes: position-guarded bulk replaces, checkpoint upserts, keyset pages, unique indexes,
    // the rebuild's rename over the live collection
    '<rootDir>/tests/ops/mongo-client.spec.ts',
    // the readiness probe leaves no call open for the client's dispose()
    '<rootDir>/tests/ops/readiness-check.spec.ts',
    // the pipeline end to end (gateway, processor, synchronizers, read models in MongoDB) driven by the admin CLI
    '<rootDir>/tests/ops/admin.spec.ts',
  ],
};
