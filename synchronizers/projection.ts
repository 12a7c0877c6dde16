import type { ReadModelDocument } from '../contracts/read-models/read-model';
import { currentShape } from './current-shape';

export type { ReadModelDocument };

/** One event as a synchronizer sees it: a recorded event from `$all`. */
export interface ProjectedEvent {
  readonly type: string;
  readonly data: unknown;
  readonly metadata: Record<string, unknown>;
  readonly eventId: string;
  readonly streamId: string;
  readonly revision: number;
  /** The `$all` commit position: strictly increasing along the history a synchronizer follows. */
  readonly position: number;
  /** When the store recorded the event, ISO 8601. */
  readonly created: string;
}

export interface ProjectionIndex {
  readonly key: Record<string, 1 | -1>;
  readonly unique?: boolean;
  readonly name: string;
}

/**
 * The shape every read model implements: pure functions over plain data, no I/O, no clock. `keysOf` and `apply`
 * see domain events in the current schema version: `documentKeys` and `projectBatch` upcast older ones first.
 */
export interface Projection<Doc extends ReadModelDocument = ReadModelDocument> {
  readonly name: string;
  /** The event types the model handles (`canHandle`); the host's one subscription filters on their union. */
  readonly eventTypes: readonly string[];
  /** Ids of the documents this event touches; `[]` means the model ignores it. */
  keysOf(event: ProjectedEvent): string[];
  /** The document after the event; `undefined` only when there is no document (and the event creates none). */
  apply(doc: Doc | undefined, event: ProjectedEvent): Doc | undefined;
  readonly indexes: readonly ProjectionIndex[];
}

/** Whether the projection handles this event at all: the types it declares, nothing else. */
export function canHandle(projection: Projection<ReadModelDocument>, type: string): boolean {
  return projection.eventTypes.includes(type);
}

/** An event the projection could not apply (a broken contract, or a bug the event exposes): skipped, not retried. */
export interface PoisonedEvent {
  readonly event: ProjectedEvent;
  readonly error: unknown;
}

export interface BatchResult<Doc extends ReadModelDocument> {
  /** The documents to write, by id, each in its final state after the batch. */
  readonly changed: Map<string, Doc>;
  /** (event, document) pairs applied. */
  readonly applied: number;
  /** (event, document) pairs skipped by the replay guard: already reflected in the stored document. */
  readonly skipped: number;
  /** (event, document) pairs the projection declined, e.g. a payment for an order it has no document for. */
  readonly ignored: number;
  /** Events that threw while upcast, keyed or applied; none of their changes are in `changed`. */
  readonly poisoned: readonly PoisonedEvent[];
}

/** One event in the current schema version with the documents it touches, or why it cannot be projected. */
type Keyed = { readonly event: ProjectedEvent; readonly keys: readonly string[] } | PoisonedEvent;

function keyed(projection: Projection<ReadModelDocument>, events: readonly ProjectedEvent[]): Keyed[] {
  return events.map((event) => {
    try {
      const current = currentShape(event);
      return { event: current, keys: projection.keysOf(current) };
    } catch (error) {
      return { event, error };
    }
  });
}

/**
 * The distinct ids of the documents a batch touches, in first-seen order: what the runner loads before applying.
 * Events that cannot be keyed touch none (`projectBatch` reports them).
 */
export function documentKeys(
  projection: Projection<ReadModelDocument>,
  events: readonly ProjectedEvent[],
): string[] {
  const keys = new Set<string>();
  for (const entry of keyed(projection, events)) {
    if ('keys' in entry) for (const key of entry.keys) keys.add(key);
  }
  return [...keys];
}

export type EventOutcome<Doc> =
  | { readonly kind: 'applied'; readonly doc: Doc }
  | { readonly kind: 'already-applied' }
  | { readonly kind: 'ignored' };

/**
 * Applies one event to one document unless the document already reflects it. Events reach a synchronizer in
 * `$all` order, so a document whose `_position` is at or past the event's position has seen it already.
 */
export function projectEvent<Doc extends ReadModelDocument>(
  projection: Projection<Doc>,
  doc: Doc | undefined,
  event: ProjectedEvent,
): EventOutcome<Doc> {
  if (doc !== undefined && event.position <= doc._position) return { kind: 'already-applied' };
  const next = projection.apply(doc, event);
  if (next === undefined) return { kind: 'ignored' };
  return { kind: 'applied', doc: { ...next, _position: event.position } };
}

/**
 * Applies a batch of events (in `$all` order) to the documents they touch. `docsById` holds the stored documents
 * (absent = none stored); it is not modified. The guard is per document, so when a runner dies after writing only
 * some documents of a batch, replaying the batch from the checkpoint completes the rest and leaves the written
 * ones untouched. An event that throws is poisoned as a whole: none of its documents change, the rest go on.
 */
export function projectBatch<Doc extends ReadModelDocument>(
  projection: Projection<Doc>,
  docsById: ReadonlyMap<string, Doc>,
  events: readonly ProjectedEvent[],
): BatchResult<Doc> {
  const changed = new Map<string, Doc>();
  const counts = { applied: 0, 'already-applied': 0, ignored: 0 };
  const poisoned: PoisonedEvent[] = [];
  for (const entry of keyed(projection, events)) {
    if (!('keys' in entry)) {
      poisoned.push(entry);
      continue;
    }
    try {
      const outcomes = entry.keys.map(
        (key) => [key, projectEvent(projection, changed.get(key) ?? docsById.get(key), entry.event)] as const,
      );
      for (const [key, outcome] of outcomes) {
        counts[outcome.kind] += 1;
        if (outcome.kind === 'applied') changed.set(key, outcome.doc);
      }
    } catch (error) {
      poisoned.push({ event: entry.event, error });
    }
  }
  return {
    changed,
    applied: counts.applied,
    skipped: counts['already-applied'],
    ignored: counts.ignored,
    poisoned,
  };
}
