import { NO_STREAM } from '@eventstore/db-client';
import type { NewEvent, StoredEvent } from '../../lib/eventstore';
import { createLogger } from '../../lib/logger';
import { createMetricsRegistry } from '../../lib/metrics';
import type { Settlement } from '../../lib/persistent-consumer';
import { REQUEST_STREAM_PREFIX, type RequestOutcomeEvent } from '../../contracts/events/requests';
import type { ExpectedRevision } from '../host/aggregate-store';
import { createInputHandler } from '../host/input-handler';
import { outcomeEventId, type OutcomeRecorder } from '../host/outcome-recorder';
import type { RecordedOutcome } from '../host/request-history';
import type { RetryPolicy } from '../host/retry-policy';
import { snapshottingStore, type SnapshottingStore, type StreamAccess } from '../host/snapshot-store';

/**
 * The host's ports in memory, for fast specs of `processing/host` (like Emmett's in-memory event store): streams
 * with revisions and optimistic appends, event ids deduplicated per stream as EventStoreDB does for a retried
 * append, and a hook that lets a competing writer append between a read and the append it guards.
 */
export class InMemoryEventStore {
  private readonly streams = new Map<string, StoredEvent[]>();
  /** `$maxCount` per stream, as set; reads return every event (old snapshots are harmless here). */
  readonly maxCounts = new Map<string, number>();
  private position = 0;
  /** Run once before the next guarded append to `stream`: a competing writer's chance to get there first. */
  private readonly racers = new Map<string, () => Promise<unknown>>();

  read(stream: string): readonly StoredEvent[] {
    return this.streams.get(stream) ?? [];
  }

  all(): StoredEvent[] {
    return [...this.streams.values()].flat().sort((a, b) => a.position! - b.position!);
  }

  /** A soft delete (as `deleteStream`): the stream reads as empty, its metadata stays. */
  delete(stream: string): void {
    this.streams.delete(stream);
  }

  beforeNextAppend(stream: string, racer: () => Promise<unknown>): void {
    this.racers.set(stream, racer);
  }

  async race(stream: string): Promise<void> {
    const racer = this.racers.get(stream);
    this.racers.delete(stream);
    await racer?.();
  }

  /** Appends as the server does: false when `expected` is not the stream's revision; a known event id is a no-op. */
  append(stream: string, events: readonly NewEvent[], expected: ExpectedRevision | 'any'): boolean {
    const current = this.read(stream);
    const revision = current.length === 0 ? NO_STREAM : BigInt(current.length - 1);
    if (expected !== 'any' && expected !== revision) return false;
    const fresh = events.filter((event) => !current.some((stored) => stored.eventId === event.id));
    const stored = fresh.map((event, index) => ({
      eventId: event.id,
      type: event.type,
      data: event.data,
      metadata: event.metadata,
      streamId: stream,
      revision: current.length + index,
      position: ++this.position,
      preparePosition: this.position,
      created: new Date(0).toISOString(),
    }));
    this.streams.set(stream, [...current, ...stored]);
    return true;
  }
}

function inMemoryStreams(store: InMemoryEventStore): StreamAccess {
  return {
    read(stream, fromRevision, maxCount) {
      const from = store.read(stream).slice(Number(fromRevision));
      return Promise.resolve(maxCount === undefined ? from : from.slice(0, maxCount));
    },
    readLast(stream) {
      return Promise.resolve(store.read(stream).at(-1));
    },
    async append(stream, events, expected) {
      await store.race(stream);
      if (!store.append(stream, events, expected === 'any' ? 'any' : (expected as ExpectedRevision))) {
        return undefined;
      }
      return BigInt(store.read(stream).length - 1);
    },
    keepOnlyLast(stream) {
      if (!store.maxCounts.has(stream)) store.maxCounts.set(stream, 1);
      return Promise.resolve();
    },
  };
}

/** The aggregate store over the in-memory streams, snapshots included (off with `snapshotAfterEvents: 0`). */
export function inMemoryAggregateStore(
  store: InMemoryEventStore,
  options: { snapshotAfterEvents?: number } = {},
): SnapshottingStore {
  return snapshottingStore(inMemoryStreams(store), {
    ...options,
    logger: createLogger('spec', { level: 'silent' }),
  });
}

export function inMemoryOutcomeRecorder(store: InMemoryEventStore): OutcomeRecorder {
  const toNew = (outcome: RequestOutcomeEvent): NewEvent => ({
    id: outcomeEventId(outcome),
    type: outcome.type,
    data: { ...outcome.data },
    metadata: { $correlationId: outcome.data.requestId, $causationId: outcome.data.inputEventId },
  });
  return {
    history(requestId) {
      const recorded: RecordedOutcome[] = store.read(REQUEST_STREAM_PREFIX + requestId).map((event) => ({
        type: event.type,
        data: event.data as Record<string, unknown>,
        created: new Date(event.created),
        revision: BigInt(event.revision),
      }));
      return Promise.resolve(recorded);
    },
    record(outcome) {
      store.append(REQUEST_STREAM_PREFIX + outcome.data.requestId, [toNew(outcome)], 'any');
      return Promise.resolve();
    },
    recordAt(outcome, expected) {
      return Promise.resolve(
        store.append(REQUEST_STREAM_PREFIX + outcome.data.requestId, [toNew(outcome)], expected),
      );
    },
  };
}

export interface InputMessage {
  readonly eventId: string;
  readonly requestId: string;
  readonly applies: string;
  readonly profile?: string;
  readonly payload: unknown;
}

export function inputEvent(message: InputMessage): StoredEvent {
  return {
    eventId: message.eventId,
    type: 'ShopDataReceived',
    data: message.payload,
    metadata: {
      $correlationId: message.requestId,
      applies: message.applies,
      profile: message.profile ?? 'web/v1',
      source: 'web',
      receivedAt: '2026-12-03T10:00:00.000Z',
    },
    streamId: 'shop-input',
    revision: 0,
    position: undefined,
    preparePosition: undefined,
    created: '2026-12-03T10:00:00.000Z',
  };
}

/** One input handler on in-memory ports with a clock the spec moves. */
export function inMemoryProcessor(policy: RetryPolicy = { maxRetryCount: 2, waitWindowMs: 1000 }) {
  const store = new InMemoryEventStore();
  const clock = { now: new Date('2026-12-03T10:00:01.000Z') };
  const handle = createInputHandler({
    store: inMemoryAggregateStore(store),
    outcomes: inMemoryOutcomeRecorder(store),
    logger: createLogger('spec', { level: 'silent' }),
    registry: createMetricsRegistry('processing'),
    policy,
    seal: (command) => Promise.resolve(command),
    now: () => clock.now,
    processorId: 'spec#1',
  });
  return {
    store,
    clock,
    /** Delivers the message as the group would, `retryCount` times redelivered before. */
    deliver: (message: InputMessage, retryCount = 0): Promise<Settlement> =>
      handle(inputEvent(message), retryCount),
    outcomes: (requestId: string) => store.read(REQUEST_STREAM_PREFIX + requestId).map((e) => e.type),
    types: (stream: string) => store.read(stream).map((e) => e.type),
  };
}
