import type { ProposedEvent } from './types';
import { LINK_EVENT_TYPE } from './types';

const CATEGORY_SEPARATOR = '-';

export const SYSTEM_PROJECTION_NAMES = ['$by_category', '$by_event_type'] as const;
export type SystemProjectionName = (typeof SYSTEM_PROJECTION_NAMES)[number];
const ALL_RUNNING: ReadonlySet<SystemProjectionName> = new Set(SYSTEM_PROJECTION_NAMES);
const LINK_CONTENT_TYPE = 'application/octet-stream';

export interface LinkTarget {
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
}

export interface ProjectedLink {
  readonly streamId: string;
  readonly event: ProposedEvent;
}

/** `$by_category`: `order-1` belongs to `$ce-order`; streams without a separator have no category. */
export function categoryOf(streamId: string): string | undefined {
  const at = streamId.indexOf(CATEGORY_SEPARATOR);
  return at > 0 ? streamId.slice(0, at) : undefined;
}

export function linkData(target: { streamId: string; revision: number }): Uint8Array {
  return Buffer.from(`${target.revision}@${target.streamId}`, 'utf8');
}

export function parseLinkData(data: Uint8Array): { streamId: string; revision: number } | undefined {
  const text = Buffer.from(data).toString('utf8');
  const at = text.indexOf('@');
  if (at <= 0) return undefined;
  const revision = Number(text.slice(0, at));
  if (!Number.isInteger(revision) || revision < 0) return undefined;
  return { revision, streamId: text.slice(at + 1) };
}

/**
 * Link events the running ones of the `$by_category` and `$by_event_type` system projections emit for one
 * recorded event. System streams and system event types are not projected, as in EventStoreDB.
 */
export function projectSystemLinks(
  target: LinkTarget,
  newId: () => string,
  running: ReadonlySet<SystemProjectionName> = ALL_RUNNING,
): ProjectedLink[] {
  if (target.streamId.startsWith('$') || target.type.startsWith('$')) return [];
  const link = (streamId: string): ProjectedLink => ({
    streamId,
    event: {
      id: newId(),
      type: LINK_EVENT_TYPE,
      contentType: LINK_CONTENT_TYPE,
      data: linkData(target),
      metadata: new Uint8Array(0),
    },
  });
  const category = categoryOf(target.streamId);
  const links: ProjectedLink[] = [];
  if (category !== undefined && running.has('$by_category')) links.push(link(`$ce-${category}`));
  if (running.has('$by_event_type')) links.push(link(`$et-${target.type}`));
  return links;
}
