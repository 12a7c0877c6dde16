import { startEventStore, type RunningEventStore } from '../../devstack/eventstore';
import { startMongo, type MongoServerHandle } from '../../devstack/mongo';
import { createLogger } from '../../lib/logger';
import { http, postJson } from '../support/http-client';
import { eventually } from '../../lib/eventually';
import { startService, type RunningService } from './processes';
import { listeningPort, logLines, sample } from './service-probe';

// The three real service processes (tsx <service>/main.ts) against in-process embedded servers.
jest.setTimeout(90_000);

const API = '/shop/api/v1';
const SHUTDOWN_TIMEOUT_MS = '3000';

interface Running {
  readonly process: RunningService;
  url: string;
}

describe('the services operated as processes', () => {
  let eventstore: RunningEventStore;
  let mongo: MongoServerHandle;
  let mongoClosed = false;
  let eventstoreClosed = false;
  const services: Record<'shopApi' | 'processing' | 'synchronizers', Running> = {} as never;

  beforeAll(async () => {
    const logger = createLogger('ops-test', { level: 'silent' });
    eventstore = await startEventStore({ port: 0, logger });
    mongo = await startMongo({ port: 0, logger });
    const common = {
      ESDB_CONNECTION_STRING: eventstore.connectionString,
      LOG_LEVEL: 'info',
      SHUTDOWN_TIMEOUT_MS,
    };
    const mongoUrl = `${mongo.url}/shop`;
    const started = {
      shopApi: startService('shop-api/main.ts', { ...common, MONGO_URL: mongoUrl, PORT: '0' }),
      processing: startService('processing/main.ts', {
        ...common,
        MONGO_URL: mongoUrl,
        PROCESSING_PORT: '0',
        PROCESSING_MAX_RETRY: '1',
        PROCESSING_WAIT_WINDOW_MS: '300',
      }),
      synchronizers: startService('synchronizers/main.ts', {
        ...common,
        MONGO_URL: mongoUrl,
        SYNCHRONIZERS_PORT: '0',
      }),
    };
    const [api, processing, synchronizers] = await Promise.all([
      listeningPort(started.shopApi, 'shop-api listening'),
      listeningPort(started.processing, 'processing started'),
      listeningPort(started.synchronizers, 'synchronizers started'),
    ]);
    services.shopApi = { process: started.shopApi, url: `http://127.0.0.1:${api}` };
    services.processing = { process: started.processing, url: `http://127.0.0.1:${processing}` };
    services.synchronizers = { process: started.synchronizers, url: `http://127.0.0.1:${synchronizers}` };
  });

  afterAll(async () => {
    await Promise.all(Object.values(services).map(({ process }) => process.stop()));
    if (!mongoClosed) await mongo?.close();
    if (!eventstoreClosed) await eventstore?.close();
  });

  const each = () => Object.entries<Running>(services);

  it('every service answers /health while alive', async () => {
    for (const [name, service] of each()) {
      const reply = await http(service.url, '/health');
      expect({ name, status: reply.status, body: reply.body }).toEqual({
        name,
        status: 200,
        body: { status: 'ok' },
      });
    }
  });

  it('every service is ready once its dependencies answer and it has caught up', async () => {
    for (const [name, service] of each()) {
      const ready = await eventually(async () => {
        const reply = await http(service.url, '/ready');
        return reply.status === 200 ? reply.body : undefined;
      }, 30_000);
      expect({ name, ready }).toMatchObject({ name, ready: { status: 'ready' } });
    }
    expect(
      Object.keys(
        ((await http(services.synchronizers.url, '/ready')).body as { checks: object }).checks,
      ).sort(),
    ).toEqual(['eventstore', 'mongo', 'projections']);
  });

  describe('after an order is placed, a bad one rejected and an early payment parked', () => {
    let placedId: string;
    let rejectedId: string;
    beforeAll(async () => {
      const order = {
        applies: 'Order',
        source: 'web',
        profile: 'web/v1',
        action: 'place',
        customer: { id: 'c-1', name: 'Ada', email: 'ada@example.com' },
        currency: 'EUR',
        shippingAddress: { line1: '1 Main St', city: 'Berlin', postcode: '10115', country: 'DE' },
      };
      const placed = await postJson(services.shopApi.url, API, {
        ...order,
        orderId: 'o-ops-1',
        lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: '12.50' }],
      });
      const rejected = await postJson(services.shopApi.url, API, {
        ...order,
        orderId: 'o-ops-2',
        lines: [{ sku: 'SKU-1', quantity: -1, unitPrice: '12.50' }],
      });
      // PROCESSING_WAIT_WINDOW_MS is 300: a few retries, then parked.
      const early = await postJson(services.shopApi.url, API, {
        applies: 'Payment',
        source: 'web',
        profile: 'web/v1',
        action: 'pay',
        paymentId: 'p-ops-1',
        orderId: 'o-never',
        amount: '1.00',
        currency: 'EUR',
        method: 'card',
      });
      expect([placed.status, rejected.status, early.status]).toEqual([202, 202, 202]);
      placedId = (placed.body as { requestId: string }).requestId;
      rejectedId = (rejected.body as { requestId: string }).requestId;
      const earlyId = (early.body as { requestId: string }).requestId;
      for (const [id, status] of [
        [placedId, 'processed'],
        [rejectedId, 'rejected'],
        [earlyId, 'parked'],
      ] as const) {
        await eventually(async () => {
          const reply = await http(services.shopApi.url, `${API}/requests/${id}`);
          return (reply.body as { status?: string }).status === status ? true : undefined;
        }, 30_000);
      }
    });

    const metricsOf = async (service: Running) => {
      const reply = await http(service.url, '/metrics');
      expect(reply.status).toBe(200);
      expect(reply.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
      return reply.body as string;
    };

    it('shop-api counts requests by route and status and times ingestion', async () => {
      const metrics = await metricsOf(services.shopApi);
      const labels = { method: 'POST', route: '/shop/api/v1', status: '202', service: 'shop-api' };
      expect(sample(metrics, 'http_requests_total', labels)).toBe(3);
      expect(sample(metrics, 'shop_ingest_duration_seconds_count')).toBeGreaterThanOrEqual(3);
      expect(sample(metrics, 'http_request_duration_seconds_count', { route: '/shop/api/v1' })).toBe(3);
      expect(sample(metrics, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    });

    it('processing counts outcomes and times handling', async () => {
      const metrics = await metricsOf(services.processing);
      expect(
        sample(metrics, 'processing_messages_total', { outcome: 'processed', service: 'processing' }),
      ).toBe(1);
      expect(sample(metrics, 'processing_messages_total', { outcome: 'rejected' })).toBe(1);
      // The early payment waits twice (after 0 and 100 ms of the 300 ms window), then it is parked.
      expect(sample(metrics, 'processing_messages_total', { outcome: 'waiting' })).toBe(2);
      expect(sample(metrics, 'processing_messages_total', { outcome: 'parked' })).toBe(1);
      // Each delivery is timed: placed, rejected, and the early payment three times.
      expect(sample(metrics, 'processing_duration_seconds_count')).toBe(5);
      expect(sample(metrics, 'processing_in_flight')).toBe(0);
      // Named as KurrentDB names them, so one alert rule fits the server's metrics and these.
      const group = { event_stream_id: 'shop-input', group_name: 'shop-processing' };
      expect(sample(metrics, 'kurrentdb_persistent_sub_parked_messages', group)).toBe(1);
      const oldest = sample(metrics, 'kurrentdb_persistent_sub_oldest_parked_message_seconds', group);
      expect(oldest).toBeGreaterThan(0);
      expect(oldest).toBeLessThan(60);
    });

    it('synchronizers report applied events, lag and checkpoint per read model', async () => {
      await eventually(async () => {
        const metrics = await metricsOf(services.synchronizers);
        return sample(metrics, 'projection_lag_events', { read_model: 'orders' }) === 0 ? true : undefined;
      }, 20_000);
      const metrics = await metricsOf(services.synchronizers);
      for (const model of ['orders', 'requests', 'sales_daily']) {
        const labels = { read_model: model, service: 'synchronizers' };
        expect({ model, lag: sample(metrics, 'projection_lag_events', labels) }).toEqual({ model, lag: 0 });
        expect(sample(metrics, 'projection_lag_seconds', labels)).toBe(0);
        expect(sample(metrics, 'projection_checkpoint_position', labels)).toBeGreaterThan(0);
      }
      expect(
        sample(metrics, 'projection_events_applied_total', { read_model: 'orders' }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        sample(metrics, 'projection_events_applied_total', { read_model: 'requests' }),
      ).toBeGreaterThanOrEqual(3);
    });

    it('logs JSON lines carrying the correlation id of the request they concern', () => {
      const apiLines = logLines(services.shopApi.process).filter((l) => l.correlationId === placedId);
      expect(apiLines.length).toBeGreaterThan(0);
      expect(apiLines[0]).toMatchObject({ service: 'shop-api', level: 'info' });
      const processingLines = logLines(services.processing.process).filter(
        (l) => l.correlationId === rejectedId,
      );
      expect(processingLines).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ service: 'processing', reason: expect.any(String) }),
        ]),
      );
    });
  });

  describe('when a server goes away', () => {
    const readiness = async (service: Running) => {
      const reply = await http(service.url, '/ready');
      return {
        status: reply.status,
        body: reply.body as { checks: Record<string, { ok: boolean; detail?: string }> },
      };
    };

    it('synchronizers are not ready without MongoDB and name the failing check', async () => {
      await mongo.close();
      mongoClosed = true;
      const down = await eventually(async () => {
        const result = await readiness(services.synchronizers);
        return result.status === 503 ? result : undefined;
      }, 20_000);
      expect(down.body.checks.mongo).toMatchObject({ ok: false, detail: expect.any(String) });
      expect(down.body.checks.eventstore).toEqual({ ok: true });
      // The gateway can still accept shop data: only its query routes need MongoDB.
      expect((await readiness(services.shopApi)).status).toBe(200);
    });

    it('every service is not ready without EventStoreDB and names the failing check', async () => {
      await eventstore.close();
      eventstoreClosed = true;
      for (const [name, service] of each()) {
        const down = await eventually(async () => {
          const result = await readiness(service);
          return result.status === 503 && result.body.checks.eventstore?.ok === false ? result : undefined;
        }, 20_000);
        expect({ name, eventstore: down.body.checks.eventstore }).toMatchObject({
          name,
          eventstore: { ok: false, detail: expect.any(String) },
        });
      }
      // Still alive: readiness failing is not a crash.
      for (const [, service] of each()) expect((await http(service.url, '/health')).status).toBe(200);
    });
  });
});
