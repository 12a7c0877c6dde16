import { v5 as uuidv5 } from 'uuid';
import type { DomainEvent } from '../../contracts/events/domain';
import { ORDER_STREAM_PREFIX } from '../../contracts/events/orders';
import { PAYMENT_STREAM_PREFIX } from '../../contracts/events/payments';
import { SHIPPING_STREAM_PREFIX } from '../../contracts/events/shipping';
import type { StoredEvent } from '../../lib/eventstore';
import type { AggregateKind } from '../decider';
import { evolve as evolveOrder, initialState as initialOrder } from '../orders/state';
import { evolve as evolvePayment, initialState as initialPayment } from '../payments/state';
import { evolve as evolveShipping, initialState as initialShipping } from '../shipping/state';

/**
 * A snapshot is a cache of a fold: `state` is what folding the aggregate stream up to `revision` gives. It lives
 * on `snapshot-<stream>` (category `snapshot`, a type no projection or reactor subscribes to) and may be deleted
 * at any time: the stream is then folded whole again.
 */
export const SNAPSHOT_EVENT_TYPE = 'AggregateSnapshot';
export const SNAPSHOT_STREAM_PREFIX = 'snapshot-';
const SNAPSHOT_ID_NAMESPACE = '3c9e4b1a-7d2f-4e68-9a05-b8f1c6d3e274';

/**
 * A persistent subscription redelivers a message within its retry window: tens of retries, minutes at most, i.e.
 * a handful of appends to one aggregate. The causation ids of the last 1,000 appends before a snapshot cover that
 * window hundreds of times over, so a redelivered message is still recognised when its events lie under the
 * snapshot.
 */
export const CAUSATION_WINDOW = 1_000;

/** The fold of one aggregate kind: the same `initialState`/`evolve` its routes in `decider.ts` use. */
export interface AggregateFold<S = unknown> {
  readonly initialState: S;
  evolve(state: S, event: DomainEvent): S;
}

export interface SnapshotKind extends AggregateFold {
  readonly prefix: string;
  readonly stateVersion: number;
}

/**
 * Per aggregate kind: its stream prefix, the fold a snapshot writer uses, and the version of its state's shape.
 * Bump `stateVersion` whenever the state type in `processing/<kind>/state.ts` changes shape or meaning: snapshots
 * of another version are ignored, so the next load folds the whole stream again.
 */
export const SNAPSHOT_KINDS: Readonly<Record<AggregateKind, SnapshotKind>> = {
  order: { prefix: ORDER_STREAM_PREFIX, stateVersion: 1, initialState: initialOrder, evolve: evolveOrder },
  payment: {
    prefix: PAYMENT_STREAM_PREFIX,
    stateVersion: 1,
    initialState: initialPayment,
    evolve: evolvePayment,
  },
  shipping: {
    prefix: SHIPPING_STREAM_PREFIX,
    stateVersion: 1,
    initialState: initialShipping,
    evolve: evolveShipping,
  },
};

export function snapshotStreamOf(stream: string): string {
  return SNAPSHOT_STREAM_PREFIX + stream;
}

export function aggregateKindOf(stream: string): AggregateKind | undefined {
  const kinds = Object.keys(SNAPSHOT_KINDS) as AggregateKind[];
  return kinds.find((kind) => stream.startsWith(SNAPSHOT_KINDS[kind].prefix));
}

export interface Snapshot {
  readonly state: unknown;
  /** The revision of the last event folded into `state`. */
  readonly revision: number;
  /** That event's id: a stream deleted and written anew under the same name does not match. */
  readonly eventId: string;
  /** The most recent causation ids folded into `state`, oldest first (at most `CAUSATION_WINDOW`). */
  readonly causations: readonly string[];
  readonly stateVersion: number;
}

/** The snapshot a stored event holds, or undefined when it is not one this code wrote. */
export function parseSnapshot(stored: StoredEvent): Snapshot | undefined {
  if (stored.type !== SNAPSHOT_EVENT_TYPE) return undefined;
  const data = stored.data as Partial<Record<keyof Snapshot, unknown>> | null;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const { state, revision, eventId, causations, stateVersion } = data;
  if (typeof state !== 'object' || state === null || Array.isArray(state)) return undefined;
  if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 0) return undefined;
  if (typeof eventId !== 'string' || typeof stateVersion !== 'number') return undefined;
  if (!Array.isArray(causations) || !causations.every((id) => typeof id === 'string')) return undefined;
  return { state, revision, eventId, causations, stateVersion };
}

/** The state a snapshot holds, with the fields JSON dropped (those that were undefined) put back. */
export function restoredState<S>(fold: AggregateFold<S>, snapshot: Snapshot): S {
  return { ...fold.initialState, ...(snapshot.state as S) };
}

export function causationOf(event: StoredEvent): string | undefined {
  const id = event.metadata.$causationId;
  return typeof id === 'string' ? id : undefined;
}

/** The last `CAUSATION_WINDOW` distinct causation ids of `earlier` followed by `events`, oldest first. */
export function causationWindow(earlier: readonly string[], events: readonly StoredEvent[]): string[] {
  const recent = new Set(earlier);
  for (const event of events) {
    const id = causationOf(event);
    if (id === undefined) continue;
    recent.delete(id);
    recent.add(id);
  }
  const all = [...recent];
  return all.slice(Math.max(0, all.length - CAUSATION_WINDOW));
}

/** Deterministic, so two processors writing the same snapshot append it once. */
export function snapshotEventId(stream: string, snapshot: Snapshot): string {
  return uuidv5(`${stream}/${snapshot.revision}/${snapshot.stateVersion}`, SNAPSHOT_ID_NAMESPACE);
}
