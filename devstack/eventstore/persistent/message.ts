import type { LoggedEvent } from './port';
import type { SourcePoint } from './checkpoint-window';

/** One event on its way to a consumer, as the subscription tracks it until it is acked, skipped or parked. */
export interface OutstandingMessage {
  /** The event the consumer sees as `event`: the link target when a link was resolved, else the read record. */
  readonly event: LoggedEvent;
  /** The link record, present only when a link was resolved. */
  readonly link?: LoggedEvent;
  /** The record read from the subscribed stream (link ?? event): its id is the one the client acks. */
  readonly original: LoggedEvent;
  retryCount: number;
  /** Checkpoint bookkeeping; absent for replayed parked messages, which are outside the stream's order. */
  readonly slot?: CheckpointSlot;
}

export interface CheckpointSlot {
  readonly original: SourcePoint;
  settled: boolean;
}

export function ackIdOf(message: OutstandingMessage): string {
  return message.original.id;
}
