import {
  jsonEvent,
  type EventStoreDBClient,
  persistentSubscriptionToStreamSettingsFromDefaults,
  START,
} from '@eventstore/db-client';
import {
  startPersistentTestServer,
  type PersistentTestServer,
} from '../../devstack/eventstore/persistent/test-server';
import { eventually } from '../../lib/eventually';
import { createLogger } from '../../lib/logger';
import { eventStoreOutcomeRecorder } from './outcome-recorder';
import { readRequestHistory, type RecordedOutcome } from './request-history';
import { serverParkOutcome, watchServerParks } from './server-parks';

const silent = createLogger('test', { level: 'silent' });
const parkedAt = new Date('2026-12-03T10:00:05.000Z');
const entry = {
  revision: 0n,
  parkedAt,
  serverReason: 'Retry count exceeded',
  target: {
    eventId: 'in-1',
    type: 'ShopDataReceived',
    streamId: 'shop-input',
    revision: 3n,
    created: new Date('2026-12-03T10:00:00.000Z'),
    data: {},
    metadata: { $correlationId: 'r-1', applies: 'Payment', profile: 'web/v1' },
  },
};
const outcome = (type: string, data: Record<string, unknown>, revision: bigint): RecordedOutcome => ({
  type,
  data: { inputEventId: 'in-1', ...data },
  created: parkedAt,
  revision,
});

describe('a park only the server saw', () => {
  it('is recorded on the request with the server reason, its retries and the first attempt on record', () => {
    const waiting = outcome('ShopDataWaiting', { waitingAt: '2026-12-03T10:00:01.000Z' }, 0n);
    expect(serverParkOutcome(entry, [waiting], 4)).toEqual({
      type: 'ShopDataParked',
      data: {
        requestId: 'r-1',
        inputEventId: 'in-1',
        applies: 'Payment',
        profile: 'web/v1',
        reason: 'Retry count exceeded',
        parkedAt: parkedAt.toISOString(),
        retryCount: 4,
        firstAttemptAt: '2026-12-03T10:00:01.000Z',
        lastAttemptAt: parkedAt.toISOString(),
      },
    });
  });

  it('adds nothing when the processor recorded the park itself, or the request is settled', () => {
    expect(serverParkOutcome(entry, [outcome('ShopDataParked', {}, 0n)], 4)).toBeUndefined();
    expect(serverParkOutcome(entry, [outcome('ShopDataProcessed', {}, 0n)], 4)).toBeUndefined();
    expect(serverParkOutcome({ ...entry, target: undefined }, [], 4)).toBeUndefined();
  });

  it('names the original message of a replayed copy', () => {
    const copy = { ...entry, target: { ...entry.target, eventId: 'copy-1', metadata: { replayOf: 'in-1' } } };
    expect(serverParkOutcome(copy, [], 4)?.data).toMatchObject({ requestId: 'copy-1', inputEventId: 'in-1' });
  });
});

describe('processing records the parks the server makes', () => {
  let server: PersistentTestServer;
  let client: EventStoreDBClient;
  beforeAll(async () => {
    server = await startPersistentTestServer();
    client = server.client;
  });
  afterAll(() => server.close());

  it('once per park, however many processors watch the parked stream, and again after a restart', async () => {
    const names = { inputStream: 'shop-input', processingGroup: 'shop-processing' };
    await client.createPersistentSubscriptionToStream(
      names.inputStream,
      names.processingGroup,
      persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START, maxRetryCount: 1 }),
    );
    const requests = ['r-a', 'r-b', 'r-c'];
    await client.appendToStream(
      names.inputStream,
      requests.map((requestId) =>
        jsonEvent({
          type: 'ShopDataReceived',
          data: { action: 'pay' },
          metadata: { $correlationId: requestId, applies: 'Payment', profile: 'web/v1' },
        }),
      ),
    );
    // A consumer that never settles anything: the server parks each message once its retries run out.
    const consumer = client.subscribeToPersistentSubscriptionToStream(
      names.inputStream,
      names.processingGroup,
    );
    consumer.on('data', (event) => void consumer.nack('retry', 'crashing', event).catch(() => undefined));
    consumer.on('error', () => undefined);
    const outcomes = eventStoreOutcomeRecorder(client);
    const watchers = [1, 2, 3].map(() =>
      watchServerParks({ client, outcomes, names, logger: silent, retryCount: 1 }),
    );
    const parks = async (requestId: string) =>
      (await readRequestHistory(client, requestId)).filter((o) => o.type === 'ShopDataParked');
    try {
      for (const requestId of requests) {
        const [park] = await eventually(async () => {
          const found = await parks(requestId);
          return found.length > 0 ? found : undefined;
        }, 20_000);
        expect(park?.data).toMatchObject({ requestId, retryCount: 1, applies: 'Payment', profile: 'web/v1' });
        expect(typeof park?.data.reason).toBe('string');
      }
    } finally {
      await consumer.unsubscribe();
      await Promise.all(watchers.map((watcher) => watcher.stop()));
    }
    // A restarted processor reads the parked stream from its start and finds every park already recorded.
    const restarted = watchServerParks({ client, outcomes, names, logger: silent, retryCount: 1 });
    await eventually(() => (restarted.examined() === 3 ? true : undefined));
    await restarted.stop();
    for (const requestId of requests) expect(await parks(requestId)).toHaveLength(1);
  }, 30_000);
});
