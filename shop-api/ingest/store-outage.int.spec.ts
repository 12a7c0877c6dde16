import { EventStoreDBClient } from '@eventstore/db-client';
import { startEventStore } from '../../devstack/eventstore';
import { listen, type Listening } from '../../lib/http';
import { createLogger } from '../../lib/logger';
import { createMetricsRegistry } from '../../lib/metrics';
import { eventually } from '../../lib/eventually';
import { postJson } from '../../tests/support/http-client';
import { NO_RATE_LIMIT, testAuthenticator } from '../../tests/support/test-keys';
import { createShopApi } from '../app';
import { eventStoreInputPublisher } from './input-publisher';

const silent = createLogger('test', { level: 'silent' });
const shopData = { applies: 'Order', source: 'web', profile: 'web/v1', action: 'cancel', orderId: 'o-1' };

describe('the gateway while EventStoreDB is unreachable', () => {
  let store: Awaited<ReturnType<typeof startEventStore>> | undefined;
  let client: EventStoreDBClient;
  let api: Listening;
  let url: string;

  beforeAll(async () => {
    store = await startEventStore({ port: 0, logger: silent });
    client = EventStoreDBClient.connectionString(store.connectionString);
    const app = createShopApi({
      publisher: eventStoreInputPublisher(client, 'shop-input'),
      logger: silent,
      registry: createMetricsRegistry('shop-api'),
      maxBodyBytes: 1024 * 1024,
      checks: {},
      authenticator: testAuthenticator(),
      ingestRateLimit: NO_RATE_LIMIT,
    });
    api = await listen(app, 0, '127.0.0.1', 'PORT');
    url = `http://127.0.0.1:${api.port}`;
  });

  afterAll(async () => {
    await api.close();
    await client.dispose();
    await store?.close();
  });

  it('answers 503 saying nothing was stored, then serves again when the store is back', async () => {
    expect((await postJson(url, '/shop/api/v1', shopData)).status).toBe(202);
    const port = store!.port;
    await store!.close();
    store = undefined;

    const down = await postJson(url, '/shop/api/v1', shopData);
    expect(down.status).toBe(503);
    expect(down.contentType).toMatch(/problem\+json/);
    expect((down.body as { detail: string }).detail).toMatch(/NOT stored/);

    store = await startEventStore({ port, logger: silent });
    const up = await eventually(
      async () => {
        const reply = await postJson(url, '/shop/api/v1', shopData);
        return reply.status === 202 ? reply : undefined;
      },
      15_000,
      200,
    );
    expect(up.body).toEqual({ requestId: expect.any(String) });
  });
});
