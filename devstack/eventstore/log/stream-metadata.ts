import type { RecordedEvent, StreamMetadata } from './types';

export const METASTREAM_PREFIX = '$$';

export function metastreamOf(streamId: string): string {
  return `${METASTREAM_PREFIX}${streamId}`;
}

export function isMetastream(streamId: string): boolean {
  return streamId.startsWith(METASTREAM_PREFIX);
}

export function parseStreamMetadata(data: Uint8Array): StreamMetadata | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(data).toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as StreamMetadata)
      : undefined;
  } catch {
    return undefined;
  }
}

const TICKS_PER_MS = 10_000n;
const EPOCH_TICKS = 621_355_968_000_000_000n;

export function ticksFromMs(ms: number): bigint {
  return BigInt(ms) * TICKS_PER_MS + EPOCH_TICKS;
}

export function msFromTicks(ticks: bigint): number {
  return Number((ticks - EPOCH_TICKS) / TICKS_PER_MS);
}

/**
 * The log keeps .NET ticks (as EventStoreDB stores them); the gRPC protocol's `created` counts 100-ns ticks from
 * the Unix epoch (the client divides by 10,000 to get Unix milliseconds).
 */
export function unixTicksFromTicks(ticks: bigint): bigint {
  return ticks - EPOCH_TICKS;
}

function nonNegativeInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** The lowest revision a read may return under `$tb` and `$maxCount`, given the stream's last revision. */
export function firstReadableRevision(metadata: StreamMetadata | undefined, lastRevision: number): number {
  if (!metadata) return 0;
  const truncateBefore = nonNegativeInteger(metadata.$tb) ?? 0;
  const maxCount = nonNegativeInteger(metadata.$maxCount);
  const byCount = maxCount === undefined ? 0 : lastRevision - maxCount + 1;
  return Math.max(0, truncateBefore, byCount);
}

/** `$maxAge` is in seconds: events older than that are invisible to reads. */
export function isExpired(
  metadata: StreamMetadata | undefined,
  event: RecordedEvent,
  nowMs: number,
): boolean {
  const maxAge = nonNegativeInteger(metadata?.$maxAge);
  if (maxAge === undefined) return false;
  return msFromTicks(event.created) < nowMs - maxAge * 1000;
}
