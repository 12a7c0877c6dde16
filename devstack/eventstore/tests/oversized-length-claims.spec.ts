import { jsonEvent } from '@eventstore/db-client';
import { Client, credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { collect, startHarness, type Harness } from './harness';

/**
 * A few bytes whose protobuf declares a field far longer than the message: before decoding, the server must
 * refuse them at once with a gRPC status, never spend time proportional to the claimed length.
 */

/** 2^27 bytes: big enough that decoding up to the claim visibly blocks (about a second), small enough to end. */
const CLAIM = 2 ** 27;
/** Far below what decoding up to the claim costs; generous for a loaded machine. */
const PROMPT_MS = 250;

function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return bytes;
}

const FIELD_1_DELIMITED = 0x0a;
const FIELD_3_DELIMITED = 0x1a;
const FILLER = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/** `ReadReq.options` claims `CLAIM` bytes. */
const topLevelClaim = Buffer.from([FIELD_1_DELIMITED, ...varint(CLAIM), ...FILLER]);
/** `ReadReq.options.stream` (inside a correctly sized `options`) claims `CLAIM` bytes. */
const nestedClaim = Buffer.from([FIELD_1_DELIMITED, 6, FIELD_1_DELIMITED, ...varint(CLAIM), 1]);
/** `GetInfoReq.options.group_name`, a string, claims `CLAIM` bytes. */
const stringClaim = Buffer.from([FIELD_1_DELIMITED, 6, FIELD_3_DELIMITED, ...varint(CLAIM), 0x67]);
/** 4 GiB claimed in 21 bytes on the wire (5-byte gRPC prefix + 16). */
const fourGigabyteClaim = Buffer.from([FIELD_1_DELIMITED, 0xff, 0xff, 0xff, 0xff, 0x0f, ...FILLER]);

let harness: Harness;
let raw: Client;
beforeAll(async () => {
  harness = await startHarness();
  raw = new Client(`127.0.0.1:${harness.server.port}`, credentials.createInsecure());
  // Connect first, so the timings measure the server's answer only.
  await new Promise<void>((resolve, reject) =>
    raw.waitForReady(Date.now() + 5_000, (error) => (error ? reject(error) : resolve())),
  );
});
afterAll(async () => {
  raw.close();
  await harness.close();
});

const identity = (buffer: Buffer): Buffer => buffer;

function serverStreaming(path: string, body: Buffer): Promise<ServiceError> {
  return new Promise((resolve, reject) => {
    const call = raw.makeServerStreamRequest(path, identity, identity, body, new Metadata(), {});
    call.on('data', () => reject(new Error('a reply to a malformed request')));
    call.on('error', resolve);
    call.on('end', () => reject(new Error('ended without an error')));
  });
}

function unary(path: string, body: Buffer): Promise<ServiceError | null> {
  return new Promise((resolve) =>
    raw.makeUnaryRequest(path, identity, identity, body, new Metadata(), {}, (error) => resolve(error)),
  );
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

const READ = '/event_store.client.streams.Streams/Read';
const GET_INFO = '/event_store.client.persistent_subscriptions.PersistentSubscriptions/GetInfo';

it.each([
  ['a top-level field', topLevelClaim],
  ['a nested message', nestedClaim],
])('refuses a read whose %s claims more bytes than the message holds', async (_, body) => {
  const { result, ms } = await timed(() => serverStreaming(READ, body));
  expect(result.code).toBe(status.INTERNAL);
  expect(ms).toBeLessThan(PROMPT_MS);
});

it('refuses a unary request whose string claims more bytes than the message holds', async () => {
  const { result, ms } = await timed(() => unary(GET_INFO, stringClaim));
  expect(result?.code).toBe(status.INTERNAL);
  expect(ms).toBeLessThan(PROMPT_MS);
});

it('refuses a 4 GiB claim in 21 bytes and keeps serving', async () => {
  const { result, ms } = await timed(() => serverStreaming(READ, fourGigabyteClaim));
  expect(result.code).toBe(status.INTERNAL);
  expect(ms).toBeLessThan(PROMPT_MS);
  await harness.client.appendToStream('after-claims', jsonEvent({ type: 'Still', data: {} }));
  expect(await collect(harness.client.readStream('after-claims'))).toHaveLength(1);
});
