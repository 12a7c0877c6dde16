/**
 * The narrow view of the event log that persistent subscriptions need. The core's log satisfies it through
 * `log-adapter.ts`; keeping the engine on this port lets it be read and tested without the gRPC layer.
 */

export interface LogPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export interface LoggedEvent {
  readonly streamId: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
  /** .NET ticks (100 ns since 0001-01-01), as the log stores them; `wire.ts` sends them as Unix ticks. */
  readonly created: bigint;
  readonly position: LogPosition;
}

export interface NewLogEvent {
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
}

export type ExpectedRevision = bigint | 'any' | 'no_stream';

export type AppendOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface PersistentLogPort {
  /** Events of `stream` with revision >= `from`, oldest first, at most `maxCount`; [] when none or no stream. */
  readStream(stream: string, from: bigint, maxCount: number): Promise<readonly LoggedEvent[]>;
  /** Events of $all at or after `from`, oldest first, at most `maxCount`. */
  readAll(from: LogPosition, maxCount: number): Promise<readonly LoggedEvent[]>;
  /** The last event of $all, or undefined when the log is empty. */
  readAllLast(): Promise<LoggedEvent | undefined>;
  /** The stream's last event, or undefined when it has none. */
  readLast(stream: string): Promise<LoggedEvent | undefined>;
  /** The stream's last revision ignoring truncation metadata, -1 when it never had events. */
  lastRevisionOf(stream: string): Promise<bigint>;
  append(stream: string, expected: ExpectedRevision, events: readonly NewLogEvent[]): Promise<AppendOutcome>;
  /** Calls `listener` after every committed append; returns the unsubscribe function. */
  onAppended(listener: () => void): () => void;
}
