import {
  ANY,
  BACKWARDS,
  END,
  FORWARDS,
  jsonEvent,
  binaryEvent,
  NO_STREAM,
  persistentSubscriptionToStreamSettingsFromDefaults,
  START,
  STREAM_EXISTS,
  streamNameFilter,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type PersistentSubscriptionToStreamResolvedEvent,
} from '@eventstore/db-client';
import { Client, credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { eventually } from '../../../lib/eventually';
import { collect, startHarness, type Harness } from './harness';

/**
 * The requests the server decodes by hand (Streams.Read, Streams.BatchAppend, persistent Read), sent by the
 * official client over a real socket; and malformed ones sent raw.
 */

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

const placed = (n: number) => jsonEvent({ type: 'OrderPlaced', data: { n } });

describe('appends (BatchAppend)', () => {
  it('checks each expected revision form: no_stream, exact, stream_exists, any', async () => {
    const { client } = harness;
    expect(
      (await client.appendToStream('exp-1', placed(0), { expectedRevision: NO_STREAM })).nextExpectedRevision,
    ).toBe(0n);
    await expect(
      client.appendToStream('exp-1', placed(1), { expectedRevision: NO_STREAM }),
    ).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect(
      (await client.appendToStream('exp-1', placed(1), { expectedRevision: 0n })).nextExpectedRevision,
    ).toBe(1n);
    await expect(client.appendToStream('exp-1', placed(2), { expectedRevision: 0n })).rejects.toBeInstanceOf(
      WrongExpectedVersionError,
    );
    await expect(
      client.appendToStream('exp-absent', placed(0), { expectedRevision: STREAM_EXISTS }),
    ).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect(
      (await client.appendToStream('exp-1', placed(2), { expectedRevision: STREAM_EXISTS }))
        .nextExpectedRevision,
    ).toBe(2n);
    expect(
      (await client.appendToStream('exp-1', placed(3), { expectedRevision: ANY })).nextExpectedRevision,
    ).toBe(3n);
  });

  it('keeps the id, type, content type, custom metadata and data of each event', async () => {
    const { client } = harness;
    const id = '6f1c1e8a-9a63-4a4c-8f8e-2b1f4f3c2d10';
    await client.appendToStream('meta-1', [
      jsonEvent({ id, type: 'OrderPlaced', data: { total: 25 }, metadata: { causation: 'c-1' } }),
      binaryEvent({ type: 'Blob', data: Buffer.from([1, 2, 3]), metadata: Buffer.from('raw-ü') }),
    ]);
    const [json, binary] = await collect(harness.client.readStream('meta-1'));
    expect(json?.event).toMatchObject({
      id,
      type: 'OrderPlaced',
      isJson: true,
      data: { total: 25 },
      metadata: { causation: 'c-1' },
    });
    expect(binary?.event?.isJson).toBe(false);
    expect(Buffer.from(binary?.event?.data as Uint8Array)).toEqual(Buffer.from([1, 2, 3]));
    expect(Buffer.from(binary?.event?.metadata as Uint8Array).toString()).toBe('raw-ü');
  });
});

describe('reads (Streams.Read)', () => {
  beforeAll(async () => {
    await harness.client.appendToStream('read-1', [0, 1, 2, 3, 4].map(placed));
    await harness.client.appendToStream('other-1', jsonEvent({ type: 'Unrelated', data: {} }));
  });
  const ns = (events: { event?: { data: unknown } }[]) =>
    events.map((e) => (e.event?.data as { n: number }).n);

  it('reads a stream forwards and backwards from a revision, start or end, with a count', async () => {
    const { client } = harness;
    expect(ns(await collect(client.readStream('read-1', { fromRevision: 2n, maxCount: 2 })))).toEqual([2, 3]);
    expect(
      ns(
        await collect(client.readStream('read-1', { direction: BACKWARDS, fromRevision: END, maxCount: 2 })),
      ),
    ).toEqual([4, 3]);
    expect(
      ns(await collect(client.readStream('read-1', { direction: BACKWARDS, fromRevision: 1n }))),
    ).toEqual([1, 0]);
    expect(
      ns(await collect(client.readStream('read-1', { direction: FORWARDS, fromRevision: START }))),
    ).toEqual([0, 1, 2, 3, 4]);
  });

  it('reads $all forwards and backwards from a position', async () => {
    const { client } = harness;
    const all = await collect(client.readAll({ maxCount: 1000 }));
    const third = all.filter((e) => e.event?.streamId === 'read-1')[2]!.event!.position;
    const after = await collect(client.readAll({ fromPosition: third, maxCount: 2 }));
    expect(after.map((e) => e.event?.position.commit)).toEqual(
      all
        .slice(all.findIndex((e) => e.event?.position.commit === third.commit))
        .slice(0, 2)
        .map((e) => e.event?.position.commit),
    );
    const backwards = await collect(client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 }));
    expect(backwards[0]?.event?.streamId).toBe(all[all.length - 1]?.event?.streamId);
  });

  it('subscribes to $all with a stream filter: only the events that match', async () => {
    const { client } = harness;
    const seen: string[] = [];
    const subscription = client.subscribeToAll({
      fromPosition: START,
      filter: streamNameFilter({ regex: '^sub-' }),
    });
    subscription.on('data', (event: AllStreamResolvedEvent) => {
      if (event.event) seen.push(`${event.event.streamId}:${event.event.type}`);
    });
    await client.appendToStream('sub-1', jsonEvent({ type: 'Live', data: {} }));
    await client.appendToStream('nosub-1', jsonEvent({ type: 'Ignored', data: {} }));
    await client.appendToStream('sub-2', jsonEvent({ type: 'Live', data: {} }));
    await eventually(() => (seen.length === 2 ? true : undefined), 5000, 20);
    expect(seen).toEqual(['sub-1:Live', 'sub-2:Live']);
    await subscription.unsubscribe();
  });
});

describe('persistent subscription acks and nacks (persistent Read)', () => {
  it('acks, skips, retries and parks as the client asks', async () => {
    const { client } = harness;
    const settings = persistentSubscriptionToStreamSettingsFromDefaults({
      startFrom: START,
      maxRetryCount: 5,
    });
    await client.createPersistentSubscriptionToStream('nack-1', 'g', settings);
    await client.appendToStream(
      'nack-1',
      ['ack', 'skip', 'retry', 'park'].map((n) => jsonEvent({ type: 'T', data: { n } })),
    );
    const deliveries: string[] = [];
    const subscription = client.subscribeToPersistentSubscriptionToStream('nack-1', 'g');
    subscription.on('data', (event: PersistentSubscriptionToStreamResolvedEvent) => {
      const n = (event.event?.data as { n: string }).n;
      deliveries.push(`${n}#${event.retryCount}`);
      const done =
        n === 'ack' || (n === 'retry' && event.retryCount > 0)
          ? subscription.ack(event)
          : n === 'skip'
            ? subscription.nack('skip', 'not for us', event)
            : n === 'retry'
              ? subscription.nack('retry', 'later', event)
              : subscription.nack('park', 'poison', event);
      void done;
    });
    subscription.on('error', () => undefined);
    await eventually(
      async () => {
        const info = await client.getPersistentSubscriptionToStreamInfo('nack-1', 'g');
        return info.stats.parkedMessageCount === 1n && deliveries.includes('retry#1') ? true : undefined;
      },
      5000,
      20,
    );
    expect([...deliveries].sort()).toEqual(['ack#0', 'park#0', 'retry#0', 'retry#1', 'skip#0']);
    await subscription.unsubscribe();
  });
});

describe('malformed requests sent raw', () => {
  let raw: Client;
  beforeAll(() => {
    raw = new Client(`127.0.0.1:${harness.server.port}`, credentials.createInsecure());
  });
  afterAll(() => raw.close());
  const identity = (buffer: Buffer): Buffer => buffer;

  function firstStatus(path: string, body: Buffer, duplex: boolean): Promise<ServiceError> {
    return new Promise((resolve, reject) => {
      const metadata = new Metadata();
      const call = duplex
        ? raw.makeBidiStreamRequest(path, identity, identity, metadata, {})
        : raw.makeServerStreamRequest(path, identity, identity, body, metadata, {});
      if (duplex) {
        const writable = call as ReturnType<Client['makeBidiStreamRequest']>;
        writable.write(body);
        writable.end();
      }
      call.on('data', () => reject(new Error('a reply to a malformed request')));
      call.on('error', resolve);
      call.on('end', () => reject(new Error('ended without an error')));
    });
  }

  // Field 13 (unknown) claims length -7: google-protobuf moved back to the tag and looped there for ever.
  const negativeLength = Buffer.from([0x6a, 0xf9, 0xff, 0xff, 0xff, 0xff, 0x01]);
  // BatchAppendReq.correlation_id claims 5 bytes and has 2; ReadReq.options with count's varint cut off.
  const truncatedAppend = Buffer.from([0x0a, 0x05, 0x12, 0x01]);
  const truncatedRead = Buffer.from([0x0a, 0x02, 0x28, 0x80]);
  // options.count sent as a length-delimited field: a known field with another wire type.
  const wrongWireType = Buffer.from([0x0a, 0x03, 0x2a, 0x01, 0x41]);

  it.each([
    ['Streams/Read', 'a negative length', negativeLength, false],
    ['Streams/Read', 'a truncated varint', truncatedRead, false],
    ['Streams/Read', 'a wrong wire type', wrongWireType, false],
    ['Streams/BatchAppend', 'a truncated message', truncatedAppend, true],
    ['Streams/BatchAppend', 'a negative length', negativeLength, true],
  ])('answers %s with %s INTERNAL and keeps serving', async (method, _, body, duplex) => {
    const error = await firstStatus(`/event_store.client.streams.${method}`, body, duplex);
    expect(error.code).toBe(status.INTERNAL);
    await harness.client.appendToStream('after-malformed', placed(0));
  });

  it('answers a persistent Read with a negative length INTERNAL', async () => {
    const path = '/event_store.client.persistent_subscriptions.PersistentSubscriptions/Read';
    expect((await firstStatus(path, negativeLength, true)).code).toBe(status.INTERNAL);
  });
});
