import { float64Column, uint32Column } from './growable-column';
import { IdTable, idHash } from './id-table';
import type { EntryHeader } from './record-codec';
import { TOMBSTONE_EVENT_TYPE, TOMBSTONE_REVISION } from './types';

/** A stream as the index knows it. */
export interface IndexedStream {
  readonly name: string;
  readonly number: number;
  /** Sequences in `$all` of the stream's events; index = revision. */
  readonly sequences: number[];
  tombstone: number | undefined;
}

/** What filters and cursors need of an event, from the index alone (no body read). */
export interface EventHeader {
  readonly streamId: string;
  readonly type: string;
  readonly revision: number;
  readonly position: number;
}

/** Where an event's entry sits in the log file (`length` includes its length prefix). */
export interface EntryLocation {
  positionOf(sequence: number): number;
  lengthOf(sequence: number): number;
  revisionOf(sequence: number): number;
  streamIdOf(sequence: number): string;
  typeOf(sequence: number): string;
}

/**
 * Everything reads and appends decide on, for every event in `$all` order, without the event bodies: one typed
 * column per field (position, entry length, stream and type as interned numbers, revision) — about 30 bytes an
 * event — plus the per-stream revision → sequence lists and the event-id table for idempotent appends.
 */
export class EventIndex implements EntryLocation {
  private readonly positions = float64Column();
  private readonly lengths = uint32Column();
  private readonly revisions = float64Column();
  private readonly streamNumbers = uint32Column();
  private readonly typeNumbers = uint32Column();
  private readonly streamList: IndexedStream[] = [];
  private readonly streamByName = new Map<string, IndexedStream>();
  private readonly types: string[] = [];
  private readonly typeNumberByName = new Map<string, number>();
  private readonly ids = new IdTable();

  /** Events indexed (durable or not). */
  get count(): number {
    return this.positions.length;
  }

  /** Indexes the next event; returns its sequence. */
  add(header: EntryHeader, position: number, length: number): number {
    const sequence = this.positions.length;
    const stream = this.streamNamed(header.streamId);
    this.positions.push(position);
    this.lengths.push(length);
    this.revisions.push(header.revision);
    this.streamNumbers.push(stream.number);
    this.typeNumbers.push(this.typeNumberOf(header.type));
    if (header.type === TOMBSTONE_EVENT_TYPE && header.revision === TOMBSTONE_REVISION) {
      stream.tombstone = sequence;
    } else {
      stream.sequences.push(sequence);
      this.ids.add(idHash(header.id), sequence);
    }
    return sequence;
  }

  stream(name: string): IndexedStream | undefined {
    return this.streamByName.get(name);
  }

  positionOf(sequence: number): number {
    return this.positions.at(sequence);
  }

  lengthOf(sequence: number): number {
    return this.lengths.at(sequence);
  }

  revisionOf(sequence: number): number {
    return this.revisions.at(sequence);
  }

  streamIdOf(sequence: number): string {
    return this.streamList[this.streamNumbers.at(sequence)]?.name ?? '';
  }

  typeOf(sequence: number): string {
    return this.types[this.typeNumbers.at(sequence)] ?? '';
  }

  headerAt(sequence: number): EventHeader {
    return {
      streamId: this.streamIdOf(sequence),
      type: this.typeOf(sequence),
      revision: this.revisionOf(sequence),
      position: this.positionOf(sequence),
    };
  }

  /** The stream's events (not tombstones) whose id may be `id`: the caller confirms by reading them. */
  idCandidates(stream: IndexedStream, id: string): number[] {
    return this.ids
      .candidates(idHash(id))
      .filter((sequence) => this.streamNumbers.at(sequence) === stream.number);
  }

  /** First sequence below `limit` whose position is >= `position` (`limit` when none). */
  firstAtOrAfter(position: number, limit: number): number {
    let low = 0;
    let high = limit;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.positions.at(middle) < position) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private streamNamed(name: string): IndexedStream {
    let stream = this.streamByName.get(name);
    if (!stream) {
      stream = { name, number: this.streamList.length, sequences: [], tombstone: undefined };
      this.streamList.push(stream);
      this.streamByName.set(name, stream);
    }
    return stream;
  }

  private typeNumberOf(type: string): number {
    let number = this.typeNumberByName.get(type);
    if (number === undefined) {
      number = this.types.length;
      this.types.push(type);
      this.typeNumberByName.set(type, number);
    }
    return number;
  }
}
