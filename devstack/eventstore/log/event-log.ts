import type { Logger } from '../../../lib/logger';
import {
  entriesOf,
  metadataEvent,
  recordedEventOf,
  systemLinkEntries,
  tombstoneEvent,
  type WriteGroup,
} from './entries';
import { checkIdempotency, expectedRevisionMatches } from './expected-revision';
import { LogFile } from './log-file';
import { encodeRecord, recordSize, type StoredEntry } from './record-codec';
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
  TOMBSTONE_EVENT_TYPE,
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

interface StreamState {
  /** Sequence numbers in `$all` of the stream's events; index = revision. */
  readonly sequences: number[];
  readonly revisionById: Map<string, number>;
  tombstone: number | undefined;
}

/**
 * The event store's log: `$all` in order plus a per-stream index, in memory, optionally backed by a durable file.
 * Appends are checked and indexed synchronously in arrival order; readers and listeners only see events once
 * they are durable (`visibleCount`).
 */
export class EventLog {
  private readonly all: RecordedEvent[] = [];
  private readonly streams = new Map<string, StreamState>();
  private readonly listeners = new Set<AppendedListener>();
  private visible = 0;
  private nextPosition = 0;

  private readonly systemProjections: SystemProjectionSwitch;

  private constructor(
    private readonly file: LogFile | undefined,
    systemProjections: boolean,
    private readonly logger: Logger,
  ) {
    this.systemProjections = new SystemProjectionSwitch(systemProjections);
  }

  isSystemProjectionRunning(name: SystemProjectionName): boolean {
    return this.systemProjections.isRunning(name);
  }

  /** New appends stop carrying this projection's links (not kept across a restart: the option decides). */
  stopSystemProjection(name: SystemProjectionName): void {
    this.systemProjections.stop(name, this.all.length);
  }

  /** Resolves once the links for everything appended while it was stopped are durable and it runs again. */
  startSystemProjection(name: SystemProjectionName): Promise<void> {
    const all = this.all;
    return this.systemProjections.start(name, {
      get writtenCount() {
        return all.length;
      },
      writtenEventAt: (sequence) => all[sequence],
      append: (streamId, expected, events) => this.append(streamId, expected, events),
    });
  }

  static async open(options: EventLogOptions): Promise<EventLog> {
    const systemProjections = options.systemProjections ?? true;
    if (options.dbDir === undefined) return new EventLog(undefined, systemProjections, options.logger);
    const { file, recovered } = await LogFile.open(options.dbDir, options.logger);
    const log = new EventLog(file, systemProjections, options.logger);
    for (const { record, offset } of recovered.records) {
      log.index(record.entries.map(({ entry, offset: at }) => ({ entry, position: offset + at })));
    }
    log.visible = log.all.length;
    log.nextPosition = recovered.end;
    options.logger.info({ dbDir: options.dbDir, events: log.all.length }, 'event log opened');
    return log;
  }

  /** Number of events readers can see; `eventAt(visibleCount - 1)` is the newest. */
  get visibleCount(): number {
    return this.visible;
  }

  eventAt(sequence: number): RecordedEvent | undefined {
    return sequence < this.visible ? this.all[sequence] : undefined;
  }

  /** Position just after the newest visible event (what `end` means for `$all`). */
  get endPosition(): number {
    const last = this.all[this.visible - 1];
    return last ? last.position + 1 : 0;
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
    const state = this.streams.get(streamId);
    return state && state.sequences.length > 0 ? state.sequences.length - 1 : 'no_stream';
  }

  isTombstoned(streamId: string): boolean {
    const tombstone = this.streams.get(streamId)?.tombstone;
    return tombstone !== undefined && tombstone < this.visible;
  }

  getStreamMetadata(streamId: string): StreamMetadata | undefined {
    const meta = this.streams.get(metastreamOf(streamId));
    const last = meta?.sequences.findLast((sequence) => sequence < this.visible);
    const event = last === undefined ? undefined : this.all[last];
    return event ? parseStreamMetadata(event.data) : undefined;
  }

  append(
    streamId: string,
    expected: ExpectedRevision,
    events: readonly ProposedEvent[],
  ): Promise<AppendResult> {
    const state = this.streams.get(streamId);
    if (state?.tombstone !== undefined) return Promise.resolve({ ok: false, reason: 'stream-deleted' });
    const current = this.currentRevision(streamId);
    const idempotency = checkIdempotency(
      events.map((event) => event.id),
      expected,
      (id) => state?.revisionById.get(id),
    );
    if (idempotency.kind === 'duplicate') {
      const sequence = state?.sequences[idempotency.lastRevision] ?? 0;
      return this.whenVisible(sequence).then(() => ({
        ok: true as const,
        events: [],
        currentRevision: idempotency.lastRevision,
        position: this.all[sequence]?.position ?? 0,
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
    if (this.streams.get(streamId)?.tombstone !== undefined) return { ok: false, reason: 'stream-deleted' };
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
    const state = this.streams.get(streamId);
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
    const state = this.streams.get(streamId);
    const lastRevision = this.lastVisibleRevision(state);
    if (!state || lastRevision < 0) return { ok: false, reason: 'stream-not-found' };
    const metadata = isMetastream(streamId) ? undefined : this.getStreamMetadata(streamId);
    const firstRevision = firstReadableRevision(metadata, lastRevision);
    if (firstRevision > lastRevision) return { ok: false, reason: 'stream-not-found' };
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const from = options.fromRevision ?? (options.direction === 'backwards' ? 'end' : 'start');
    const now = Date.now();
    const events: ResolvedEvent[] = [];
    const take = (revision: number): void => {
      const event = this.all[state.sequences[revision] ?? -1];
      if (event && !isExpired(metadata, event, now)) events.push(this.resolve(event, options.resolveLinkTos));
    };
    if (options.direction === 'backwards') {
      const start = from === 'end' ? lastRevision : from === 'start' ? -1 : Math.min(from, lastRevision);
      for (let revision = start; revision >= firstRevision && events.length < maxCount; revision--)
        take(revision);
    } else {
      const start = from === 'start' ? firstRevision : from === 'end' ? lastRevision + 1 : from;
      for (
        let revision = Math.max(start, firstRevision);
        revision <= lastRevision && events.length < maxCount;
        revision++
      )
        take(revision);
    }
    return { ok: true, events };
  }

  readAll(options: ReadAllOptions = {}): ResolvedEvent[] {
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const from = options.fromPosition ?? (options.direction === 'backwards' ? 'end' : 'start');
    const events: ResolvedEvent[] = [];
    if (options.direction === 'backwards') {
      const start =
        from === 'end' ? this.visible - 1 : from === 'start' ? -1 : this.sequenceAtOrAfter(from) - 1;
      for (let sequence = start; sequence >= 0 && events.length < maxCount; sequence--)
        events.push(this.resolve(this.all[sequence], options.resolveLinkTos));
    } else {
      const start = from === 'start' ? 0 : from === 'end' ? this.visible : this.sequenceAtOrAfter(from);
      for (let sequence = start; sequence < this.visible && events.length < maxCount; sequence++)
        events.push(this.resolve(this.all[sequence], options.resolveLinkTos));
    }
    return events;
  }

  /** First sequence whose position is >= `position` (visibleCount when none). */
  sequenceAtOrAfter(position: number): number {
    let low = 0;
    let high = this.visible;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.all[middle]?.position ?? Infinity) < position) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Follows a `$>` link to the event it points at; other events come back as they are. */
  resolve(event: RecordedEvent | undefined, resolveLinkTos = false): ResolvedEvent {
    if (!event || !resolveLinkTos || event.type !== LINK_EVENT_TYPE) return { event, link: undefined };
    const target = parseLinkData(event.data);
    const state = target && this.streams.get(target.streamId);
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
    return this.lastVisibleRevision(this.streams.get(streamId));
  }

  private lastVisibleRevision(state: StreamState | undefined): number {
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
    let written: Promise<void>;
    if (this.file) {
      const encoded = encodeRecord(entries);
      entryOffsets = encoded.entryOffsets;
      this.nextPosition += encoded.buffer.length;
      written = this.file.write(encoded.buffer, recordOffset);
    } else {
      const sized = recordSize(entries);
      entryOffsets = sized.entryOffsets;
      this.nextPosition += sized.size;
      written = Promise.resolve();
    }
    const recorded = this.index(
      entries.map((entry, index) => ({ entry, position: recordOffset + (entryOffsets[index] ?? 0) })),
    );
    const end = this.all.length;
    // Writes complete in queue order, so once this one is durable everything before it is too.
    const durable = written.then(() => this.publishUpTo(end));
    this.lastWrite = durable;
    return { recorded, durable };
  }

  private lastWrite: Promise<void> = Promise.resolve();

  private index(items: readonly { entry: StoredEntry; position: number }[]): RecordedEvent[] {
    return items.map(({ entry, position }) => {
      const event = recordedEventOf(entry, position, this.all.length);
      this.all.push(event);
      let state = this.streams.get(entry.streamId);
      if (!state) {
        state = { sequences: [], revisionById: new Map(), tombstone: undefined };
        this.streams.set(entry.streamId, state);
      }
      if (entry.type === TOMBSTONE_EVENT_TYPE && entry.revision === TOMBSTONE_REVISION) {
        state.tombstone = event.sequence;
      } else {
        state.sequences.push(event.sequence);
        state.revisionById.set(entry.id, entry.revision);
      }
      return event;
    });
  }

  private async whenVisible(sequence: number): Promise<void> {
    if (sequence < this.visible) return;
    await this.lastWrite;
  }

  private publishUpTo(count: number): void {
    if (count <= this.visible) return;
    const published = this.all.slice(this.visible, count);
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
