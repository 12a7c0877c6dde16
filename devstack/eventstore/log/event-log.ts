import type { Logger } from '../../../lib/logger';
import {
  entriesOf,
  metadataEvent,
  recordedEventOf,
  systemLinkEntries,
  tombstoneEvent,
  type WriteGroup,
} from './entries';
import { FileBodies, MemoryBodies, type EventBodies } from './event-bodies';
import { EventIndex, type EventHeader, type IndexedStream } from './event-index';

export type { EventHeader } from './event-index';
import { checkIdempotency, expectedRevisionMatches } from './expected-revision';
import { LogFile } from './log-file';
import { allReadSequences, sequenceRange, streamRevisions } from './read-plan';
import { encodeRecord, recordSize } from './record-codec';
import {
  firstReadableRevision,
  isExpired,
  metastreamOf,
  isMetastream,
  parseStreamMetadata,
  ticksFromMs,
} from './stream-metadata';
import { parseLinkData, type SystemProjectionName } from './system-projections';
import { SystemProjectionSwitch } from './system-projection-switch';
import {
  LINK_EVENT_TYPE,
  TOMBSTONE_REVISION,
  type AppendResult,
  type CurrentRevision,
  type DeleteResult,
  type ExpectedRevision,
  type ProposedEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ReadStreamResult,
  type RecordedEvent,
  type ResolvedEvent,
  type StreamMetadata,
} from './types';

export interface EventLogOptions {
  /** Directory of the durable log; undefined keeps everything in memory (like `--mem-db`). */
  readonly dbDir?: string;
  /** Emit `$ce-<category>` and `$et-<type>` link events (default true). */
  readonly systemProjections?: boolean;
  readonly logger: Logger;
}

export type AppendedListener = (events: readonly RecordedEvent[]) => void;

/**
 * The event store's log: `$all` in order plus a per-stream index. The index is always in memory (`EventIndex`);
 * the bodies are in memory without a `dbDir`, else read back from the durable file (`EventBodies`). Appends are
 * checked and indexed synchronously in arrival order; readers and listeners only see events once they are
 * durable (`visibleCount`).
 */
export class EventLog {
  private readonly listeners = new Set<AppendedListener>();
  private readonly bodies: EventBodies;
  /** The parsed metadata of each metastream, with the sequence it was parsed from. */
  private readonly metadataByStream = new Map<
    number,
    { sequence: number; metadata: StreamMetadata | undefined }
  >();
  private visible: number;
  private nextPosition: number;

  private readonly systemProjections: SystemProjectionSwitch;

  private constructor(
    private readonly file: LogFile | undefined,
    private readonly index: EventIndex,
    end: number,
    systemProjections: boolean,
    private readonly logger: Logger,
  ) {
    this.systemProjections = new SystemProjectionSwitch(systemProjections);
    this.bodies = file ? new FileBodies(file, index, index.count) : new MemoryBodies();
    this.visible = index.count;
    this.nextPosition = end;
  }

  isSystemProjectionRunning(name: SystemProjectionName): boolean {
    return this.systemProjections.isRunning(name);
  }

  /** New appends stop carrying this projection's links (not kept across a restart: the option decides). */
  stopSystemProjection(name: SystemProjectionName): void {
    this.systemProjections.stop(name, this.index.count);
  }

  /** Resolves once the links for everything appended while it was stopped are durable and it runs again. */
  startSystemProjection(name: SystemProjectionName): Promise<void> {
    const index = this.index;
    return this.systemProjections.start(name, {
      get writtenCount() {
        return index.count;
      },
      writtenEventAt: (sequence) => (sequence < index.count ? index.headerAt(sequence) : undefined),
      append: (streamId, expected, events) => this.append(streamId, expected, events),
    });
  }

  static async open(options: EventLogOptions): Promise<EventLog> {
    const systemProjections = options.systemProjections ?? true;
    const index = new EventIndex();
    if (options.dbDir === undefined)
      return new EventLog(undefined, index, 0, systemProjections, options.logger);
    const { file, end } = await LogFile.open(options.dbDir, options.logger, (header, position, length) =>
      index.add(header, position, length),
    );
    options.logger.info({ dbDir: options.dbDir, events: index.count }, 'event log opened');
    return new EventLog(file, index, end, systemProjections, options.logger);
  }

  /** Number of events readers can see; `eventAt(visibleCount - 1)` is the newest. */
  get visibleCount(): number {
    return this.visible;
  }

  eventAt(sequence: number): RecordedEvent | undefined {
    return sequence >= 0 && sequence < this.visible ? this.bodies.eventAt(sequence) : undefined;
  }

  /** The visible events from `from` (inclusive) to `to` (exclusive), read together. */
  eventsBetween(from: number, to: number): RecordedEvent[] {
    return this.bodies.eventsAt(sequenceRange(Math.max(0, from), Math.min(to, this.visible)));
  }

  /** The visible events at `sequences`, in that order, read together. */
  eventsAt(sequences: readonly number[]): RecordedEvent[] {
    return this.bodies.eventsAt(sequences.filter((sequence) => sequence >= 0 && sequence < this.visible));
  }

  /** A visible event's stream, type, revision and position without reading its body. */
  eventHeaderAt(sequence: number): EventHeader | undefined {
    return sequence >= 0 && sequence < this.visible ? this.index.headerAt(sequence) : undefined;
  }

  /** Position just after the newest visible event (what `end` means for `$all`). */
  get endPosition(): number {
    return this.visible > 0 ? this.index.positionOf(this.visible - 1) + 1 : 0;
  }

  /** Disk syncs so far (0 in memory). */
  get syncCount(): number {
    return this.file?.syncCount ?? 0;
  }

  /** Called with each durable append, in `$all` order. Returns the unsubscribe function. */
  onAppended(listener: AppendedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  currentRevision(streamId: string): CurrentRevision {
    const state = this.index.stream(streamId);
    return state && state.sequences.length > 0 ? state.sequences.length - 1 : 'no_stream';
  }

  isTombstoned(streamId: string): boolean {
    const tombstone = this.index.stream(streamId)?.tombstone;
    return tombstone !== undefined && tombstone < this.visible;
  }

  getStreamMetadata(streamId: string): StreamMetadata | undefined {
    const meta = this.index.stream(metastreamOf(streamId));
    const last = meta?.sequences.findLast((sequence) => sequence < this.visible);
    if (!meta || last === undefined) return undefined;
    const cached = this.metadataByStream.get(meta.number);
    if (cached?.sequence === last) return cached.metadata;
    const event = this.bodies.eventAt(last);
    const metadata = event ? parseStreamMetadata(event.data) : undefined;
    this.metadataByStream.set(meta.number, { sequence: last, metadata });
    return metadata;
  }

  append(
    streamId: string,
    expected: ExpectedRevision,
    events: readonly ProposedEvent[],
  ): Promise<AppendResult> {
    const state = this.index.stream(streamId);
    if (state?.tombstone !== undefined) return Promise.resolve({ ok: false, reason: 'stream-deleted' });
    const current = this.currentRevision(streamId);
    const idempotency = checkIdempotency(
      events.map((event) => event.id),
      expected,
      (id) => this.revisionWithId(state, id),
    );
    if (idempotency.kind === 'duplicate') {
      const sequence = state?.sequences[idempotency.lastRevision] ?? 0;
      return this.whenVisible(sequence).then(() => ({
        ok: true as const,
        events: [],
        currentRevision: idempotency.lastRevision,
        position: this.index.positionOf(sequence),
      }));
    }
    // Some of the ids are already there but not as the same run: EventStoreDB refuses rather than duplicate.
    if (idempotency.kind === 'partial') {
      return Promise.resolve({ ok: false, reason: 'wrong-expected-version', current, expected });
    }
    if (!expectedRevisionMatches(expected, current, this.isSoftDeleted(streamId, current))) {
      return Promise.resolve({ ok: false, reason: 'wrong-expected-version', current, expected });
    }
    if (events.length === 0) {
      return Promise.resolve({
        ok: true,
        events: [],
        currentRevision: current === 'no_stream' ? -1 : current,
        position: this.endPosition,
      });
    }
    const firstRevision = current === 'no_stream' ? 0 : current + 1;
    const { recorded, durable } = this.write([{ streamId, events, firstRevision }]);
    const last = recorded[events.length - 1];
    return durable.then(() => ({
      ok: true as const,
      events: recorded.slice(0, events.length),
      currentRevision: firstRevision + events.length - 1,
      position: last?.position ?? 0,
    }));
  }

  /** Soft delete: later reads find no stream; appending again continues the revisions. */
  async deleteStream(streamId: string, expected: ExpectedRevision): Promise<DeleteResult> {
    if (this.index.stream(streamId)?.tombstone !== undefined) return { ok: false, reason: 'stream-deleted' };
    const current = this.currentRevision(streamId);
    if (!expectedRevisionMatches(expected, current, false)) {
      return { ok: false, reason: 'wrong-expected-version', current, expected };
    }
    if (current === 'no_stream') return { ok: true, position: this.endPosition };
    const metadata = { ...this.getStreamMetadata(streamId), $tb: current + 1 };
    const result = await this.append(metastreamOf(streamId), 'any', [metadataEvent(metadata)]);
    return result.ok ? { ok: true, position: result.position } : { ok: false, reason: 'stream-deleted' };
  }

  /** Hard delete: the stream can never be read or written again. */
  async tombstoneStream(streamId: string, expected: ExpectedRevision): Promise<DeleteResult> {
    const state = this.index.stream(streamId);
    if (state?.tombstone !== undefined) return { ok: false, reason: 'stream-deleted' };
    const current = this.currentRevision(streamId);
    if (!expectedRevisionMatches(expected, current, false)) {
      return { ok: false, reason: 'wrong-expected-version', current, expected };
    }
    const tombstone = tombstoneEvent();
    const { recorded, durable } = this.write([
      { streamId, events: [tombstone], firstRevision: TOMBSTONE_REVISION },
    ]);
    await durable;
    return { ok: true, position: recorded[0]?.position ?? 0 };
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): ReadStreamResult {
    if (this.isTombstoned(streamId)) return { ok: false, reason: 'stream-deleted' };
    const state = this.index.stream(streamId);
    const lastRevision = this.lastVisibleRevision(state);
    if (!state || lastRevision < 0) return { ok: false, reason: 'stream-not-found' };
    const metadata = isMetastream(streamId) ? undefined : this.getStreamMetadata(streamId);
    const firstRevision = firstReadableRevision(metadata, lastRevision);
    if (firstRevision > lastRevision) return { ok: false, reason: 'stream-not-found' };
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const revisions = streamRevisions(options, firstRevision, lastRevision);
    const now = Date.now();
    const events: ResolvedEvent[] = [];
    // In rounds, because expired events do not count towards maxCount.
    while (events.length < maxCount && revisions.remaining > 0) {
      const sequences = revisions.take(maxCount - events.length).map((at) => state.sequences[at] ?? -1);
      for (const event of this.bodies.eventsAt(sequences)) {
        if (!isExpired(metadata, event, now)) events.push(this.resolve(event, options.resolveLinkTos));
      }
    }
    return { ok: true, events };
  }

  readAll(options: ReadAllOptions = {}): ResolvedEvent[] {
    const sequences = allReadSequences(options, this.visible, (position) => this.sequenceAtOrAfter(position));
    return this.bodies.eventsAt(sequences).map((event) => this.resolve(event, options.resolveLinkTos));
  }

  /** First sequence whose position is >= `position` (visibleCount when none). */
  sequenceAtOrAfter(position: number): number {
    return this.index.firstAtOrAfter(position, this.visible);
  }

  /** Follows a `$>` link to the event it points at; other events come back as they are. */
  resolve(event: RecordedEvent | undefined, resolveLinkTos = false): ResolvedEvent {
    if (!event || !resolveLinkTos || event.type !== LINK_EVENT_TYPE) return { event, link: undefined };
    const target = parseLinkData(event.data);
    const state = target && this.index.stream(target.streamId);
    const sequence = target && state?.sequences[target.revision];
    const resolved = sequence === undefined ? undefined : this.eventAt(sequence);
    return { event: resolved, link: event };
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.file?.close();
  }

  private isSoftDeleted(streamId: string, current: CurrentRevision): boolean {
    if (current === 'no_stream') return false;
    const truncateBefore = this.getStreamMetadata(streamId)?.$tb;
    return typeof truncateBefore === 'number' && truncateBefore > current;
  }

  /** Last revision of the stream readers can see, -1 when none (ignores truncation metadata). */
  lastVisibleRevisionOf(streamId: string): number {
    return this.lastVisibleRevision(this.index.stream(streamId));
  }

  private lastVisibleRevision(state: IndexedStream | undefined): number {
    if (!state) return -1;
    let revision = state.sequences.length - 1;
    while (revision >= 0 && (state.sequences[revision] ?? Infinity) >= this.visible) revision--;
    return revision;
  }

  /** Assigns revisions and positions, indexes the events now, and queues them for disk. */
  private write(groups: readonly WriteGroup[]): { recorded: RecordedEvent[]; durable: Promise<void> } {
    const created = ticksFromMs(Date.now());
    const entries = entriesOf(groups, created);
    const running = this.systemProjections.runningProjections;
    if (running.size > 0) {
      entries.push(
        ...systemLinkEntries(entries, created, (streamId) => this.currentRevision(streamId), running),
      );
    }
    const recordOffset = this.nextPosition;
    let entryOffsets: readonly number[];
    let recordEnd: number;
    let written: Promise<void>;
    if (this.file) {
      const encoded = encodeRecord(entries);
      entryOffsets = encoded.entryOffsets;
      recordEnd = encoded.buffer.length;
      written = this.file.write(encoded.buffer, recordOffset);
    } else {
      const sized = recordSize(entries);
      entryOffsets = sized.entryOffsets;
      recordEnd = sized.size;
      written = Promise.resolve();
    }
    this.nextPosition += recordEnd;
    const recorded = entries.map((entry, at) => {
      const offset = entryOffsets[at] ?? 0;
      const position = recordOffset + offset;
      const sequence = this.index.add(entry, position, (entryOffsets[at + 1] ?? recordEnd) - offset);
      const event = recordedEventOf(entry, position, sequence);
      this.bodies.add(event);
      return event;
    });
    const end = this.index.count;
    // Writes complete in queue order, so once this one is durable everything before it is too.
    const durable = written.then(() => this.publishUpTo(end));
    this.lastWrite = durable;
    return { recorded, durable };
  }

  private lastWrite: Promise<void> = Promise.resolve();

  /** The revision of the stream's event with this id (the latest, should an id repeat); reads only on a hash hit. */
  private revisionWithId(stream: IndexedStream | undefined, id: string): number | undefined {
    if (!stream) return undefined;
    let latest: number | undefined;
    for (const sequence of this.index.idCandidates(stream, id)) {
      if ((latest === undefined || sequence > latest) && this.bodies.eventAt(sequence)?.id === id)
        latest = sequence;
    }
    return latest === undefined ? undefined : this.index.revisionOf(latest);
  }

  private async whenVisible(sequence: number): Promise<void> {
    if (sequence < this.visible) return;
    await this.lastWrite;
  }

  private publishUpTo(count: number): void {
    if (count <= this.visible) return;
    const published = this.bodies.publish(this.visible, count);
    this.visible = count;
    for (const listener of this.listeners) {
      try {
        listener(published);
      } catch (error) {
        this.logger.error({ err: error }, 'appended listener failed');
      }
    }
  }
}
