import { ordersProjection } from './orders/orders-projection';
import {
  documentKeys,
  projectBatch,
  projectEvent,
  type Projection,
  type ReadModelDocument,
} from './projection';
import { readModels } from './registry';
import { crashyRun, replayViolations, runBatches, seededRandom, storeBytes } from './testing/replay-safety';
import { shopDay } from './testing/shop-day';
import {
  history,
  orderPlaced,
  paymentRecorded,
  paymentRefunded,
  shopDataReceived,
} from './testing/shop-events';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe('the replay guard', () => {
  const [placed, paid, refunded] = history(
    orderPlaced(),
    paymentRecorded({ amount: 1000 }),
    paymentRefunded(),
  );

  it('stamps a document with the position of the last event applied to it', () => {
    const outcome = projectEvent(ordersProjection, undefined, placed!);
    expect(outcome).toMatchObject({ kind: 'applied', doc: { _id: 'o-1', _position: placed!.position } });
  });

  it('skips an event at or before the position the document has seen, and applies a later one', () => {
    const { changed } = projectBatch(ordersProjection, new Map(), [placed!, paid!]);
    const stored = changed.get('o-1')!;
    expect(projectEvent(ordersProjection, stored, paid!)).toEqual({ kind: 'already-applied' });
    expect(projectEvent(ordersProjection, stored, placed!)).toEqual({ kind: 'already-applied' });
    expect(projectEvent(ordersProjection, stored, refunded!)).toMatchObject({
      kind: 'applied',
      doc: { refunded: 500, _position: refunded!.position },
    });
  });

  it('counts what a batch applied, skipped as already applied, and ignored', () => {
    const first = projectBatch(ordersProjection, new Map(), [paid!, placed!]);
    expect(first).toMatchObject({ applied: 1, skipped: 0, ignored: 1 });
    const again = projectBatch(ordersProjection, first.changed, [placed!, paid!, refunded!]);
    expect(again).toMatchObject({ applied: 2, skipped: 1, ignored: 0 });
  });

  it('leaves the stored documents it is given untouched', () => {
    const stored = deepFreeze(projectBatch(ordersProjection, new Map(), [placed!]).changed);
    const before = storeBytes(stored);
    const { changed } = projectBatch(ordersProjection, stored, [paid!, refunded!]);
    expect(changed.get('o-1')).toMatchObject({ status: 'PartiallyPaid', paid: 1000, refunded: 500 });
    expect(storeBytes(stored)).toBe(before);
  });

  it('names each document a batch touches once, in first-seen order', () => {
    const events = history(
      paymentRecorded({ orderId: 'o-2' }),
      orderPlaced(),
      orderPlaced({ orderId: 'o-2' }),
      shopDataReceived(),
    );
    expect(documentKeys(ordersProjection, events)).toEqual(['o-2', 'o-1']);
  });
});

describe('events written by older releases', () => {
  const placedV0 = {
    type: 'OrderPlaced',
    streamId: 'order-o-1',
    metadata: { schemaVersion: 0 },
    data: {
      orderId: 'o-1',
      customerId: 'c-1',
      currency: 'EUR',
      lines: [{ sku: 'SKU-1', qty: 2, price: '12.50' }],
      placedAt: '2026-11-23T10:00:00.000Z',
    },
  };

  it('reads an OrderPlaced of schema version 0 as today’s shape in every model', () => {
    const events = history(placedV0, { ...paymentRecorded(), metadata: { schemaVersion: 1 } });
    const orders = projectBatch(ordersProjection, new Map(), events).changed;
    expect(orders.get('o-1')).toMatchObject({
      status: 'Paid',
      customer: { id: 'c-1', name: 'c-1' },
      lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: 1250 }],
      total: 2500,
    });
    const sales = readModels.find((model) => model.name === 'sales_daily')!;
    expect(documentKeys(sales, events)).toEqual(['2026-11-23:EUR']);
    expect(projectBatch(sales, new Map(), events).changed.get('2026-11-23:EUR')).toMatchObject({
      revenuePlaced: '2500',
      revenuePaid: '2500',
      unitsBySku: { 'SKU-1': 2 },
    });
  });

  it('refuses an event written by a newer release rather than misreading it', () => {
    const events = history({ ...orderPlaced(), metadata: { schemaVersion: 99 } });
    const result = projectBatch(ordersProjection, new Map(), events);
    expect(result.changed.size).toBe(0);
    expect(String(result.poisoned[0]?.error)).toMatch(/newer release/);
    expect(documentKeys(ordersProjection, events)).toEqual([]);
  });

  it('skips only the event that throws: the events around it are applied', () => {
    const [placed, broken, paid] = history(
      orderPlaced({ orderId: 'o-1' }),
      { ...orderPlaced(), data: { orderId: 'o-2', total: '25.00' } },
      paymentRecorded({ orderId: 'o-1' }),
    );
    const result = projectBatch(ordersProjection, new Map(), [placed!, broken!, paid!]);
    expect([...result.changed.keys()]).toEqual(['o-1']);
    expect(result.changed.get('o-1')?._position).toBe(paid!.position);
    expect(result.poisoned.map((p) => p.event.eventId)).toEqual([broken!.eventId]);
  });
});

describe('every read model over a day in the shop', () => {
  const events = history(...shopDay());

  it('lists the three read models with their collections, event types and uniquely named indexes', () => {
    expect(readModels.map((model) => model.name)).toEqual(['orders', 'requests', 'sales_daily']);
    for (const model of readModels) {
      expect(model.eventTypes.length).toBeGreaterThan(0);
      const names = model.indexes.map((index) => index.name);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it.each(readModels.map((model) => [model.name, model] as const))(
    '%s: re-delivering events, replaying any suffix or dying mid-batch changes nothing',
    (_name, model: Projection<ReadModelDocument>) => {
      expect(replayViolations(model, events)).toEqual([]);
    },
  );

  it.each(readModels.map((model) => [model.name, model] as const))(
    '%s: a synchronizer that keeps dying mid-batch converges to the straight run',
    (_name, model: Projection<ReadModelDocument>) => {
      const straight = storeBytes(runBatches(model, new Map(), events));
      for (let seed = 1; seed <= 40; seed += 1) {
        expect({ seed, store: storeBytes(crashyRun(model, events, seededRandom(seed))) }).toEqual({
          seed,
          store: straight,
        });
      }
    },
  );

  it('ends the day with each order, request and sales day where the shop left it', () => {
    const [orders, requests, sales] = readModels.map((model) =>
      runBatches(model, new Map<string, ReadModelDocument>(), events),
    );
    const statusOf = (store: ReadonlyMap<string, ReadModelDocument> | undefined): Record<string, string> =>
      Object.fromEntries(
        [...store!.values()].map((doc) => [doc._id, (doc as unknown as { status: string }).status]),
      );
    expect(statusOf(orders)).toEqual({ 'o-1': 'Delivered', 'o-2': 'Cancelled', 'o-3': 'Cancelled' });
    expect(statusOf(requests)).toEqual({
      'r-1': 'processed',
      'r-2': 'processed',
      'r-3': 'processed',
      'r-4': 'rejected',
    });
    expect(orders!.get('o-1')).toMatchObject({ paid: 2800, refunded: 300, total: 2500 });
    expect(sales!.get('2026-11-23:EUR')).toMatchObject({
      ordersPlaced: 2,
      ordersCancelled: 0,
      revenuePlaced: '5000',
      revenuePaid: '2800',
      revenueRefunded: '300',
      unitsBySku: { 'SKU-1': 4 },
    });
    expect(sales!.get('2026-11-23:USD')).toMatchObject({
      ordersPlaced: 1,
      ordersCancelled: 1,
      revenuePlaced: '4300',
      revenuePaid: '4300',
      revenueRefunded: '4300',
      unitsBySku: { 'SKU-2': 1, 'SKU-3': 4 },
    });
    expect(sales!.get('2026-11-24:EUR')).toMatchObject({ ordersCancelled: 1, ordersPlaced: 0 });
  });
});
