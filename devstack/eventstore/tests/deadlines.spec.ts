import { DeadlineExceededError, jsonEvent, StreamNotFoundError } from '@eventstore/db-client';
import { collect, startHarness, type Harness } from './harness';

/**
 * A deadline that has passed when the server looks at the call: it must end as the client's deadline error and
 * must not be carried out. (The client checks nothing itself on BatchAppend, its default append path: the call
 * has no gRPC deadline, only the per-append one in the request.)
 */
const ALREADY_PASSED_MS = -1_000;

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

async function expectNotWritten(stream: string): Promise<void> {
  await expect(collect(harness.client.readStream(stream))).rejects.toBeInstanceOf(StreamNotFoundError);
}

it('an append over BatchAppend past its deadline fails with DeadlineExceededError and writes nothing', async () => {
  await expect(
    harness.client.appendToStream('late-batch', jsonEvent({ type: 'Late', data: {} }), {
      deadline: ALREADY_PASSED_MS,
    }),
  ).rejects.toBeInstanceOf(DeadlineExceededError);
  await expectNotWritten('late-batch');
  // The shared BatchAppend call still serves the next append.
  await harness.client.appendToStream('late-batch', jsonEvent({ type: 'OnTime', data: {} }));
  expect(await collect(harness.client.readStream('late-batch'))).toHaveLength(1);
});

it('an append over Append past its deadline fails with DeadlineExceededError and writes nothing', async () => {
  // Per-call credentials make the client use the unary Append (they are not checked without TLS).
  await expect(
    harness.client.appendToStream('late-unary', jsonEvent({ type: 'Late', data: {} }), {
      deadline: ALREADY_PASSED_MS,
      credentials: { username: 'x', password: 'y' },
    }),
  ).rejects.toBeInstanceOf(DeadlineExceededError);
  await expectNotWritten('late-unary');
});

it('management calls past their deadline fail with DeadlineExceededError', async () => {
  await expect(
    harness.client.getPersistentSubscriptionToStreamInfo('late', 'g', { deadline: ALREADY_PASSED_MS }),
  ).rejects.toBeInstanceOf(DeadlineExceededError);
  await expect(harness.client.deleteStream('late', { deadline: ALREADY_PASSED_MS })).rejects.toBeInstanceOf(
    DeadlineExceededError,
  );
});
