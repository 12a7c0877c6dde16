import { createServer, type Server } from 'node:net';
import { runToEnd, type Finished } from './processes';

// Start-up problems a user fixes by changing something: one line on stderr, exit code 2, no stack trace.
jest.setTimeout(90_000);

function occupiedPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : 0 });
    });
  });
}

const stderrLines = (result: Finished) => result.stderr.trim().split('\n');

describe('service start-up errors', () => {
  let occupied: { server: Server; port: number };
  let runs: Record<
    'badPort' | 'badEsdb' | 'badRetries' | 'portInUse' | 'noMasterKey' | 'badMasterKey' | 'noAuth',
    Promise<Finished>
  >;

  beforeAll(async () => {
    occupied = await occupiedPort();
    runs = {
      badPort: runToEnd('shop-api/main.ts', [], { PORT: 'eighty' }),
      badEsdb: runToEnd('synchronizers/main.ts', [], { ESDB_CONNECTION_STRING: 'http://localhost:2113' }),
      badRetries: runToEnd('processing/main.ts', [], {
        PROCESSING_MAX_RETRY: '-1',
        PROCESSING_PORT: '70000',
      }),
      noMasterKey: runToEnd('processing/main.ts', [], { PII_MASTER_KEY: '' }),
      badMasterKey: runToEnd('shop-api/main.ts', [], { PII_MASTER_KEY: 'c2hvcnQ=' }),
      portInUse: runToEnd('shop-api/main.ts', [], {
        PORT: String(occupied.port),
        ESDB_CONNECTION_STRING: 'esdb://127.0.0.1:1?tls=false',
        MONGO_URL: 'mongodb://127.0.0.1:1/shop',
      }),
      noAuth: runToEnd('processing/main.ts', [], { API_KEYS: '' }),
    };
    await Promise.allSettled(Object.values(runs));
  });
  afterAll(() => new Promise<void>((done) => occupied.server.close(() => done())));

  it('names a malformed variable and what it expects', async () => {
    const result = await runs.badPort;
    expect(result.code).toBe(2);
    expect(stderrLines(result)).toEqual([
      'shop-api: Invalid configuration: PORT is malformed: expected a TCP port number between 0 and 65535, got "eighty"',
    ]);
  });

  it('names a connection string of the wrong kind', async () => {
    const result = await runs.badEsdb;
    expect(result.code).toBe(2);
    expect(stderrLines(result)).toEqual([
      expect.stringMatching(/^synchronizers: .*ESDB_CONNECTION_STRING is malformed/),
    ]);
  });

  it('reports every bad variable at once, on one line', async () => {
    const result = await runs.badRetries;
    expect(result.code).toBe(2);
    const lines = stderrLines(result);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('PROCESSING_MAX_RETRY is malformed');
    expect(lines[0]).toContain('PROCESSING_PORT is malformed');
  });

  it('stops without a master key, or with one that is not 256 bits, naming PII_MASTER_KEY', async () => {
    const missing = await runs.noMasterKey;
    expect(missing.code).toBe(2);
    expect(stderrLines(missing)).toEqual([
      expect.stringMatching(
        /^processing: Invalid configuration: PII_MASTER_KEY is missing: expected a 256-bit key/,
      ),
    ]);
    const malformed = await runs.badMasterKey;
    expect(malformed.code).toBe(2);
    expect(stderrLines(malformed)).toEqual([
      expect.stringMatching(
        /^shop-api: Invalid configuration: PII_MASTER_KEY is malformed: expected a 256-bit key/,
      ),
    ]);
  });

  it('stops a service without auth configuration, naming API_KEYS and OIDC_ISSUER', async () => {
    const result = await runs.noAuth;
    expect(result.code).toBe(2);
    expect(stderrLines(result)).toEqual([
      expect.stringMatching(/^processing: Invalid configuration: API_KEYS is missing: .*OIDC_ISSUER/),
    ]);
  });

  it('says which port is taken and how to fix it', async () => {
    const result = await runs.portInUse;
    expect(result.code).toBe(2);
    expect(stderrLines(result)).toEqual([
      `shop-api: Port ${occupied.port} is already in use: stop the process using it or set PORT to a free port`,
    ]);
  });
});
