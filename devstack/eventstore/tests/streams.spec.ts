import {
  BACKWARDS,
  END,
  jsonEvent,
  NO_STREAM,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import { collect, startHarness, type Harness } from './harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

const event = (type: string, data: Record<string, unknown> = {}, id?: string) =>
  jsonEvent({ type, data, id });
const types = (events: ResolvedEvent[]) => events.map((e) => e.event?.type);

describe('append and read a stream', () => {
  it('appends with each expected revision kind and reads back in order', async () => {
    const { client } = harness;
    const first = await client.appendToStream('order-a', [event('A', { n: 1 }), event('B')], {
      expectedRevision: NO_STREAM,
    });
    expect(first.nextExpectedRevision).toBe(1n);
    await client.appendToStream('order-a', event('C'), { expectedRevision: 1n });
    await client.appendToStream('order-a', event('D'), { expectedRevision: STREAM_EXISTS });
    await client.appendToStream('order-a', event('E'));
    const read = await collect(client.readStream('order-a'));
    expect(types(read)).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(read.map((e) => e.event?.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
    expect(read[0]?.event?.data).toEqual({ n: 1 });
    expect(read[0]?.event?.created.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('answers a wrong expected version with the current revision', async () => {
    const { client } = harness;
    await client.appendToStream('order-b', event('A'));
    const conflict = client.appendToStream('order-b', event('B'), { expectedRevision: 7n });
    await expect(conflict).rejects.toBeInstanceOf(WrongExpectedVersionError);
    await expect(conflict).rejects.toMatchObject({ actualVersion: 0n, expectedVersion: 7n });
    await expect(
      client.appendToStream('order-b', event('B'), { expectedRevision: NO_STREAM }),
    ).rejects.toMatchObject({
      actualVersion: 0n,
      expectedVersion: NO_STREAM,
    });
    await expect(
      client.appendToStream('missing-x', event('B'), { expectedRevision: STREAM_EXISTS }),
    ).rejects.toMatchObject({ actualVersion: NO_STREAM });
  });

  it('treats a re-append of the same event ids at the same expected revision as done', async () => {
    const { client } = harness;
    const ids = [randomUUID(), randomUUID()];
    const batch = () => [event('A', {}, ids[0]), event('B', {}, ids[1])];
    const first = await client.appendToStream('order-c', batch(), { expectedRevision: NO_STREAM });
    const again = await client.appendToStream('order-c', batch(), { expectedRevision: NO_STREAM });
    expect(again.nextExpectedRevision).toBe(first.nextExpectedRevision);
    expect(again.position).toEqual(first.position);
    await client.appendToStream('order-c', batch());
    expect(await collect(client.readStream('order-c'))).toHaveLength(2);
    const partly = [event('A', {}, ids[0]), event('X', {}, randomUUID())];
    await expect(client.appendToStream('order-c', partly)).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect(await collect(client.readStream('order-c'))).toHaveLength(2);
  });

  it('reads backwards, from a revision, with a max count', async () => {
    const { client } = harness;
    await client.appendToStream(
      'order-d',
      ['A', 'B', 'C', 'D'].map((t) => event(t)),
    );
    expect(
      types(await collect(client.readStream('order-d', { direction: BACKWARDS, fromRevision: END }))),
    ).toEqual(['D', 'C', 'B', 'A']);
    expect(types(await collect(client.readStream('order-d', { fromRevision: 1n, maxCount: 2 })))).toEqual([
      'B',
      'C',
    ]);
    expect(
      types(
        await collect(client.readStream('order-d', { direction: BACKWARDS, fromRevision: 2n, maxCount: 2 })),
      ),
    ).toEqual(['C', 'B']);
  });

  it('reports a stream that does not exist', async () => {
    await expect(collect(harness.client.readStream('never-written'))).rejects.toBeInstanceOf(
      StreamNotFoundError,
    );
  });
});

describe('read $all', () => {
  it('reads forwards and backwards with monotonically increasing positions', async () => {
    const { client } = harness;
    await client.appendToStream('all-1', [event('X1'), event('X2'), event('X3')]);
    const forwards = await collect(client.readAll());
    const positions = forwards.map((e) => e.event?.position?.commit ?? -1n);
    expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
    expect(new Set(positions).size).toBe(positions.length);
    const backwards = await collect(client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 3 }));
    expect(types(backwards)).toEqual(['X3', 'X2', 'X1']);
  });

  it('reads from a position: forwards inclusive, backwards exclusive', async () => {
    const { client } = harness;
    await client.appendToStream('all-2', [event('Y1'), event('Y2'), event('Y3')]);
    const stream = await collect(client.readStream('all-2'));
    const middle = stream[1]?.event?.position;
    if (!middle) throw new Error('no position');
    expect(types(await collect(client.readAll({ fromPosition: middle, maxCount: 2 })))).toEqual(['Y2', 'Y3']);
    expect(
      types(await collect(client.readAll({ fromPosition: middle, direction: BACKWARDS, maxCount: 1 }))),
    ).toEqual(['Y1']);
  });
});
