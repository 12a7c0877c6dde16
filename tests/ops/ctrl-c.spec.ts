import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { http, postJson } from '../support/http-client';
import { eventually } from '../../lib/eventually';
import { startServiceProcess, type ServiceProcess } from '../support/service-process';
import { closedPort } from './processes';
import { allGone, descendantsOf } from './process-tree';

// `npm start` as a user runs it in a terminal: its own process group, which Ctrl-C signals as a whole.
jest.setTimeout(180_000);

const STOP_WITHIN_MS = 2000;
const READY_TIMEOUT_MS = 120_000;
/** `npm start` itself, the embedded servers, the gateway, two processors, the synchronizers (and their helpers, such as esbuild). */
const PROCESSES = 6;

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free port whose neighbour two above is free too: `npm start` puts the second processor there. */
async function freeProcessingPort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await closedPort();
    if (port + 2 <= 65535 && (await isFree(port + 2))) return port;
  }
  throw new Error('no free pair of processing ports');
}

describe('Ctrl-C on npm start', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'shop-ctrl-c-'));
  let start: ServiceProcess;
  let pids: number[] = [];
  let ports: Record<'esdb' | 'mongo' | 'api' | 'processing' | 'synchronizers', number>;

  beforeAll(async () => {
    ports = {
      esdb: await closedPort(),
      mongo: await closedPort(),
      api: await closedPort(),
      processing: await freeProcessingPort(),
      synchronizers: await closedPort(),
    };
    start = startServiceProcess(
      'scripts/start.ts',
      {
        // Empty: the embedded servers, even when this run was pointed at external ones.
        ESDB_CONNECTION_STRING: '',
        MONGO_URL: '',
        PORT: String(ports.api),
        PROCESSING_PORT: String(ports.processing),
        SYNCHRONIZERS_PORT: String(ports.synchronizers),
      },
      {
        args: [
          ...['--esdb-port', String(ports.esdb), '--mongo-port', String(ports.mongo)],
          ...['--db', path.join(dataDir, 'eventstore'), '--dbpath', path.join(dataDir, 'mongo')],
        ],
        processGroup: true,
      },
    );
    await start.waitForLine('shop-pipeline is ready', READY_TIMEOUT_MS);
  });

  afterAll(() => {
    // Only when the test failed before everything was gone: nothing it started may outlive it.
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints a development key once, which the gateway accepts and no service logs', async () => {
    const ready = await start.waitForLine('shop-pipeline is ready');
    const key = /#key=(shk_[A-Za-z0-9_-]+)/.exec(ready)?.[1];
    expect(key).toBeDefined();
    const api = `http://127.0.0.1:${ports.api}`;
    expect((await http(api, '/shop/api/v1/orders', { token: key! })).status).toBe(200);
    expect((await http(api, '/shop/api/v1/orders', { token: null })).status).toBe(401);
    const mentions = start.lines.filter((line) => line.includes(key!));
    expect(mentions.every((line) => !line.includes('|'))).toBe(true);
    expect(mentions).toHaveLength(3);
  });

  it('stops every process in under 2 s with exit code 0, after the pipeline did some work', async () => {
    const api = `http://127.0.0.1:${ports.api}`;
    const placed = await postJson(api, '/shop/api/v1', {
      applies: 'Order',
      source: 'ctrl-c',
      profile: 'web/v1',
      action: 'place',
      orderId: 'o-ctrl-c',
      customer: { id: 'c-1', name: 'Ada' },
      lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: '1.00' }],
      currency: 'EUR',
    });
    expect(placed.status).toBe(202);
    const requestId = (placed.body as { requestId: string }).requestId;
    await eventually(async () => {
      const order = await http(api, '/shop/api/v1/orders/o-ctrl-c');
      const request = await http(api, `/shop/api/v1/requests/${requestId}`);
      const done = order.status === 200 && (request.body as { status?: string }).status === 'processed';
      return done ? true : undefined;
    }, 30_000);
    // Every service has answered a readiness probe, as an operator's checks would have.
    for (const port of [ports.api, ports.processing, ports.processing + 2, ports.synchronizers]) {
      expect((await http(`http://127.0.0.1:${port}`, '/ready')).status).toBe(200);
    }

    pids = [start.child.pid!, ...descendantsOf(start.child.pid!)];
    expect(pids.length).toBeGreaterThanOrEqual(PROCESSES);
    const signalled = Date.now();
    process.kill(-start.child.pid!, 'SIGINT');
    const code = await start.exited;
    await allGone(pids, 30_000);
    const stoppedMs = Date.now() - signalled;
    // All gone: nothing for afterAll to kill (their pids may already belong to someone else).
    pids = [];
    const timedOut = start.lines.filter((line) => line.includes('close step timed out'));
    process.stdout.write(
      `ctrl-c: every process gone ${stoppedMs} ms after SIGINT, exit code ${code}, ` +
        `${timedOut.length} close step(s) timed out\n${timedOut.join('\n')}\n`,
    );

    expect(code).toBe(0);
    expect(stoppedMs).toBeLessThan(STOP_WITHIN_MS);
  });
});
