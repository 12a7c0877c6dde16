import { uuidMessage, type DecodedUuid } from './shared-decoders';
import { FieldWriter, lengthDelimitedSize, varintFieldSize } from './field-writer';

/**
 * `BatchAppendResp` for a successful append, encoded by hand (streams.proto field numbers): every append the
 * client sends by default is answered with one. Failures stay google-protobuf messages (rare, and richer).
 */

const FIELD = {
  correlationId: 1,
  success: 3,
  streamIdentifier: 4,
  currentRevision: 1,
  noStream: 2,
  position: 3,
  commitPosition: 1,
  preparePosition: 2,
  uuidString: 2,
  streamName: 3,
} as const;

/** The correlation id as the request carried it: a string UUID by hand, any other form re-serialized. */
function correlationBytes(correlation: DecodedUuid): Uint8Array {
  if (correlation.kind !== 'string') return uuidMessage(correlation).serializeBinary();
  const text = Buffer.from(correlation.value, 'utf8');
  const writer = new FieldWriter(Buffer.allocUnsafe(lengthDelimitedSize(FIELD.uuidString, text.length)));
  writer.bytes(FIELD.uuidString, text);
  return writer.buffer;
}

export function encodeBatchAppendSuccess(
  correlation: DecodedUuid,
  streamId: string,
  currentRevision: number,
  position: number,
): Buffer {
  const correlationId = correlationBytes(correlation);
  const streamName = Buffer.from(streamId, 'utf8');
  const positionSize =
    varintFieldSize(FIELD.commitPosition, position) + varintFieldSize(FIELD.preparePosition, position);
  // A revision inside a oneof is written even when 0: its presence is what says "revision 0", not "no stream".
  const successSize =
    (currentRevision < 0
      ? lengthDelimitedSize(FIELD.noStream, 0)
      : varintFieldSize(FIELD.currentRevision, currentRevision)) +
    lengthDelimitedSize(FIELD.position, positionSize);
  const identifierSize = lengthDelimitedSize(FIELD.streamName, streamName.length);
  const writer = new FieldWriter(
    Buffer.allocUnsafe(
      lengthDelimitedSize(FIELD.correlationId, correlationId.byteLength) +
        lengthDelimitedSize(FIELD.success, successSize) +
        lengthDelimitedSize(FIELD.streamIdentifier, identifierSize),
    ),
  );
  writer.bytes(FIELD.correlationId, correlationId);
  writer.header(FIELD.success, successSize);
  if (currentRevision < 0) writer.header(FIELD.noStream, 0);
  else writer.varintField(FIELD.currentRevision, currentRevision);
  writer.header(FIELD.position, positionSize);
  writer.varintField(FIELD.commitPosition, position);
  writer.varintField(FIELD.preparePosition, position);
  writer.header(FIELD.streamIdentifier, identifierSize);
  writer.bytes(FIELD.streamName, streamName);
  return writer.buffer;
}
