import type { LogPosition, PersistentLogPort } from './port';
import type { SourcePoint } from './checkpoint-window';
import { ALL_STREAM, CHECKPOINT_EVENT_TYPE, checkpointStreamOf } from './names';
import { lastLiveEventOf, writeStreamMetadata } from './stream-metadata';

/**
 * Checkpoints in `$persistentsubscription-<stream>::<group>-checkpoint`, one `$SubscriptionCheckpoint` event
 * each, data a JSON string: the revision for a stream, `C:<commit>/P:<prepare>` for $all (as EventStoreDB).
 */

const NO_POSITION: LogPosition = { commit: -1n, prepare: -1n };
const POSITION_PATTERN = /^C:(-?\d+)\/P:(-?\d+)$/;

export function formatPosition(position: LogPosition): string {
  return `C:${position.commit}/P:${position.prepare}`;
}

export function parsePosition(text: string): LogPosition | undefined {
  const match = POSITION_PATTERN.exec(text);
  return match ? { commit: BigInt(match[1]!), prepare: BigInt(match[2]!) } : undefined;
}

export function formatCheckpoint(stream: string, point: SourcePoint): string {
  return stream === ALL_STREAM ? formatPosition(point.position) : point.revision.toString();
}

export function parseCheckpoint(stream: string, text: string): SourcePoint | undefined {
  if (stream === ALL_STREAM) {
    const position = parsePosition(text);
    return position ? { revision: -1n, position } : undefined;
  }
  return /^\d+$/.test(text) ? { revision: BigInt(text), position: NO_POSITION } : undefined;
}

export async function loadCheckpoint(
  log: PersistentLogPort,
  stream: string,
  group: string,
): Promise<SourcePoint | undefined> {
  const last = await lastLiveEventOf(log, checkpointStreamOf(stream, group));
  if (!last) return undefined;
  let text: unknown;
  try {
    text = JSON.parse(Buffer.from(last.data).toString('utf8'));
  } catch {
    return undefined;
  }
  return typeof text === 'string' || typeof text === 'number'
    ? parseCheckpoint(stream, String(text))
    : undefined;
}

export async function writeCheckpoint(
  log: PersistentLogPort,
  stream: string,
  group: string,
  point: SourcePoint,
  first: boolean,
): Promise<boolean> {
  const checkpointStream = checkpointStreamOf(stream, group);
  // Only the last checkpoint matters; EventStoreDB caps the stream the same way.
  if (first) await writeStreamMetadata(log, checkpointStream, { $maxCount: 1 });
  const outcome = await log.append(checkpointStream, 'any', [
    {
      id: crypto.randomUUID(),
      type: CHECKPOINT_EVENT_TYPE,
      contentType: 'application/json',
      data: Buffer.from(JSON.stringify(formatCheckpoint(stream, point))),
      metadata: new Uint8Array(),
    },
  ]);
  return outcome.ok;
}

/** Forget the checkpoint (on delete): a group created again with the same name starts afresh. */
export async function clearCheckpoint(log: PersistentLogPort, stream: string, group: string): Promise<void> {
  const checkpointStream = checkpointStreamOf(stream, group);
  const last = await log.lastRevisionOf(checkpointStream);
  if (last >= 0n) await writeStreamMetadata(log, checkpointStream, { $maxCount: 1, $tb: Number(last + 1n) });
}
