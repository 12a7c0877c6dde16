import type { LoggedEvent, PersistentLogPort } from './port';
import { METADATA_EVENT_TYPE, metastreamOf } from './names';

/** Reads of bookkeeping streams that honour `$tb` (truncate before) themselves, whatever the log does. */

export async function truncateBeforeOf(log: PersistentLogPort, stream: string): Promise<bigint> {
  const meta = await log.readLast(metastreamOf(stream));
  if (!meta) return 0n;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(meta.data).toString('utf8'));
    const tb = parsed && typeof parsed === 'object' ? (parsed as { $tb?: unknown }).$tb : undefined;
    return typeof tb === 'number' || typeof tb === 'string' ? BigInt(tb) : 0n;
  } catch {
    return 0n;
  }
}

export async function lastLiveEventOf(
  log: PersistentLogPort,
  stream: string,
): Promise<LoggedEvent | undefined> {
  const last = await log.readLast(stream);
  if (!last) return undefined;
  return last.revision >= (await truncateBeforeOf(log, stream)) ? last : undefined;
}

export async function writeStreamMetadata(
  log: PersistentLogPort,
  stream: string,
  metadata: Record<string, unknown>,
): Promise<boolean> {
  const outcome = await log.append(metastreamOf(stream), 'any', [
    {
      id: crypto.randomUUID(),
      type: METADATA_EVENT_TYPE,
      contentType: 'application/json',
      data: Buffer.from(JSON.stringify(metadata)),
      metadata: new Uint8Array(),
    },
  ]);
  return outcome.ok;
}
