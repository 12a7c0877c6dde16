import { CreateReq, UpdateReq } from '@eventstore/db-client/generated/persistent_pb';
import type { LogPosition } from './port';
import { ALL_STREAM } from './names';

/** Subscription settings, parsed from both the old (client 6.x) and the new fields of Create/Update. */

export const CONSUMER_STRATEGIES = [
  'DispatchToSingle',
  'RoundRobin',
  'Pinned',
  'PinnedByCorrelation',
] as const;
export type ConsumerStrategyName = (typeof CONSUMER_STRATEGIES)[number];

export type StartFrom =
  | { readonly kind: 'start' }
  | { readonly kind: 'end' }
  | { readonly kind: 'revision'; readonly revision: bigint }
  | { readonly kind: 'position'; readonly position: LogPosition };

export interface EventFilter {
  readonly on: 'stream' | 'eventType';
  readonly regex?: string;
  readonly prefixes: readonly string[];
}

export interface SubscriptionSettings {
  readonly startFrom: StartFrom;
  readonly resolveLinkTos: boolean;
  readonly extraStatistics: boolean;
  readonly messageTimeoutMs: number;
  readonly maxRetryCount: number;
  readonly checkpointAfterMs: number;
  readonly minCheckpointCount: number;
  readonly maxCheckpointCount: number;
  /** 0 = unbounded. */
  readonly maxSubscriberCount: number;
  readonly liveBufferSize: number;
  readonly readBatchSize: number;
  readonly historyBufferSize: number;
  readonly consumerStrategy: ConsumerStrategyName;
}

export interface SubscriptionDefinition {
  readonly stream: string;
  readonly group: string;
  readonly filter?: EventFilter;
  readonly settings: SubscriptionSettings;
}

export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const TICKS_PER_MS = 10_000n;
/** What client 6.x sends in the deprecated `revision` field for "end". */
const UINT64_MAX = 18446744073709551615n;
const STRATEGY_BY_ENUM: Record<number, ConsumerStrategyName> = {
  [CreateReq.ConsumerStrategy.DISPATCHTOSINGLE]: 'DispatchToSingle',
  [CreateReq.ConsumerStrategy.ROUNDROBIN]: 'RoundRobin',
  [CreateReq.ConsumerStrategy.PINNED]: 'Pinned',
};

type SettingsMessage = CreateReq.Settings | UpdateReq.Settings;
type OptionsMessage = CreateReq.Options | UpdateReq.Options;

function streamNameOf(identifier: { getStreamName_asU8(): Uint8Array } | undefined): string {
  return identifier ? Buffer.from(identifier.getStreamName_asU8()).toString('utf8') : '';
}

function startFromRevision(value: string): StartFrom {
  const revision = BigInt(value || '0');
  if (revision === UINT64_MAX) return { kind: 'end' };
  return revision === 0n ? { kind: 'start' } : { kind: 'revision', revision };
}

function durationMs(settings: SettingsMessage, which: 'message' | 'checkpoint'): number {
  if (which === 'message') {
    if (settings.getMessageTimeoutCase() === CreateReq.Settings.MessageTimeoutCase.MESSAGE_TIMEOUT_TICKS) {
      return Number(BigInt(settings.getMessageTimeoutTicks()) / TICKS_PER_MS);
    }
    return settings.getMessageTimeoutMs();
  }
  if (settings.getCheckpointAfterCase() === CreateReq.Settings.CheckpointAfterCase.CHECKPOINT_AFTER_TICKS) {
    return Number(BigInt(settings.getCheckpointAfterTicks()) / TICKS_PER_MS);
  }
  return settings.getCheckpointAfterMs();
}

function strategyOf(settings: SettingsMessage): Parsed<ConsumerStrategyName> {
  const named = settings instanceof CreateReq.Settings ? settings.getConsumerStrategy() : '';
  if (named) {
    const found = CONSUMER_STRATEGIES.find((s) => s.toLowerCase() === named.toLowerCase());
    return found
      ? { ok: true, value: found }
      : { ok: false, reason: `Unknown consumer strategy '${named}'.` };
  }
  const byEnum = STRATEGY_BY_ENUM[settings.getNamedConsumerStrategy()];
  return byEnum
    ? { ok: true, value: byEnum }
    : { ok: false, reason: `Unknown consumer strategy ${settings.getNamedConsumerStrategy()}.` };
}

/** Where the subscription reads and where it starts, from whichever of the old/new option fields is set. */
function sourceOf(
  options: OptionsMessage,
  settings: SettingsMessage,
): Parsed<{ stream: string; startFrom: StartFrom; filter?: EventFilter }> {
  if (options.hasAll()) {
    const all = options.getAll()!;
    let startFrom: StartFrom = { kind: 'end' };
    if (all.hasStart()) startFrom = { kind: 'start' };
    else if (all.hasPosition()) {
      const position = all.getPosition()!;
      startFrom = {
        kind: 'position',
        position: {
          commit: BigInt(position.getCommitPosition()),
          prepare: BigInt(position.getPreparePosition()),
        },
      };
    }
    const filter =
      all instanceof CreateReq.AllOptions && all.hasFilter() ? filterOf(all.getFilter()!) : undefined;
    if (filter && !filter.ok) return filter;
    return {
      ok: true,
      value: { stream: ALL_STREAM, startFrom, ...(filter ? { filter: filter.value } : {}) },
    };
  }
  if (options.hasStream()) {
    const stream = options.getStream()!;
    let startFrom: StartFrom = { kind: 'end' };
    if (stream.hasStart()) startFrom = { kind: 'start' };
    else if (stream.hasRevision()) startFrom = startFromRevision(stream.getRevision());
    return { ok: true, value: { stream: streamNameOf(stream.getStreamIdentifier()), startFrom } };
  }
  if (options.hasStreamIdentifier()) {
    return {
      ok: true,
      value: {
        stream: streamNameOf(options.getStreamIdentifier()),
        startFrom: startFromRevision(settings.getRevision()),
      },
    };
  }
  return { ok: false, reason: 'No stream or $all given.' };
}

function filterOf(filter: CreateReq.AllOptions.FilterOptions): Parsed<EventFilter> {
  const on = filter.hasStreamIdentifier() ? 'stream' : filter.hasEventType() ? 'eventType' : undefined;
  const expression = filter.getStreamIdentifier() ?? filter.getEventType();
  if (!on || !expression)
    return { ok: false, reason: 'Filter needs a stream-name or event-type expression.' };
  const regex = expression.getRegex();
  if (regex) {
    try {
      new RegExp(regex);
    } catch {
      return { ok: false, reason: `Invalid filter regex '${regex}'.` };
    }
  }
  return { ok: true, value: { on, prefixes: expression.getPrefixList(), ...(regex ? { regex } : {}) } };
}

/**
 * What EventStoreDB refuses. It does not compare the checkpoint bounds: a lower bound above the upper one (the
 * client's defaults with only one bound changed) is valid and checkpoints at the upper bound.
 */
export function validateSettings(settings: SubscriptionSettings): string | undefined {
  const nonNegative: (keyof SubscriptionSettings)[] = [
    'messageTimeoutMs',
    'maxRetryCount',
    'checkpointAfterMs',
    'minCheckpointCount',
    'maxCheckpointCount',
    'maxSubscriberCount',
  ];
  for (const key of nonNegative) {
    const value = settings[key];
    if (typeof value === 'number' && (!Number.isInteger(value) || value < 0)) return `${key} must be >= 0.`;
  }
  for (const key of ['liveBufferSize', 'readBatchSize', 'historyBufferSize'] as const) {
    if (!Number.isInteger(settings[key]) || settings[key] <= 0) return `${key} must be > 0.`;
  }
  if (settings.readBatchSize >= settings.historyBufferSize) {
    return 'ReadBatchSize may not be greater than or equal to BufferSize.';
  }
  return undefined;
}

/** Create/Update request → definition, or the reason it is invalid (answered as INVALID_ARGUMENT). */
export function parseDefinition(request: CreateReq | UpdateReq): Parsed<SubscriptionDefinition> {
  const options = request.getOptions();
  const settings = options?.getSettings();
  if (!options || !settings) return { ok: false, reason: 'Options and settings are required.' };
  const group = options.getGroupName();
  if (!group) return { ok: false, reason: 'Group name is required.' };
  const source = sourceOf(options, settings);
  if (!source.ok) return source;
  if (!source.value.stream) return { ok: false, reason: 'Stream name is required.' };
  const strategy = strategyOf(settings);
  if (!strategy.ok) return strategy;
  const parsed: SubscriptionSettings = {
    startFrom: source.value.startFrom,
    resolveLinkTos: settings.getResolveLinks(),
    extraStatistics: settings.getExtraStatistics(),
    messageTimeoutMs: durationMs(settings, 'message'),
    maxRetryCount: settings.getMaxRetryCount(),
    checkpointAfterMs: durationMs(settings, 'checkpoint'),
    minCheckpointCount: settings.getMinCheckpointCount(),
    maxCheckpointCount: settings.getMaxCheckpointCount(),
    maxSubscriberCount: settings.getMaxSubscriberCount(),
    liveBufferSize: settings.getLiveBufferSize(),
    readBatchSize: settings.getReadBatchSize(),
    historyBufferSize: settings.getHistoryBufferSize(),
    consumerStrategy: strategy.value,
  };
  const invalid = validateSettings(parsed);
  if (invalid) return { ok: false, reason: invalid };
  return {
    ok: true,
    value: {
      stream: source.value.stream,
      group,
      settings: parsed,
      ...(source.value.filter ? { filter: source.value.filter } : {}),
    },
  };
}
