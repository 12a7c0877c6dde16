import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { eventStoreCheck } from '../../lib/eventstore';
import { closedPort } from './processes';
import { openTestEventStore, uniqueName, type TestEventStore } from '../support/test-servers';

// `@eventstore/db-client` 6.2.1's dispose() waits, without limit, for every call it still tracks; a read the
// readiness check leaves half-consumed is one of them, and it made every service's shutdown hang.
const DISPOSE_BOUND_MS = 3000;

/** How long dispose() took, or undefined when it had not finished within `DISPOSE_BOUND_MS`. */
async function disposeTime(client: EventStoreDBClient): Promise<number | undefined> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<'hung'>(
    (resolve) => (timer = setTimeout(() => resolve('hung'), DISPOSE_BOUND_MS)),
  );
  const outcome = await Promise.race([client.dispose().then(() => 'disposed' as const), bound]);
  clearTimeout(timer);
  return outcome === 'disposed' ? Date.now() - started : undefined;
}

async function countOf(read: AsyncIterable<unknown>): Promise<number> {
  let count = 0;
  for await (const _ of read) count++;
  return count;
}

describe('the EventStoreDB readiness check', () => {
  let store: TestEventStore;
  const stream = uniqueName('readiness');

  beforeAll(async () => {
    store = await openTestEventStore();
    // $all must hold more than the one event the check reads, or its read ends by itself.
    await store.client.appendToStream(stream, [
      jsonEvent({ type: 'ReadinessProbed', data: { n: 1 } }),
      jsonEvent({ type: 'ReadinessProbed', data: { n: 2 } }),
    ]);
  });
  afterAll(() => store.close());

  it('is ok while the store answers, and leaves no call behind for dispose() to wait on', async () => {
    const client = EventStoreDBClient.connectionString(store.connectionString);
    expect(await eventStoreCheck(client)()).toEqual({ ok: true });
    // Another call afterwards, as a service keeps working after a probe: the probe's call has ended on the
    // server by the time this one answers, which is when an abandoned read starts to hold dispose().
    expect(await countOf(client.readStream(stream))).toBe(2);
    expect(await disposeTime(client)).toBeLessThan(1000);
  });

  it('stays ok when probed repeatedly and concurrently', async () => {
    const client = EventStoreDBClient.connectionString(store.connectionString);
    const checks = await Promise.all(Array.from({ length: 5 }, () => eventStoreCheck(client)()));
    expect(checks).toEqual(Array.from({ length: 5 }, () => ({ ok: true })));
    expect(await countOf(client.readStream(stream))).toBe(2);
    expect(await disposeTime(client)).toBeLessThan(1000);
  });

  it('is not ok, with the reason, when nothing listens, and dispose() still ends', async () => {
    const client = EventStoreDBClient.connectionString(`esdb://127.0.0.1:${await closedPort()}?tls=false`);
    const check = await eventStoreCheck(client, 500)();
    expect(check).toMatchObject({ ok: false, detail: expect.any(String) });
    expect(await disposeTime(client)).toBeLessThan(1000);
  });
});
