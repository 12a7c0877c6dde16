import type { LoggedEvent, LogPosition, PersistentLogPort } from './port';
import type { SourcePoint } from './checkpoint-window';
import type { EventFilter, SubscriptionDefinition } from './settings';
import { ALL_STREAM, LINK_EVENT_TYPE } from './names';

/** Reads the subscribed stream or $all in order from a point, resolving links and applying the $all filter. */

export interface ReadItem {
  /** The record read from the source. */
  readonly original: LoggedEvent;
  /** Set when the record is delivered; undefined when the filter skips it. */
  readonly delivery?: { readonly event: LoggedEvent; readonly link?: LoggedEvent };
}

export function matchesFilter(filter: EventFilter | undefined, event: LoggedEvent): boolean {
  if (!filter) return true;
  const subject = filter.on === 'stream' ? event.streamId : event.type;
  if (filter.regex !== undefined) return new RegExp(filter.regex).test(subject);
  return filter.prefixes.some((prefix) => subject.startsWith(prefix));
}

function isAfter(a: LogPosition, b: LogPosition): boolean {
  return a.commit > b.commit || (a.commit === b.commit && a.prepare > b.prepare);
}

export class SourceReader {
  private nextRevision = 0n;
  private nextPosition: LogPosition = { commit: 0n, prepare: 0n };
  /** For $all reads start inclusive, so the last event read is dropped when it comes again. */
  private lastPosition: LogPosition | undefined;

  constructor(
    private readonly log: PersistentLogPort,
    private readonly definition: SubscriptionDefinition,
  ) {}

  private get isAll(): boolean {
    return this.definition.stream === ALL_STREAM;
  }

  /** Continue after `point` (a checkpoint or the resolved start). */
  startAfter(point: SourcePoint): void {
    this.nextRevision = point.revision + 1n;
    this.nextPosition = point.position;
    this.lastPosition = point.position;
  }

  startAt(point: SourcePoint): void {
    this.nextRevision = point.revision;
    this.nextPosition = point.position;
    this.lastPosition = undefined;
  }

  async read(maxCount: number): Promise<{ items: ReadItem[]; endOfSource: boolean }> {
    const records = this.isAll
      ? await this.log.readAll(this.nextPosition, maxCount)
      : await this.log.readStream(this.definition.stream, this.nextRevision, maxCount);
    const items: ReadItem[] = [];
    for (const record of records) {
      if (this.isAll) {
        if (this.lastPosition && !isAfter(record.position, this.lastPosition)) continue;
        this.lastPosition = record.position;
        this.nextPosition = record.position;
      } else {
        this.nextRevision = record.revision + 1n;
      }
      items.push(await this.toItem(record));
    }
    return { items, endOfSource: records.length < maxCount };
  }

  private async toItem(record: LoggedEvent): Promise<ReadItem> {
    if (this.isAll && !matchesFilter(this.definition.filter, record)) return { original: record };
    if (!this.definition.settings.resolveLinkTos || record.type !== LINK_EVENT_TYPE) {
      return { original: record, delivery: { event: record } };
    }
    const text = Buffer.from(record.data).toString('utf8');
    const at = text.indexOf('@');
    const revision = text.slice(0, at);
    if (at > 0 && /^\d+$/.test(revision)) {
      const [target] = await this.log.readStream(text.slice(at + 1), BigInt(revision), 1);
      if (target && target.revision === BigInt(revision)) {
        return { original: record, delivery: { event: target, link: record } };
      }
    }
    return { original: record, delivery: { event: record } };
  }
}
