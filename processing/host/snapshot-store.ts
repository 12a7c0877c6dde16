import { NO_STREAM, type AppendExpectedRevision } from '@eventstore/db-client';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../../lib/logger';
import type { NewEvent, StoredEvent } from '../../lib/eventstore';
import type { AggregateStore, AggregateStream, ExpectedRevision, LoadedState } from './aggregate-store';
import { toDomainEvent } from './command-handler';
import {
  aggregateKindOf,
  causationOf,
  causationWindow,
  parseSnapshot,
  restoredState,
  snapshotEventId,
  snapshotStreamOf,
  SNAPSHOT_EVENT_TYPE,
  SNAPSHOT_KINDS,
  type Snapshot,
} from './snapshots';

/** A stream of more events than this is loaded from its snapshot; `SNAPSHOT_AFTER_EVENTS` (lib/config.ts). */
export const DEFAULT_SNAPSHOT_AFTER_EVENTS = 500;
/** Streams whose last snapshot revision is remembered, to decide without a read whether one is due. */
const REMEMBERED_STREAMS = 10_000;

/** What the snapshotting store needs of an event store: EventStoreDB's, or the specs' in memory. */
export interface StreamAccess {
  /** The events of `stream` from `fromRevision` on (at most `maxCount`); none when the stream does not exist. */
  read(stream: string, fromRevision: bigint, maxCount?: number): Promise<readonly StoredEvent[]>;
  /** The stream's last event; undefined when it has none (or was deleted). */
  readLast(stream: string): Promise<StoredEvent | undefined>;
  /** The stream's new last revision, or undefined when `expected` no longer holds. */
  append(
    stream: string,
    events: readonly NewEvent[],
    expected: AppendExpectedRevision,
  ): Promise<bigint | undefined>;
  /** Sets `$maxCount` 1 unless it is set, keeping the rest of the stream's metadata. */
  keepOnlyLast(stream: string): Promise<void>;
}

export interface SnapshotOptions {
  /** 0 turns snapshots off: neither read nor written. */
  readonly snapshotAfterEvents?: number;
  readonly logger: Logger;
}

export interface SnapshottingStore extends AggregateStore {
  /** Resolves once the snapshot writes scheduled so far have finished (or failed). */
  snapshotsWritten(): Promise<void>;
  /** Writes a snapshot of `stream` now if one is due (`threshold` events past the last), without waiting for an append. */
  writeSnapshot(stream: string): Promise<void>;
}

interface Folded<S> {
  readonly state: S;
  readonly revision: ExpectedRevision;
  /** The snapshot the fold started from, when one was usable. */
  readonly snapshot: Snapshot | undefined;
  /** Whether the snapshot stream held anything at all (so it has been created before). */
  readonly snapshotStreamSeen: boolean;
  /** The events folded after the snapshot (all of them without one). */
  readonly tail: readonly StoredEvent[];
}

/**
 * The aggregate store with snapshots: a stream past the threshold is loaded from its latest snapshot plus the
 * events after it; after an append that leaves a stream `threshold` events past its last snapshot, a new one is
 * written off the decision path. A snapshot that does not fit (another state version, a stream that is not the
 * one it was taken of, garbled data) is ignored and the stream folded whole, so no decision depends on one.
 */
export function snapshottingStore(access: StreamAccess, options: SnapshotOptions): SnapshottingStore {
  const threshold = options.snapshotAfterEvents ?? DEFAULT_SNAPSHOT_AFTER_EVENTS;
  const log = options.logger.child({ component: 'snapshots' });
  /** Streams of at least `threshold` events, each with the revision of its last snapshot (-1: none yet). */
  const longStreams = new LRUCache<string, number>({ max: REMEMBERED_STREAMS });
  const writing = new Map<string, Promise<void>>();

  function remember(stream: string, revision: number): void {
    longStreams.set(stream, revision);
  }

  async function usableSnapshot<S>(
    route: AggregateStream<S>,
  ): Promise<{ snapshot?: Snapshot; seen: boolean }> {
    const snapshotStream = snapshotStreamOf(route.stream);
    let stored: StoredEvent | undefined;
    try {
      stored = await access.readLast(snapshotStream);
    } catch (error) {
      log.warn({ err: error, stream: route.stream }, 'snapshot unreadable; folding the whole stream');
      return { seen: false };
    }
    if (stored === undefined) return { seen: false };
    const snapshot = parseSnapshot(stored);
    const stateVersion = SNAPSHOT_KINDS[route.aggregate].stateVersion;
    if (snapshot?.stateVersion !== stateVersion) {
      log.debug(
        { stream: route.stream, stateVersion },
        'snapshot of another state version or garbled; ignored',
      );
      return { seen: true };
    }
    return { snapshot, seen: true };
  }

  /**
   * A stream not known to be long is read from the start up to `threshold` events first: a short stream (nearly
   * all of them) costs one read, as without snapshots; a long one is then loaded from its snapshot.
   */
  async function fold<S>(route: AggregateStream<S>): Promise<Folded<S>> {
    if (threshold === 0) return folded(route, await access.read(route.stream, 0n));
    let head: readonly StoredEvent[] = [];
    if (!longStreams.has(route.stream)) {
      head = await access.read(route.stream, 0n, threshold);
      if (head.length < threshold) return folded(route, head);
    }
    const { snapshot, seen } = await usableSnapshot(route);
    if (snapshot !== undefined) {
      const [base, ...tail] = await access.read(route.stream, BigInt(snapshot.revision));
      if (base?.revision === snapshot.revision && base.eventId === snapshot.eventId) {
        return folded(route, tail, snapshot, seen);
      }
      log.debug(
        { stream: route.stream, revision: snapshot.revision },
        'snapshot not of this stream; ignored',
      );
    }
    const rest = await access.read(route.stream, BigInt(head.length));
    return folded(route, [...head, ...rest], undefined, seen);
  }

  async function writeSnapshot(stream: string): Promise<void> {
    const aggregate = aggregateKindOf(stream);
    if (aggregate === undefined) return;
    const kind = SNAPSHOT_KINDS[aggregate];
    const loaded = await fold({ ...kind, aggregate, stream });
    const last = loaded.tail[loaded.tail.length - 1];
    const since = loaded.snapshot?.revision ?? -1;
    // Another processor may have written one since the append that scheduled this.
    if (last === undefined || last.revision - since < threshold) return;
    const snapshot: Snapshot = {
      state: loaded.state,
      revision: last.revision,
      eventId: last.eventId,
      causations: causationWindow(loaded.snapshot?.causations ?? [], loaded.tail),
      stateVersion: kind.stateVersion,
    };
    const snapshotStream = snapshotStreamOf(stream);
    if (!loaded.snapshotStreamSeen) await access.keepOnlyLast(snapshotStream);
    const event: NewEvent = {
      id: snapshotEventId(stream, snapshot),
      type: SNAPSHOT_EVENT_TYPE,
      data: { ...snapshot },
      metadata: {},
    };
    await access.append(snapshotStream, [event], 'any');
    remember(stream, snapshot.revision);
    log.debug({ stream, revision: snapshot.revision }, 'snapshot written');
  }

  function scheduleSnapshot(stream: string, revision: bigint): void {
    if (threshold === 0 || writing.has(stream)) return;
    if (Number(revision) - (longStreams.get(stream) ?? -1) < threshold) return;
    const written = writeSnapshot(stream)
      .catch((error: unknown) =>
        log.warn({ err: error, stream }, 'snapshot not written; loads fold more events'),
      )
      .finally(() => writing.delete(stream));
    writing.set(stream, written);
  }

  return {
    async load(stream) {
      const events = await access.read(stream, 0n);
      const last = events[events.length - 1];
      return { events, revision: last === undefined ? NO_STREAM : BigInt(last.revision) };
    },
    async loadState<S>(route: AggregateStream<S>): Promise<LoadedState<S>> {
      const loaded = await fold(route);
      if (threshold > 0 && loaded.revision !== NO_STREAM && loaded.revision >= BigInt(threshold - 1)) {
        remember(route.stream, loaded.snapshot?.revision ?? -1);
      }
      const window = new Set(loaded.snapshot?.causations);
      return {
        state: loaded.state,
        revision: loaded.revision,
        snapshotRevision: loaded.snapshot?.revision,
        hasCausation: (id) => window.has(id) || loaded.tail.some((event) => causationOf(event) === id),
      };
    },
    async append(stream, events, expected) {
      const revision = await access.append(stream, events, expected);
      if (revision === undefined) return false;
      scheduleSnapshot(stream, revision);
      return true;
    },
    async snapshotsWritten() {
      await Promise.all(writing.values());
    },
    async writeSnapshot(stream) {
      if (threshold > 0) await writeSnapshot(stream);
    },
  };
}

/** Folds `tail` from the snapshot's state (or the initial one), up to the revision of its last event. */
function folded<S>(
  route: AggregateStream<S>,
  tail: readonly StoredEvent[],
  snapshot?: Snapshot,
  snapshotStreamSeen = false,
): Folded<S> {
  let state = snapshot === undefined ? route.initialState : restoredState(route, snapshot);
  for (const event of tail) state = route.evolve(state, toDomainEvent(event));
  const last = tail[tail.length - 1];
  const before = snapshot === undefined ? NO_STREAM : BigInt(snapshot.revision);
  return {
    state,
    revision: last === undefined ? before : BigInt(last.revision),
    snapshot,
    snapshotStreamSeen,
    tail,
  };
}
