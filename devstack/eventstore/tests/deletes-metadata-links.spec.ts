import {
  jsonEvent,
  MaxAppendSizeExceededError,
  StreamDeletedError,
  StreamNotFoundError,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { collect, STANDARD_PROJECTIONS_RUNNING, startHarness, type Harness } from './harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ ...STANDARD_PROJECTIONS_RUNNING, maxAppendSize: 4096 });
});
afterAll(() => harness.close());

const event = (type: string, data: Record<string, unknown> = {}) => jsonEvent({ type, data });
const types = (events: ResolvedEvent[]) => events.map((e) => e.event?.type);

describe('deletes', () => {
  it('soft delete hides the stream; appending again continues the revisions', async () => {
    const { client } = harness;
    await client.appendToStream('soft-1', [event('A'), event('B')]);
    await client.deleteStream('soft-1');
    await expect(collect(client.readStream('soft-1'))).rejects.toBeInstanceOf(StreamNotFoundError);
    await client.appendToStream('soft-1', event('C'));
    const read = await collect(client.readStream('soft-1'));
    expect(types(read)).toEqual(['C']);
    expect(read[0]?.event?.revision).toBe(2n);
  });

  it('tombstone makes the stream deleted for reads and appends', async () => {
    const { client } = harness;
    await client.appendToStream('hard-1', event('A'));
    await client.tombstoneStream('hard-1');
    await expect(collect(client.readStream('hard-1'))).rejects.toBeInstanceOf(StreamDeletedError);
    await expect(client.appendToStream('hard-1', event('B'))).rejects.toBeInstanceOf(StreamDeletedError);
    await expect(client.tombstoneStream('hard-1')).rejects.toBeInstanceOf(StreamDeletedError);
  });
});

describe('stream metadata', () => {
  it('honours $maxCount and $tb on read and round-trips through getStreamMetadata', async () => {
    const { client } = harness;
    await client.appendToStream(
      'meta-1',
      ['A', 'B', 'C', 'D'].map((t) => event(t)),
    );
    await client.setStreamMetadata('meta-1', { maxCount: 2 });
    expect(types(await collect(client.readStream('meta-1')))).toEqual(['C', 'D']);
    expect((await client.getStreamMetadata('meta-1')).metadata?.maxCount).toBe(2);
    await client.setStreamMetadata('meta-1', { truncateBefore: 1 });
    expect(types(await collect(client.readStream('meta-1')))).toEqual(['B', 'C', 'D']);
  });

  it('honours $maxAge', async () => {
    const { client } = harness;
    await client.appendToStream('meta-2', event('Old'));
    await client.setStreamMetadata('meta-2', { maxAge: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await client.appendToStream('meta-2', event('New'));
    expect(types(await collect(client.readStream('meta-2')))).toEqual(['New']);
  });
});

describe('system projections and links', () => {
  it('writes $ce- and $et- link events that resolve to the original', async () => {
    const { client } = harness;
    await client.appendToStream('cart-1', event('ItemAdded', { sku: 'a' }));
    await client.appendToStream('cart-2', event('ItemAdded', { sku: 'b' }));
    const links = await collect(client.readStream('$ce-cart'));
    expect(links.map((e) => e.event?.type)).toEqual(['$>', '$>']);
    const resolved = await collect(client.readStream('$ce-cart', { resolveLinkTos: true }));
    expect(resolved.map((e) => e.event?.streamId)).toEqual(['cart-1', 'cart-2']);
    expect(resolved[0]?.link?.streamId).toBe('$ce-cart');
    const byType = await collect(client.readStream('$et-ItemAdded', { resolveLinkTos: true }));
    expect(byType.map((e) => (e.event?.data as { sku: string }).sku)).toEqual(['a', 'b']);
  });

  it('can be switched off', async () => {
    const off = await startHarness();
    try {
      await off.client.appendToStream('cart-9', event('ItemAdded'));
      await expect(collect(off.client.readStream('$ce-cart'))).rejects.toBeInstanceOf(StreamNotFoundError);
    } finally {
      await off.close();
    }
  });
});

describe('bad input', () => {
  it('rejects an append larger than the maximum append size and keeps serving', async () => {
    const { client } = harness;
    const big = event('Big', { blob: 'x'.repeat(5000) });
    await expect(client.appendToStream('big-1', big)).rejects.toMatchObject({ maxAppendSize: 4096 });
    await expect(client.appendToStream('big-1', big)).rejects.toBeInstanceOf(MaxAppendSizeExceededError);
    await expect(collect(client.readStream('big-1'))).rejects.toBeInstanceOf(StreamNotFoundError);
    await client.appendToStream('big-1', event('Small'));
    expect(types(await collect(client.readStream('big-1')))).toEqual(['Small']);
  });
});
