import { subscriptionFilter } from '../../synchronizers/host/event-source';
import { readModels } from '../../synchronizers/operations';
import type { ShopCommand } from '../commands';
import { planFor, stateOf, type CommandRoute } from '../decider';
import { cancelOrder, placeOrder, recordPayment } from '../testing/shop-fixtures';
import { InMemoryEventStore, inMemoryAggregateStore } from '../testing/in-memory-host';
import type { AggregateStore } from './aggregate-store';
import { handleCommand, toDomainEvent, type CommandOutcome } from './command-handler';
import type { SnapshottingStore } from './snapshot-store';
import {
  CAUSATION_WINDOW,
  causationWindow,
  SNAPSHOT_EVENT_TYPE,
  SNAPSHOT_KINDS,
  snapshotStreamOf,
} from './snapshots';

const THRESHOLD = 5;
const ORDER = 'order-o-1';
const context = () => ({ now: '2026-12-03T10:00:00.000Z' });

function run(store: AggregateStore, command: ShopCommand, causationId: string): Promise<CommandOutcome> {
  return handleCommand(store, command, { causationId, correlationId: `r-${causationId}` }, context);
}

/** A 25.00 EUR order paid 0.01 EUR at a time: `payments` + 1 events on `order-o-1`. */
async function longOrder(payments: number, snapshotAfterEvents = THRESHOLD) {
  const events = new InMemoryEventStore();
  const store = inMemoryAggregateStore(events, { snapshotAfterEvents });
  await run(store, placeOrder(), 'in-place');
  for (let i = 1; i <= payments; i++) {
    await run(store, recordPayment({ paymentId: `p-${i}`, amount: '0.01' }), `in-${i}`);
    await store.snapshotsWritten();
  }
  return { events, store };
}

function orderRoute(): CommandRoute {
  const steps = planFor(placeOrder()).steps(undefined);
  if (!Array.isArray(steps) || steps[0] === undefined) throw new Error('no order step');
  return steps[0] as CommandRoute;
}

const wholeFold = (events: InMemoryEventStore) =>
  stateOf(orderRoute(), events.read(ORDER).map(toDomainEvent));

async function outcomesOf(store: SnapshottingStore, commands: readonly ShopCommand[]) {
  const outcomes: CommandOutcome[] = [];
  for (const [i, command] of commands.entries()) {
    outcomes.push(await run(store, command, `in-next-${i}`));
    await store.snapshotsWritten();
  }
  return outcomes;
}

describe('snapshots of long aggregate streams (in-memory ports)', () => {
  it('loads a long stream from its latest snapshot plus the events after it', async () => {
    const { events, store } = await longOrder(12);
    const loaded = await store.loadState(orderRoute());
    expect(loaded.snapshotRevision).toBe(9);
    expect(loaded.revision).toBe(12n);
    expect(loaded.state).toEqual(wholeFold(events));
    const snapshots = events.read(snapshotStreamOf(ORDER));
    expect(snapshots.map((e) => e.type)).toEqual([SNAPSHOT_EVENT_TYPE, SNAPSHOT_EVENT_TYPE]);
    expect(events.maxCounts.get(snapshotStreamOf(ORDER))).toBe(1);
  });

  it('leaves short streams without a snapshot, and writes none when turned off', async () => {
    const short = await longOrder(3);
    expect(short.events.read(snapshotStreamOf(ORDER))).toEqual([]);
    const off = await longOrder(12, 0);
    expect(off.events.all().filter((e) => e.type === SNAPSHOT_EVENT_TYPE)).toEqual([]);
    expect((await off.store.loadState(orderRoute())).snapshotRevision).toBeUndefined();
  });

  it('decides the same with its snapshots deleted', async () => {
    const kept = await longOrder(12);
    const deleted = await longOrder(12);
    deleted.events.delete(snapshotStreamOf(ORDER));
    expect((await deleted.store.loadState(orderRoute())).snapshotRevision).toBeUndefined();
    const next: ShopCommand[] = [
      recordPayment({ paymentId: 'p-big', amount: '25.00' }),
      recordPayment({ paymentId: 'p-rest', amount: '24.88' }),
      recordPayment({ paymentId: 'p-more', amount: '0.01' }),
      cancelOrder(),
    ];
    const outcomes = await outcomesOf(kept.store, next);
    expect(outcomes[0]).toMatchObject({ kind: 'rejected', reason: expect.stringContaining('24.88') });
    expect(outcomes[1]).toMatchObject({ kind: 'processed', eventCount: 2 });
    expect(await outcomesOf(deleted.store, next)).toEqual(outcomes);
    const domain = (events: InMemoryEventStore) => events.read(ORDER).map((e) => [e.type, e.data]);
    expect(domain(deleted.events)).toEqual(domain(kept.events));
  });

  it('still recognises a redelivered message whose events lie under the snapshot', async () => {
    const { events, store } = await longOrder(12);
    const loaded = await store.loadState(orderRoute());
    expect(loaded.snapshotRevision).toBe(9);
    // in-2's PaymentApplied is revision 2: only the snapshot's causation window still knows it.
    expect(loaded.hasCausation('in-2')).toBe(true);
    expect(loaded.hasCausation('in-12')).toBe(true);
    expect(loaded.hasCausation('in-never')).toBe(false);
    // The order step of a message with that causation is skipped: without the window it would append p-new.
    const before = events.read(ORDER).length;
    await run(store, recordPayment({ paymentId: 'p-new', amount: '0.01' }), 'in-2');
    expect(events.read(ORDER)).toHaveLength(before);
    await run(store, recordPayment({ paymentId: 'p-new', amount: '0.01' }), 'in-fresh');
    expect(events.read(ORDER)).toHaveLength(before + 1);
  });

  it('keeps the most recent causations, a bounded number of them', () => {
    const ids = Array.from({ length: CAUSATION_WINDOW + 5 }, (_, i) => `c-${i}`);
    const window = causationWindow(['c-0'], []);
    expect(window).toEqual(['c-0']);
    const stored = ids.map((id) => ({ metadata: { $causationId: id } }) as never);
    const full = causationWindow([], stored);
    expect(full).toHaveLength(CAUSATION_WINDOW);
    expect(full[0]).toBe('c-5');
    expect(full.at(-1)).toBe(`c-${CAUSATION_WINDOW + 4}`);
  });

  it('ignores a snapshot of another state version, of another stream or garbled', async () => {
    const { events, store } = await longOrder(12);
    const [latest] = events.read(snapshotStreamOf(ORDER)).slice(-1);
    const data = latest!.data as Record<string, unknown>;
    const tampered = { ...data, state: { ...(data.state as object), cancelled: true } };
    const variants: Record<string, unknown>[] = [
      { ...tampered, stateVersion: SNAPSHOT_KINDS.order.stateVersion + 1 },
      { ...tampered, eventId: 'not-the-event-at-that-revision' },
      { ...tampered, revision: 99 },
      { ...tampered, causations: 'in-1' },
      { state: 'garbled' },
    ];
    for (const [i, variant] of variants.entries()) {
      events.append(
        snapshotStreamOf(ORDER),
        [{ id: `bad-${i}`, type: SNAPSHOT_EVENT_TYPE, data: variant, metadata: {} }],
        'any',
      );
      const loaded = await store.loadState(orderRoute());
      expect(loaded.snapshotRevision).toBeUndefined();
      expect(loaded.state).toEqual(wholeFold(events));
    }
    // The same tampered state at the right version is used: the cases above were ignored for their defect only.
    events.append(
      snapshotStreamOf(ORDER),
      [{ id: 'ok', type: SNAPSHOT_EVENT_TYPE, data: tampered, metadata: {} }],
      'any',
    );
    expect((await store.loadState(orderRoute())).state).toMatchObject({ cancelled: true });
  });

  /* eslint-disable @typescript-eslint/unbound-method -- the folds are compared by identity, never called */
  it('folds with the same functions the routes decide with', () => {
    const route = orderRoute();
    expect(SNAPSHOT_KINDS.order.evolve).toBe(route.evolve);
    expect(SNAPSHOT_KINDS.order.initialState).toBe(route.initialState);
    const pay = planFor(recordPayment({ amount: '1.00' }));
    expect(SNAPSHOT_KINDS.payment.evolve).toBe(pay.check?.evolve);
    const ship = planFor({ type: 'ConfirmDelivery', shipmentId: 's-1' }).steps(undefined);
    expect(Array.isArray(ship) && SNAPSHOT_KINDS.shipping.evolve === ship[0]?.evolve).toBe(true);
  });
  /* eslint-enable @typescript-eslint/unbound-method */

  it('is not an event any read model subscribes to', () => {
    const filter = subscriptionFilter(readModels);
    expect(new RegExp(filter.eventTypeRegex!).test(SNAPSHOT_EVENT_TYPE)).toBe(false);
    expect(new RegExp(filter.eventTypeRegex!).test('OrderPlaced')).toBe(true);
  });
});
