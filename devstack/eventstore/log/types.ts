/** An event as a client proposes it: what the log needs to record it. */
export interface ProposedEvent {
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
}

/** A stored event. `position` is both commit and prepare position in `$all` (a byte offset in the log). */
export interface RecordedEvent {
  readonly streamId: string;
  readonly revision: number;
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
  /** .NET ticks (100 ns since 0001-01-01), as EventStoreDB stores them; sent as Unix ticks (`unixTicksFromTicks`). */
  readonly created: bigint;
  readonly position: number;
  /** Index in `$all` order, 0-based: handy for cursors; not sent to clients. */
  readonly sequence: number;
}

/** What a reader gets: the event, and the link that pointed to it when links were resolved. */
export interface ResolvedEvent {
  readonly event: RecordedEvent | undefined;
  readonly link: RecordedEvent | undefined;
}

export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export type CurrentRevision = number | 'no_stream';

export type AppendResult =
  | {
      readonly ok: true;
      readonly events: readonly RecordedEvent[];
      readonly currentRevision: number;
      /** Position of the last event of the append (of the existing events for an idempotent retry). */
      readonly position: number;
    }
  | {
      readonly ok: false;
      readonly reason: 'wrong-expected-version';
      readonly current: CurrentRevision;
      readonly expected: ExpectedRevision;
    }
  | { readonly ok: false; readonly reason: 'stream-deleted' };

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  readonly direction?: Direction;
  /** Inclusive start; 'start' / 'end' as the client's START / END. */
  readonly fromRevision?: number | 'start' | 'end';
  readonly maxCount?: number;
  readonly resolveLinkTos?: boolean;
}

export type ReadStreamResult =
  | { readonly ok: true; readonly events: readonly ResolvedEvent[] }
  | { readonly ok: false; readonly reason: 'stream-not-found' | 'stream-deleted' };

export interface ReadAllOptions {
  readonly direction?: Direction;
  /** Forwards: events at or after it; backwards: events before it. */
  readonly fromPosition?: number | 'start' | 'end';
  readonly maxCount?: number;
  readonly resolveLinkTos?: boolean;
}

/** The stream metadata keys the server honours (EventStoreDB names). */
export interface StreamMetadata {
  readonly $maxCount?: number;
  readonly $maxAge?: number;
  readonly $tb?: number;
  readonly [key: string]: unknown;
}

export type DeleteResult =
  | { readonly ok: true; readonly position: number }
  | {
      readonly ok: false;
      readonly reason: 'wrong-expected-version';
      readonly current: CurrentRevision;
      readonly expected: ExpectedRevision;
    }
  | { readonly ok: false; readonly reason: 'stream-deleted' };

export const LINK_EVENT_TYPE = '$>';
export const METADATA_EVENT_TYPE = '$metadata';
export const TOMBSTONE_EVENT_TYPE = '$streamDeleted';
export const TOMBSTONE_REVISION = Number.MAX_SAFE_INTEGER;
