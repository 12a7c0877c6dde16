import { jsonEvent } from '@eventstore/db-client';
import { startHarness, type Harness } from './harness';

/**
 * A `return` inside `for await (… of client.readStream(…))` while the server still has most of the stream to
 * send, and the client left connected: the server's close must not wait on that call (a hang fails by timeout).
 */

const EVENTS = 3000;
const BATCH = 500;

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
  for (let start = 0; start < EVENTS; start += BATCH) {
    const events = Array.from({ length: BATCH }, (_, i) =>
      jsonEvent({ type: 'Big', data: { n: start + i, pad: 'x'.repeat(200) } }),
    );
    await harness.client.appendToStream('big', events);
  }
});

async function firstOf<T>(iterable: AsyncIterable<T>): Promise<T | undefined> {
  for await (const item of iterable) return item;
  return undefined;
}

it('closes the server after a read loop returned early, its client still connected', async () => {
  expect(await firstOf(harness.client.readStream('big'))).toBeDefined();
  expect(await firstOf(harness.client.readAll())).toBeDefined();
  await harness.server.close();
  await harness.client.dispose();
});
