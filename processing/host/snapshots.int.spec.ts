import { BACKWARDS, END, StreamNotFoundError } from '@eventstore/db-client';
import {
  startPersistentTestServer,
  type PersistentTestServer,
} from '../../devstack/eventstore/persistent/test-server';
import { toStoredEvent } from '../../lib/eventstore';
import { eventually } from '../../lib/eventually';
import { createLogger } from '../../lib/logger';
import type { ShopCommand } from '../commands';
import { planFor, type CommandRoute } from '../decider';
import { placeOrder, recordPayment } from '../testing/shop-fixtures';
import { eventStoreAggregateStore, type AggregateStore } from './aggregate-store';
import { handleCommand, type CommandOutcome } from './command-handler';
import { parseSnapshot, snapshotStreamOf, type Snapshot } from './snapshots';

const THRESHOLD = 5;
const ORDER = 'order-o-1';
const SNAPSHOTS = snapshotStreamOf(ORDER);
const silent = createLogger('test', { level: 'silent' });
const context = () => ({ now: '2026-12-03T10:00:00.000Z' });

function run(store: AggregateStore, command: ShopCommand, causationId: string): Promise<CommandOutcome> {
  return handleCommand(store, command, { causationId, correlationId: `r-${causationId}` }, context);
}

function orderRouteFor(command: ShopCommand): CommandRoute {
  const steps = planFor(command).steps(undefined);
  if (!Array.isArray(steps) || steps[0] === undefined) throw new Error('no order step');
  return steps[0] as CommandRoute;
}

describe('snapshots of a long order stream on the embedded EventStoreDB', () => {
  let server: PersistentTestServer;
  beforeAll(async () => {
    server = await startPersistentTestServer();
  });
  afterAll(() => server.close());

  async function latestSnapshot(): Promise<Snapshot | undefined> {
    const read = server.client.readStream(SNAPSHOTS, {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: 1,
    });
    let latest: Snapshot | undefined;
    try {
      for await (const resolved of read) {
        const stored = toStoredEvent(resolved);
        latest = stored && parseSnapshot(stored);
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return latest;
  }

  /** Decides two payments on the order as loaded now: one too big (rejected with the amount owed), one that fits. */
  async function nextDecisions(store: AggregateStore) {
    const tooBig = recordPayment({ paymentId: 'p-big', amount: '25.00' });
    const fits = recordPayment({ paymentId: 'p-fits', amount: '0.50' });
    const loaded = await store.loadState(orderRouteFor(tooBig));
    return {
      snapshotRevision: loaded.snapshotRevision,
      decisions: [tooBig, fits].map((command) => orderRouteFor(command).decide(loaded.state, context())),
    };
  }

  it('writes a snapshot past the threshold, loads from it, and decides the same once it is deleted', async () => {
    const store = eventStoreAggregateStore(server.client, { snapshotAfterEvents: THRESHOLD, logger: silent });
    await run(store, placeOrder(), 'in-place');
    for (let i = 1; i <= 7; i++) {
      expect(
        await run(store, recordPayment({ paymentId: `p-${i}`, amount: '0.01' }), `in-${i}`),
      ).toMatchObject({
        kind: 'processed',
      });
    }
    const snapshot = await eventually(async () => (await latestSnapshot())?.revision);
    expect(snapshot).toBeGreaterThanOrEqual(THRESHOLD - 1);
    expect((await server.client.getStreamMetadata(SNAPSHOTS)).metadata?.maxCount).toBe(1);

    // A processor that starts now (nothing remembered) loads from the snapshot.
    const fresh = eventStoreAggregateStore(server.newClient(), {
      snapshotAfterEvents: THRESHOLD,
      logger: silent,
    });
    const withSnapshot = await nextDecisions(fresh);
    expect(withSnapshot.snapshotRevision).toBe(snapshot);
    expect(withSnapshot.decisions[0]).toMatchObject({ ok: false, reason: expect.stringContaining('24.93') });
    expect(withSnapshot.decisions[1]).toMatchObject({ ok: true });
    const redelivered = await fresh.loadState(orderRouteFor(placeOrder()));
    expect(redelivered.hasCausation('in-1')).toBe(true);

    await server.client.deleteStream(SNAPSHOTS);
    const without = await nextDecisions(fresh);
    expect(without.snapshotRevision).toBeUndefined();
    expect(without.decisions).toEqual(withSnapshot.decisions);

    // The stream goes on, and a new snapshot replaces the deleted one.
    for (let i = 8; i <= 8 + THRESHOLD; i++) {
      await run(fresh, recordPayment({ paymentId: `p-${i}`, amount: '0.01' }), `in-${i}`);
    }
    const next = await eventually(async () => {
      const revision = (await latestSnapshot())?.revision;
      return revision !== undefined && revision > snapshot ? revision : undefined;
    });
    const loaded = await fresh.loadState(orderRouteFor(placeOrder()));
    expect(loaded.snapshotRevision).toBeGreaterThanOrEqual(next);
  });
});
