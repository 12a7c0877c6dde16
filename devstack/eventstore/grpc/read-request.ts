import { ReadReq } from '@eventstore/db-client/generated/streams_pb';
import type { Direction, RecordedEvent } from '../log/types';
import { streamNameOf } from './convert';

/** Real EventStoreDB's window when the client asks for `count` (no explicit max search window). */
export const DEFAULT_MAX_SEARCH_WINDOW = 32;

export interface EventFilter {
  /** Looks only at the stream and type, so it can run on the index before any body is read. */
  readonly matches: (event: Pick<RecordedEvent, 'streamId' | 'type'>) => boolean;
  /** Send a checkpoint after this many events were looked at. */
  readonly checkpointInterval: number;
}

export type ReadTarget =
  | { readonly kind: 'stream'; readonly streamId: string; readonly from: number | 'start' | 'end' }
  | { readonly kind: 'all'; readonly from: number | 'start' | 'end' };

export interface ReadRequest {
  readonly target: ReadTarget;
  readonly direction: Direction;
  readonly resolveLinkTos: boolean;
  /** undefined for a subscription. */
  readonly maxCount: number | undefined;
  readonly subscription: boolean;
  readonly filter: EventFilter | undefined;
}

export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

function parseCount(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  return Math.min(Number(text), Number.MAX_SAFE_INTEGER);
}

function parseFilter(options: ReadReq.Options.FilterOptions): Parsed<EventFilter> {
  const onStream = options.hasStreamIdentifier();
  const expression = onStream ? options.getStreamIdentifier() : options.getEventType();
  if (!expression) return { ok: false, problem: 'filter needs a stream identifier or event type expression' };
  const prefixes = expression.getPrefixList();
  const regexText = expression.getRegex();
  let test: (value: string) => boolean;
  if (prefixes.length > 0) {
    test = (value) => prefixes.some((prefix) => value.startsWith(prefix));
  } else {
    let regex: RegExp;
    try {
      regex = new RegExp(regexText);
    } catch {
      return { ok: false, problem: `invalid filter regex: ${regexText}` };
    }
    test = (value) => regex.test(value);
  }
  const window = options.hasMax() ? options.getMax() : DEFAULT_MAX_SEARCH_WINDOW;
  const multiplier = Math.max(1, options.getCheckpointintervalmultiplier());
  return {
    ok: true,
    value: {
      matches: onStream ? (event) => test(event.streamId) : (event) => test(event.type),
      checkpointInterval: Math.max(1, window) * multiplier,
    },
  };
}

function parseStreamTarget(options: ReadReq.Options.StreamOptions): Parsed<ReadTarget> {
  const streamId = streamNameOf(options.getStreamIdentifier());
  if (!streamId) return { ok: false, problem: 'a stream name is required' };
  if (options.hasStart()) return { ok: true, value: { kind: 'stream', streamId, from: 'start' } };
  if (options.hasEnd()) return { ok: true, value: { kind: 'stream', streamId, from: 'end' } };
  const revision = parseCount(options.getRevision());
  if (revision === undefined) return { ok: false, problem: 'invalid stream revision' };
  return { ok: true, value: { kind: 'stream', streamId, from: revision } };
}

function parseAllTarget(options: ReadReq.Options.AllOptions): Parsed<ReadTarget> {
  if (options.hasStart()) return { ok: true, value: { kind: 'all', from: 'start' } };
  if (options.hasEnd()) return { ok: true, value: { kind: 'all', from: 'end' } };
  const position = options.getPosition();
  const commit = position && parseCount(position.getCommitPosition());
  if (commit === undefined) return { ok: false, problem: 'invalid $all position' };
  return { ok: true, value: { kind: 'all', from: commit } };
}

export function parseReadRequest(request: ReadReq): Parsed<ReadRequest> {
  const options = request.getOptions();
  if (!options) return { ok: false, problem: 'read options are required' };
  const streamOptions = options.getStream();
  const allOptions = options.getAll();
  const target = streamOptions
    ? parseStreamTarget(streamOptions)
    : allOptions
      ? parseAllTarget(allOptions)
      : ({ ok: false, problem: 'read needs a stream or $all' } as const);
  if (!target.ok) return target;
  const subscription = options.hasSubscription();
  const maxCount = subscription ? undefined : parseCount(options.getCount());
  if (!subscription && maxCount === undefined)
    return { ok: false, problem: 'a count or subscription is required' };
  let filter: EventFilter | undefined;
  const filterOptions = options.getFilter();
  if (filterOptions) {
    if (target.value.kind !== 'all') return { ok: false, problem: 'filters apply to $all only' };
    const parsed = parseFilter(filterOptions);
    if (!parsed.ok) return parsed;
    filter = parsed.value;
  }
  return {
    ok: true,
    value: {
      target: target.value,
      direction:
        options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS ? 'backwards' : 'forwards',
      resolveLinkTos: options.getResolveLinks(),
      maxCount,
      subscription,
      filter,
    },
  };
}
