import type { LogPosition } from './port';

/** A place in the subscribed source: the revision counts for a stream, the position for $all. */
export interface SourcePoint {
  readonly revision: bigint;
  readonly position: LogPosition;
}
import type { CheckpointSlot } from './message';

/**
 * The messages read from the log in order, so the checkpoint can only move past events that are settled:
 * everything before the first unsettled one. When nothing is outstanding, the last event read (even one a
 * filter skipped) is safe.
 */
export class CheckpointWindow {
  private slots: CheckpointSlot[] = [];
  private head = 0;
  private lastSettled: SourcePoint | undefined;
  private lastRead: SourcePoint | undefined;
  private settledSinceCheckpoint = 0;

  constructor(checkpoint: SourcePoint | undefined) {
    this.lastSettled = checkpoint;
    this.lastRead = checkpoint;
  }

  open(original: SourcePoint): CheckpointSlot {
    const slot = { original, settled: false };
    this.slots.push(slot);
    this.lastRead = original;
    return slot;
  }

  /** An event read but not delivered (filtered out): counts as processed once all before it are. */
  passOver(original: SourcePoint): void {
    this.lastRead = original;
    if (this.outstanding() === 0) this.settledSinceCheckpoint += 1;
  }

  settle(slot: CheckpointSlot): void {
    if (slot.settled) return;
    slot.settled = true;
    while (this.head < this.slots.length && this.slots[this.head]!.settled) {
      this.lastSettled = this.slots[this.head]!.original;
      this.head += 1;
      this.settledSinceCheckpoint += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.slots.length) {
      this.slots = this.slots.slice(this.head);
      this.head = 0;
    }
  }

  outstanding(): number {
    return this.slots.length - this.head;
  }

  /** The furthest event every earlier message of which is settled. */
  checkpointable(): SourcePoint | undefined {
    return this.outstanding() === 0 ? this.lastRead : this.lastSettled;
  }

  pendingCount(): number {
    return this.settledSinceCheckpoint;
  }

  markCheckpointed(): void {
    this.settledSinceCheckpoint = 0;
  }

  lastKnown(): SourcePoint | undefined {
    return this.lastRead;
  }
}
