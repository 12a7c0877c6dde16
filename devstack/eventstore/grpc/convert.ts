import { StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function streamNameOf(identifier: StreamIdentifier | undefined): string | undefined {
  return streamNameFromBytes(identifier?.getStreamName_asU8());
}

/** A `stream_name` as text; undefined when absent or not UTF-8. */
export function streamNameFromBytes(name: Uint8Array | undefined): string | undefined {
  if (!name) return undefined;
  try {
    return utf8.decode(name);
  } catch {
    return undefined;
  }
}

export function streamIdentifier(streamId: string): StreamIdentifier {
  return new StreamIdentifier().setStreamName(Buffer.from(streamId, 'utf8'));
}

export function uuidString(uuid: UUID | undefined): string | undefined {
  if (!uuid) return undefined;
  if (uuid.hasString()) return uuid.getString();
  const structured = uuid.getStructured();
  if (!structured) return undefined;
  const bytes = Buffer.alloc(16);
  bytes.writeBigInt64BE(BigInt(structured.getMostSignificantBits()), 0);
  bytes.writeBigInt64BE(BigInt(structured.getLeastSignificantBits()), 8);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
