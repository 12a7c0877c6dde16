import { randomUUID } from 'node:crypto';
import type { StoredEntry } from './record-codec';
import { projectSystemLinks, type SystemProjectionName } from './system-projections';
import {
  METADATA_EVENT_TYPE,
  TOMBSTONE_EVENT_TYPE,
  type CurrentRevision,
  type ProposedEvent,
  type RecordedEvent,
  type StreamMetadata,
} from './types';

/** Events bound for one stream in one write, starting at `firstRevision`. */
export interface WriteGroup {
  readonly streamId: string;
  readonly events: readonly ProposedEvent[];
  readonly firstRevision: number;
}

export function entriesOf(groups: readonly WriteGroup[], created: bigint): StoredEntry[] {
  const entries: StoredEntry[] = [];
  for (const group of groups) {
    group.events.forEach((event, index) =>
      entries.push({
        streamId: group.streamId,
        revision: group.firstRevision + index,
        id: event.id,
        type: event.type,
        contentType: event.contentType,
        data: event.data,
        metadata: event.metadata,
        created,
      }),
    );
  }
  return entries;
}

/** The `$ce-`/`$et-` link entries for `entries`, numbered after each link stream's current revision. */
export function systemLinkEntries(
  entries: readonly StoredEntry[],
  created: bigint,
  currentRevision: (streamId: string) => CurrentRevision,
  running: ReadonlySet<SystemProjectionName>,
): StoredEntry[] {
  const nextRevision = new Map<string, number>();
  const links: StoredEntry[] = [];
  for (const entry of entries) {
    for (const link of projectSystemLinks(entry, randomUUID, running)) {
      const current = currentRevision(link.streamId);
      const revision = nextRevision.get(link.streamId) ?? (current === 'no_stream' ? 0 : current + 1);
      nextRevision.set(link.streamId, revision + 1);
      links.push({ ...link.event, streamId: link.streamId, revision, created });
    }
  }
  return links;
}

export function recordedEventOf(entry: StoredEntry, position: number, sequence: number): RecordedEvent {
  return {
    streamId: entry.streamId,
    revision: entry.revision,
    id: entry.id,
    type: entry.type,
    contentType: entry.contentType,
    data: entry.data,
    metadata: entry.metadata,
    created: entry.created,
    position,
    sequence,
  };
}

export function metadataEvent(metadata: StreamMetadata): ProposedEvent {
  return {
    id: randomUUID(),
    type: METADATA_EVENT_TYPE,
    contentType: 'application/json',
    data: Buffer.from(JSON.stringify(metadata), 'utf8'),
    metadata: new Uint8Array(0),
  };
}

export function tombstoneEvent(): ProposedEvent {
  return {
    id: randomUUID(),
    type: TOMBSTONE_EVENT_TYPE,
    contentType: 'application/octet-stream',
    data: new Uint8Array(0),
    metadata: new Uint8Array(0),
  };
}
