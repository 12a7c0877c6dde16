import { EventStoreDBClient, StreamNotFoundError } from '@eventstore/db-client';
import { startEventStore } from '../../devstack/eventstore';
import { listen, type Listening } from '../../lib/http';
import { createLogger } from '../../lib/logger';
import { createMetricsRegistry } from '../../lib/metrics';
import { postJson, type HttpReply } from '../../tests/support/http-client';
import { NO_RATE_LIMIT, testAuthenticator } from '../../tests/support/test-keys';
import { createShopApi } from '../app';
import {
  DEFAULT_APPEND_BATCH_LIMITS,
  eventStoreInputPublisher,
  type InputPublisher,
} from './input-publisher';

// Many POSTs at once: their appends are coalesced into few batches, yet each request keeps its own answer.
jest.setTimeout(60_000);

const INPUT = 'shop-input';
const REQUESTS = 150;
/** Small enough that a batch of ordinary orders exceeds it, large enough for any one of them alone. */
const MAX_APPEND_SIZE = 2_000;
const silent = createLogger('shop-api', { level: 'silent' });

const place = (orderId: string, customerName = 'Ada') => ({
  applies: 'Order',
  source: 'web',
  profile: 'web/v1',
  action: 'place',
  orderId,
  customer: { id: 'c-1', name: customerName },
  lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: '2.50' }],
  currency: 'EUR',
});

async function storedInput(client: EventStoreDBClient) {
  const events: { id: string; orderId: unknown }[] = [];
  try {
    for await (const { event } of client.readStream(INPUT)) {
      events.push({ id: event!.id, orderId: (event!.data as { orderId?: unknown }).orderId });
    }
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return events;
}

/**
 * Holds the first append to the input stream until `publish` has been called `count` times, so the other
 * requests are certainly waiting behind it (on a fast machine they might otherwise each find the store idle).
 */
function holdFirstAppendUntilPublished(client: EventStoreDBClient, publisher: InputPublisher) {
  let published = 0;
  let target = Number.POSITIVE_INFINITY;
  let open!: () => void;
  const allPublished = new Promise<void>((resolve) => (open = resolve));
  const append = client.appendToStream.bind(client) as (...args: unknown[]) => Promise<unknown>;
  const appends = jest.spyOn(client, 'appendToStream').mockImplementation((async (...args: unknown[]) => {
    if (args[0] === INPUT && target !== Number.POSITIVE_INFINITY) await allPublished;
    return append(...args);
  }) as never);
  const counting: InputPublisher = {
    publish(...args) {
      if (++published === target) open();
      return publisher.publish(...args);
    },
  };
  return {
    appends,
    publisher: counting,
    holdUntil(count: number) {
      published = 0;
      target = count;
    },
  };
}

/** The gateway on its own port, publishing through `publisher`. */
async function startApi(publisher: InputPublisher): Promise<Listening> {
  const app = createShopApi({
    publisher,
    logger: silent,
    registry: createMetricsRegistry('shop-api'),
    maxBodyBytes: 64 * 1024,
    checks: {},
    authenticator: testAuthenticator(),
    ingestRateLimit: NO_RATE_LIMIT,
  });
  return listen(app, 0, '127.0.0.1', 'PORT');
}

describe.each([
  {
    bounds: "batches bounded by the store's append size",
    limits: { maxEvents: 200, maxBytes: MAX_APPEND_SIZE },
    coalesces: true,
  },
  {
    // The store refuses every batch: each event goes again alone and is answered for itself.
    bounds: 'batches larger than the store accepts',
    limits: DEFAULT_APPEND_BATCH_LIMITS,
    coalesces: false,
  },
])('concurrent POSTs with coalesced appends, $bounds', ({ limits, coalesces }) => {
  let store: Awaited<ReturnType<typeof startEventStore>>;
  let client: EventStoreDBClient;
  let api: Listening;
  let url: string;
  let held: ReturnType<typeof holdFirstAppendUntilPublished>;

  beforeAll(async () => {
    store = await startEventStore({ port: 0, logger: silent, maxAppendSize: MAX_APPEND_SIZE });
    client = EventStoreDBClient.connectionString(store.connectionString);
    held = holdFirstAppendUntilPublished(client, eventStoreInputPublisher(client, INPUT, limits));
    api = await startApi(held.publisher);
    url = `http://127.0.0.1:${api.port}`;
  });
  afterAll(async () => {
    await api.close();
    await client.dispose();
    await store.close();
  });

  it('stores every accepted request exactly once under its own id, and answers each request for itself', async () => {
    // Every tenth order is too large for the store on its own; every seventh reuses a key with another body.
    const tooLarge = (i: number) => i % 10 === 3;
    const reusesKey = (i: number) => i % 7 === 5;
    const keyed = { 'idempotency-key': 'shared-key' };
    const first = await postJson(url, '/shop/api/v1', place('o-keyed'), keyed);
    expect(first.status).toBe(202);
    const before = (await storedInput(client)).length;
    held.appends.mockClear();
    held.holdUntil(REQUESTS);

    const replies: HttpReply[] = await Promise.all(
      Array.from({ length: REQUESTS }, (_, i) => {
        const orderId = `o-race-${i}`;
        if (tooLarge(i)) return postJson(url, '/shop/api/v1', place(orderId, 'A'.repeat(MAX_APPEND_SIZE)));
        if (reusesKey(i)) return postJson(url, '/shop/api/v1', place(orderId), keyed);
        return postJson(url, '/shop/api/v1', place(orderId));
      }),
    );

    const expected = replies.map((_, i) => (tooLarge(i) ? 413 : reusesKey(i) ? 422 : 202));
    expect(replies.map((reply) => reply.status)).toEqual(expected);
    const acceptedIds = replies.flatMap((reply, i) =>
      reply.status === 202
        ? [{ id: (reply.body as { requestId: string }).requestId, orderId: `o-race-${i}` }]
        : [],
    );
    expect(new Set(acceptedIds.map((accepted) => accepted.id)).size).toBe(acceptedIds.length);

    const stored = (await storedInput(client)).slice(before);
    // Exactly the accepted requests, each once, each under its requestId with its own body; nothing refused.
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    expect([...stored].sort(byId)).toEqual([...acceptedIds].sort(byId));
    const inputAppends = held.appends.mock.calls.filter(([stream]) => stream === INPUT).length;
    if (coalesces) expect(inputAppends).toBeLessThan(acceptedIds.length);
    else expect(inputAppends).toBeGreaterThan(acceptedIds.length);
  });
});
