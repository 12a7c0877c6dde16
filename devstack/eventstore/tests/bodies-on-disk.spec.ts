import {
  BACKWARDS,
  binaryEvent,
  END,
  START,
  type AllStreamResolvedEvent,
  type EventStoreDBClient,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStoreOptions } from '..';
import { collect, STANDARD_PROJECTIONS_RUNNING, startHarness, type Harness } from './harness';

// With a dbDir the server keeps only its index in memory and reads every body back from events.log: these specs
// check the bytes that come back, after a restart and while appends land, against what was appended.

interface Appended {
  readonly streamId: string;
  readonly type: string;
  readonly data: Buffer;
  readonly metadata: Buffer;
}

/** Large enough that the file spans several 8 MiB recovery chunks and 1 MiB read spans. */
const BIG_EVENT_BYTES = 700 * 1024;
const BIG_EVENTS = 14;
/** After the restart the body cache is empty: every one of these is read from the file. */
const SMALL_EVENTS = 3_000;
const BATCH = 50;

// Tens of thousands of events go through the official client several times, on a possibly busy machine.
jest.setTimeout(180_000);

let dir: string;
let harness: Harness | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'esdb-bodies-'));
});
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function restart(options: EventStoreOptions = {}): Promise<EventStoreDBClient> {
  await harness?.close();
  harness = await startHarness({ dbDir: dir, ...options });
  return harness.client;
}

function proposed(model: Map<string, Appended>, streamId: string, type: string, size: number) {
  const id = randomUUID();
  // The client hands back metadata that parses as JSON parsed, and empty metadata as undefined: 0xff avoids both.
  const metadata = Buffer.concat([Buffer.from([0xff]), randomBytes(size % 97)]);
  const body = { streamId, type, data: randomBytes(size), metadata };
  model.set(id, body);
  return binaryEvent({ id, type, data: body.data, metadata: body.metadata });
}

/** The event is exactly what was appended with its id (stream, type, data and metadata bytes). */
function expectAsAppended(model: Map<string, Appended>, resolved: ResolvedEvent | AllStreamResolvedEvent) {
  const event = resolved.event;
  const appended = event && model.get(event.id);
  expect(appended).toBeDefined();
  if (!event || !appended) return;
  expect(event.streamId).toBe(appended.streamId);
  expect(event.type).toBe(appended.type);
  expect(Buffer.from(event.data as Uint8Array).equals(appended.data)).toBe(true);
  expect(Buffer.from(event.metadata as Uint8Array).equals(appended.metadata)).toBe(true);
}

const ownEvents = (events: readonly AllStreamResolvedEvent[], prefix: string) =>
  events.filter((resolved) => resolved.event?.streamId.startsWith(prefix));

const summary = (events: readonly (ResolvedEvent | AllStreamResolvedEvent)[]) =>
  events.map((resolved) => ({
    id: resolved.event?.id,
    revision: resolved.event?.revision,
    position: resolved.event?.position?.commit,
  }));

async function takeFromAll(client: EventStoreDBClient, count: number): Promise<AllStreamResolvedEvent[]> {
  const subscription = client.subscribeToAll({ fromPosition: START });
  const events: AllStreamResolvedEvent[] = [];
  for await (const event of subscription) {
    events.push(event);
    if (events.length === count) break;
  }
  await subscription.unsubscribe();
  return events;
}

it('reads every body back from the file after a restart: $all both ways, streams, links, subscriptions', async () => {
  let client = await restart(STANDARD_PROJECTIONS_RUNNING);
  const model = new Map<string, Appended>();
  for (let batch = 0; batch < SMALL_EVENTS / BATCH; batch++) {
    const streamId = `disk-${batch % 40}`;
    const events = Array.from({ length: BATCH }, (_, at) =>
      proposed(model, streamId, `Small${at % 3}`, ((batch * BATCH + at) * 7919) % 400),
    );
    await client.appendToStream(streamId, events);
  }
  for (let big = 0; big < BIG_EVENTS; big++) {
    await client.appendToStream('disk-big', proposed(model, 'disk-big', 'Big', BIG_EVENT_BYTES + big));
  }
  const before = await collect(client.readAll({ fromPosition: START }));

  client = await restart(STANDARD_PROJECTIONS_RUNNING);
  const forwards = await collect(client.readAll({ fromPosition: START }));
  expect(summary(forwards)).toEqual(summary(before));
  const own = ownEvents(forwards, 'disk-');
  expect(own).toHaveLength(model.size);
  own.forEach((event) => expectAsAppended(model, event));

  const backwards = await collect(client.readAll({ fromPosition: END, direction: BACKWARDS }));
  expect(summary(backwards)).toEqual(summary(forwards).reverse());

  for (const streamId of ['disk-0', 'disk-39', 'disk-big']) {
    const stream = await collect(client.readStream(streamId));
    expect(summary(stream)).toEqual(summary(own.filter((event) => event.event?.streamId === streamId)));
    stream.forEach((event) => expectAsAppended(model, event));
    const reversed = await collect(client.readStream(streamId, { direction: BACKWARDS, fromRevision: END }));
    expect(summary(reversed)).toEqual(summary(stream).reverse());
  }

  const category = await collect(client.readStream('$ce-disk', { resolveLinkTos: true }));
  expect(category.map((event) => event.event?.id)).toEqual(own.map((event) => event.event?.id));
  category.forEach((event) => expectAsAppended(model, event));

  const subscribed = await takeFromAll(client, forwards.length);
  expect(summary(subscribed)).toEqual(summary(forwards));
  ownEvents(subscribed, 'disk-').forEach((event) => expectAsAppended(model, event));
});

it('answers an idempotent re-append after a restart from the ids on disk', async () => {
  let client = await restart();
  const model = new Map<string, Appended>();
  const first = Array.from({ length: 5 }, () => proposed(model, 'idem', 'Once', 64));
  await client.appendToStream('idem', first, { expectedRevision: 'no_stream' });
  await client.appendToStream('idem', proposed(model, 'idem', 'Later', 64));

  client = await restart();
  const retried = await client.appendToStream('idem', first, { expectedRevision: 'no_stream' });
  expect(retried.nextExpectedRevision).toBe(4n);
  const stream = await collect(client.readStream('idem'));
  expect(stream.map((event) => event.event?.type)).toEqual(['Once', 'Once', 'Once', 'Once', 'Once', 'Later']);
});

it('serves consistent bodies to readers and a subscriber while appends land, and the same after a restart', async () => {
  let client = await restart();
  const model = new Map<string, Appended>();
  for (let batch = 0; batch < 60; batch++) {
    const events = Array.from({ length: BATCH }, (_, at) =>
      proposed(model, 'race-pre', 'Pre', (at * 31) % 300),
    );
    await client.appendToStream('race-pre', events);
  }
  const writers = 4;
  const batchesPerWriter = 30;
  const total = model.size + writers * batchesPerWriter * 20;
  const subscribed = takeFromAll(client, total);
  let writing = true;
  const writes = Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let batch = 0; batch < batchesPerWriter; batch++) {
        const events = Array.from({ length: 20 }, (_, at) =>
          proposed(model, `race-${writer}`, 'Live', (batch * 53 + at * 17) % 2000),
        );
        await client.appendToStream(`race-${writer}`, events);
      }
    }),
  ).finally(() => (writing = false));
  let reads = 0;
  const readers = Array.from({ length: 2 }, async (_, reader) => {
    while (writing) {
      const page = await collect(client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 200 }));
      page.forEach((event) => expectAsAppended(model, event));
      const stream = await collect(client.readStream(`race-${(reads + reader) % writers}`)).catch(() => []);
      stream.forEach((event) => expectAsAppended(model, event));
      reads++;
    }
  });
  await writes;
  await Promise.all(readers);
  expect(reads).toBeGreaterThan(0);

  const live = await subscribed;
  live.forEach((event) => expectAsAppended(model, event));
  const positions = live.map((event) => event.event?.position?.commit ?? -1n);
  expect(positions.every((position, at) => at === 0 || position > (positions[at - 1] ?? -1n))).toBe(true);
  const all = await collect(client.readAll({ fromPosition: START }));
  expect(summary(live)).toEqual(summary(all));

  client = await restart();
  const reread = await collect(client.readAll({ fromPosition: START }));
  expect(summary(reread)).toEqual(summary(all));
  reread.forEach((event) => expectAsAppended(model, event));
});
