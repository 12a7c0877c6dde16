import { http, postJson } from '../support/http-client';
import { eventually } from '../../lib/eventually';
import { GROUP, INPUT_STREAM, startPipeline, type Pipeline } from '../support/pipeline';
import { uniqueName } from '../support/test-servers';
import { closedPort, runToEnd, type Finished } from './processes';

// Each test spawns the CLI a few times (a tsx start-up each), on a machine shared with other work.
jest.setTimeout(90_000);

const API = '/shop/api/v1';
const ADMIN = 'admin/main.ts';
// Ids of their own, so the spec can share a real server with others (npm run test:servers).
const ORDER = uniqueName('o-admin');
const PAYMENT = uniqueName('p-admin');

describe('npm run admin', () => {
  let pipeline: Pipeline;
  let env: Record<string, string>;
  const admin = (...args: string[]): Promise<Finished> => runToEnd(ADMIN, args, env);

  beforeAll(async () => {
    pipeline = await startPipeline({ maxRetryCount: 1, waitWindowMs: 300 });
    env = {
      ESDB_CONNECTION_STRING: pipeline.esdbConnectionString,
      MONGO_URL: pipeline.mongoUrl,
      INPUT_STREAM,
      PROCESSING_GROUP: GROUP,
    };
  });
  afterAll(() => pipeline.stop());

  const send = (applies: string, payload: Record<string, unknown>) =>
    postJson(pipeline.url, API, { applies, source: 'web', profile: 'web/v1', ...payload });

  async function orderStatus(orderId: string, status: string) {
    return eventually(async () => {
      const reply = await http(pipeline.url, `${API}/orders/${orderId}`);
      return (reply.body as { status?: string }).status === status ? reply.body : undefined;
    });
  }

  describe('usage', () => {
    // These runs need no data, so they start together and the tests read their results.
    let runs: Record<
      'help' | 'badCommand' | 'badVariable' | 'noEventStore' | 'noMongo' | 'noGroup',
      Promise<Finished>
    >;
    beforeAll(async () => {
      const port = await closedPort();
      runs = {
        help: admin('--help'),
        badCommand: admin('projections', 'rebuild', 'customers'),
        badVariable: runToEnd(ADMIN, ['subscription', 'info'], { ...env, MONGO_URL: 'localhost:27017' }),
        noEventStore: runToEnd(ADMIN, ['parked', 'list'], {
          ...env,
          ESDB_CONNECTION_STRING: `esdb://127.0.0.1:${port}?tls=false`,
        }),
        noMongo: runToEnd(ADMIN, ['projections', 'status'], {
          ...env,
          MONGO_URL: `mongodb://127.0.0.1:${port}/shop`,
        }),
        noGroup: runToEnd(ADMIN, ['subscription', 'info'], { ...env, PROCESSING_GROUP: 'nobody' }),
      };
      await Promise.allSettled(Object.values(runs));
    });

    it('prints the usage text for --help and exits 0', async () => {
      const result = await runs.help;
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: npm run admin -- <command>');
      expect(result.stdout).toMatch(/parked list \[--limit N\]/);
      expect(result.stdout).toContain('Read models: orders, requests, sales_daily');
    });

    it('says what is wrong with a command, prints the usage and exits 2', async () => {
      const result = await runs.badCommand;
      expect(result.code).toBe(2);
      expect(result.stderr.split('\n')[0]).toBe(
        'admin: unknown read model "customers": expected one of orders, requests, sales_daily, all',
      );
      expect(result.stderr).toContain('Usage: npm run admin -- <command>');
      expect(result.stdout).toBe('');
    });

    it('names a malformed variable in one line and exits 2', async () => {
      const result = await runs.badVariable;
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining('MONGO_URL is malformed')]);
    });

    it('says in one line which server it cannot reach, and exits 1', async () => {
      const esdb = await runs.noEventStore;
      expect(esdb.code).toBe(1);
      expect(esdb.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(
          /^admin: cannot reach EventStoreDB at esdb:\/\/127\.0\.0\.1:\d+.*set ESDB_CONNECTION_STRING$/,
        ),
      ]);
      const mongo = await runs.noMongo;
      expect(mongo.code).toBe(1);
      expect(mongo.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(
          /^admin: cannot reach MongoDB at mongodb:\/\/127\.0\.0\.1:\d+\/shop .*set MONGO_URL$/,
        ),
      ]);
    });

    it('explains a subscription group that does not exist yet, and exits 1', async () => {
      const result = await runs.noGroup;
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        `No subscription group "nobody" on stream "${INPUT_STREAM}": start a processor (npm run processing) once to ` +
          'create it, or check INPUT_STREAM / PROCESSING_GROUP.',
      );
    });
  });

  describe('projections', () => {
    beforeAll(async () => {
      await send('Order', {
        action: 'place',
        orderId: ORDER,
        customer: { id: 'c-9', name: 'Grace', email: 'grace@example.com' },
        lines: [{ sku: 'SKU-9', quantity: 1, unitPrice: '10.00' }],
        currency: 'EUR',
        shippingAddress: { line1: '9 Side St', city: 'Paris', postcode: '75001', country: 'FR' },
      });
      await orderStatus(ORDER, 'Placed');
      await send('Payment', {
        action: 'pay',
        paymentId: PAYMENT,
        orderId: ORDER,
        amount: '10.00',
        currency: 'EUR',
        method: 'card',
      });
    });

    it('shows each read model with its checkpoint and lag', async () => {
      await orderStatus(ORDER, 'Paid');
      const result = await admin('projections', 'status');
      expect(result.code).toBe(0);
      const lines = result.stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^read model\s+checkpoint\s+saved at\s+documents\s+lag events\s+lag seconds$/);
      for (const model of ['orders', 'requests', 'sales_daily']) {
        const row = lines.find((line) => line.startsWith(`${model} `));
        expect(row).toMatch(
          new RegExp(`^${model}\\s+\\d+\\s+\\d{4}-\\d\\d-\\d\\dT\\S+\\s+\\d+\\s+\\d+\\s+\\d+\\.\\d\\d$`),
        );
      }
    });

    it('verifies a read model, finds a tampered document, and a rebuild repairs it', async () => {
      await orderStatus(ORDER, 'Paid');
      const clean = await admin('projections', 'verify', 'orders');
      expect(clean.stdout).toMatch(/^orders matches its history: \d+ documents? checked/);
      expect(clean.code).toBe(0);

      // Tampered only once the live synchronizer has applied every event: a later event of this order would
      // otherwise rewrite the document from what the synchronizer remembers.
      await eventually(async () =>
        (await pipeline.synchronizers?.lag('orders'))?.events === 0 ? true : undefined,
      );
      await pipeline.db
        .collection('orders')
        .updateOne({ _id: ORDER as never }, { $set: { status: 'Cancelled' } });
      const tampered = await admin('projections', 'verify', 'orders');
      expect(tampered.code).toBe(1);
      expect(tampered.stderr).toContain('orders differs from its history: 1 difference (1 different)');
      expect(tampered.stderr).toMatch(new RegExp(`${ORDER}\\s+different\\s+status`));
      expect(tampered.stderr).toContain('npm run admin -- projections rebuild orders');

      const rebuilt = await admin('projections', 'rebuild', 'orders');
      expect(rebuilt.code).toBe(0);
      expect(rebuilt.stdout).toMatch(
        /^Rebuilt orders: \d+ events applied, \d+ documents?, up to position \d+/,
      );
      const order = await pipeline.db.collection('orders').findOne({ _id: ORDER as never });
      expect(order?.status).toBe('Paid');
    });
  });
});
