import type { Direction, RecordedEvent } from '../log/types';
import { streamNameFromBytes } from './convert';
import type { DecodedFilter, DecodedReadRequest, DecodedReadTarget } from './read-request-decoder';

/** Real EventStoreDB's window when the client asks for `count` (no explicit max search window). */
export const DEFAULT_MAX_SEARCH_WINDOW = 32;

/** `ReadReq.Options.ReadDirection.BACKWARDS`. */
const READ_DIRECTION_BACKWARDS = 1;

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

function parseFilter(options: DecodedFilter): Parsed<EventFilter> {
  const expression = options.expression;
  if (!expression) return { ok: false, problem: 'filter needs a stream identifier or event type expression' };
  const onStream = expression.on === 'stream';
  const prefixes = expression.prefixes;
  const regexText = expression.regex;
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
  const window = options.max ?? DEFAULT_MAX_SEARCH_WINDOW;
  const multiplier = Math.max(1, options.checkpointIntervalMultiplier);
  return {
    ok: true,
    value: {
      matches: onStream ? (event) => test(event.streamId) : (event) => test(event.type),
      checkpointInterval: Math.max(1, window) * multiplier,
    },
  };
}

function parseStreamTarget(options: Extract<DecodedReadTarget, { kind: 'stream' }>): Parsed<ReadTarget> {
  const streamId = streamNameFromBytes(options.streamName);
  if (!streamId) return { ok: false, problem: 'a stream name is required' };
  const from = options.from;
  if (from?.kind === 'start') return { ok: true, value: { kind: 'stream', streamId, from: 'start' } };
  if (from?.kind === 'end') return { ok: true, value: { kind: 'stream', streamId, from: 'end' } };
  const revision = parseCount(from?.kind === 'revision' ? from.value : '0');
  if (revision === undefined) return { ok: false, problem: 'invalid stream revision' };
  return { ok: true, value: { kind: 'stream', streamId, from: revision } };
}

function parseAllTarget(options: Extract<DecodedReadTarget, { kind: 'all' }>): Parsed<ReadTarget> {
  const from = options.from;
  if (from?.kind === 'start') return { ok: true, value: { kind: 'all', from: 'start' } };
  if (from?.kind === 'end') return { ok: true, value: { kind: 'all', from: 'end' } };
  const commit = from?.kind === 'position' ? parseCount(from.commit) : undefined;
  if (commit === undefined) return { ok: false, problem: 'invalid $all position' };
  return { ok: true, value: { kind: 'all', from: commit } };
}

export function parseReadRequest(request: DecodedReadRequest): Parsed<ReadRequest> {
  const options = request.options;
  if (!options) return { ok: false, problem: 'read options are required' };
  const target =
    options.target?.kind === 'stream'
      ? parseStreamTarget(options.target)
      : options.target?.kind === 'all'
        ? parseAllTarget(options.target)
        : ({ ok: false, problem: 'read needs a stream or $all' } as const);
  if (!target.ok) return target;
  const subscription = options.countOption?.kind === 'subscription';
  const maxCount =
    options.countOption?.kind === 'subscription' ? undefined : parseCount(options.countOption?.value ?? '0');
  if (!subscription && maxCount === undefined)
    return { ok: false, problem: 'a count or subscription is required' };
  let filter: EventFilter | undefined;
  const filterOptions = options.filter;
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
      direction: options.readDirection === READ_DIRECTION_BACKWARDS ? 'backwards' : 'forwards',
      resolveLinkTos: options.resolveLinks,
      maxCount,
      subscription,
      filter,
    },
  };
}
