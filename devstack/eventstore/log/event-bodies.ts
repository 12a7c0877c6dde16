import { LRUCache } from 'lru-cache';
import { recordedEventOf } from './entries';
import type { EntryLocation } from './event-index';
import type { LogFile } from './log-file';
import { decodeEntryAt } from './record-codec';
import type { RecordedEvent } from './types';

/** Recent bodies kept in memory: what live subscribers read right after an append. */
const CACHE_MAX_EVENTS = 8192;
const CACHE_MAX_BYTES = 16 * 1024 * 1024;
/** Consecutive entries are read with one pread of at most this much (more for one bigger entry). */
const READ_SPAN_MAX_BYTES = 1024 * 1024;
/** Rough per-event overhead of the object and its strings, for the cache's byte budget. */
const EVENT_OVERHEAD_BYTES = 256;

/** Where the log keeps event bodies: all in memory, or on disk with the newest cached. */
export interface EventBodies {
  /** The event just indexed at `event.sequence` (the next one): kept until durable, or for good in memory. */
  add(event: RecordedEvent): void;
  /** The events from `from` up to `count` are durable now: returns them, in order. */
  publish(from: number, count: number): RecordedEvent[];
  eventAt(sequence: number): RecordedEvent | undefined;
  /** The events at `sequences` (in that order), reading runs of consecutive ones from disk in one go. */
  eventsAt(sequences: readonly number[]): RecordedEvent[];
}

/** `--mem-db`: every body in memory, as before there was a file. */
export class MemoryBodies implements EventBodies {
  private readonly events: RecordedEvent[] = [];

  add(event: RecordedEvent): void {
    this.events.push(event);
  }

  publish(from: number, count: number): RecordedEvent[] {
    return this.events.slice(from, count);
  }

  eventAt(sequence: number): RecordedEvent | undefined {
    return this.events[sequence];
  }

  eventsAt(sequences: readonly number[]): RecordedEvent[] {
    return sequences.map((sequence) => this.events[sequence]).filter((event) => event !== undefined);
  }
}

function approximateBytes(event: RecordedEvent): number {
  return (
    EVENT_OVERHEAD_BYTES +
    event.data.byteLength +
    event.metadata.byteLength +
    2 * (event.id.length + event.streamId.length + event.type.length + event.contentType.length)
  );
}

/** Least recently used first, bounded by count and bytes (lru-cache evicts in constant time). */
class BodyCache {
  private readonly events = new LRUCache<number, RecordedEvent>({
    max: CACHE_MAX_EVENTS,
    maxSize: CACHE_MAX_BYTES,
    sizeCalculation: approximateBytes,
  });

  get(sequence: number): RecordedEvent | undefined {
    return this.events.get(sequence);
  }

  set(event: RecordedEvent): void {
    if (!this.events.has(event.sequence)) this.events.set(event.sequence, event);
  }
}

/**
 * Bodies on disk: events not yet durable stay in memory (`pending`, the only copy readers may need before the
 * write lands), the newest durable ones in a small LRU cache, the rest are read back with positioned reads.
 */
export class FileBodies implements EventBodies {
  private pending: RecordedEvent[] = [];
  private pendingFrom: number;
  private readonly cache = new BodyCache();

  constructor(
    private readonly file: LogFile,
    private readonly index: EntryLocation,
    durableCount: number,
  ) {
    this.pendingFrom = durableCount;
  }

  add(event: RecordedEvent): void {
    this.pending.push(event);
  }

  publish(from: number, count: number): RecordedEvent[] {
    const published = this.pending.slice(from - this.pendingFrom, count - this.pendingFrom);
    this.pending = this.pending.slice(count - this.pendingFrom);
    this.pendingFrom = count;
    for (const event of published) this.cache.set(event);
    return published;
  }

  eventAt(sequence: number): RecordedEvent | undefined {
    const held = this.held(sequence);
    if (held) return held;
    const [event] = this.readRun([sequence]);
    if (event) this.cache.set(event);
    return event;
  }

  eventsAt(sequences: readonly number[]): RecordedEvent[] {
    const events: (RecordedEvent | undefined)[] = new Array<RecordedEvent | undefined>(sequences.length);
    // A run: consecutive sequences (ascending or descending) not held in memory, read with one pread.
    let runStart = -1;
    let step = 0;
    const flush = (end: number): void => {
      if (runStart < 0) return;
      const run = sequences.slice(runStart, end);
      const read = step < 0 ? this.readRun(run.reverse()).reverse() : this.readRun(run);
      read.forEach((event, at) => (events[runStart + at] = event));
      runStart = -1;
      step = 0;
    };
    sequences.forEach((sequence, at) => {
      const held = this.held(sequence);
      if (held) {
        flush(at);
        events[at] = held;
        return;
      }
      if (runStart >= 0) {
        const next = sequence - (sequences[at - 1] ?? Number.NaN);
        const first = sequences[runStart] ?? sequence;
        if ((next === 1 || next === -1) && (step === 0 || step === next) && this.oneRead(first, sequence)) {
          step = next;
          return;
        }
        flush(at);
      }
      runStart = at;
    });
    flush(sequences.length);
    return events.filter((event) => event !== undefined);
  }

  private held(sequence: number): RecordedEvent | undefined {
    return sequence >= this.pendingFrom
      ? this.pending[sequence - this.pendingFrom]
      : this.cache.get(sequence);
  }

  /** Whether the entries from `a` to `b` (either order) fit in one read. */
  private oneRead(a: number, b: number): boolean {
    const low = Math.min(a, b);
    const high = Math.max(a, b);
    const end = this.index.positionOf(high) + this.index.lengthOf(high);
    return end - this.index.positionOf(low) <= READ_SPAN_MAX_BYTES;
  }

  /** Reads consecutive ascending entries with one pread into a buffer of their own (the events view into it). */
  private readRun(run: readonly number[]): RecordedEvent[] {
    const first = run[0];
    const last = run[run.length - 1];
    if (first === undefined || last === undefined) return [];
    const start = this.index.positionOf(first);
    const buffer = Buffer.allocUnsafeSlow(this.index.positionOf(last) + this.index.lengthOf(last) - start);
    this.file.readInto(buffer, start);
    return run.map((sequence) => this.decode(buffer, start, sequence));
  }

  private decode(buffer: Buffer, start: number, sequence: number): RecordedEvent {
    const position = this.index.positionOf(sequence);
    const at = position - start;
    const entry = decodeEntryAt(buffer, at, {
      streamId: this.index.streamIdOf(sequence),
      type: this.index.typeOf(sequence),
    });
    if (
      buffer.readUInt32LE(at) + 4 !== this.index.lengthOf(sequence) ||
      entry.revision !== this.index.revisionOf(sequence)
    ) {
      throw new Error(`event log entry at ${position} does not match its index`);
    }
    return recordedEventOf(entry, position, sequence);
  }
}
