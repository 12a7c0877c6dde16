import { UUID } from '@eventstore/db-client/generated/shared_pb';
import { ProtobufReader } from './protobuf-reader';

/** shared.proto messages as the hand decoders give them; a oneof is one `kind`, the last one sent. */

/** `UUID`: a message that sets neither form is `none`. */
export type DecodedUuid =
  | { readonly kind: 'none' }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'structured'; readonly most: bigint; readonly least: bigint };

const NO_UUID: DecodedUuid = { kind: 'none' };

function readStructured(reader: ProtobufReader): DecodedUuid {
  let most = 0n;
  let least = 0n;
  while (reader.next()) {
    if (reader.field === 1) most = reader.int64();
    else if (reader.field === 2) least = reader.int64();
    else reader.skip();
  }
  return { kind: 'structured', most, least };
}

export function readUuid(reader: ProtobufReader): DecodedUuid {
  let uuid = NO_UUID;
  while (reader.next()) {
    if (reader.field === 1) uuid = readStructured(reader.message());
    else if (reader.field === 2) uuid = { kind: 'string', value: reader.string() };
    else reader.skip();
  }
  return uuid;
}

/** `StreamIdentifier`: its `stream_name` bytes. */
export function readStreamName(reader: ProtobufReader): Uint8Array {
  let name: Uint8Array = EMPTY_BYTES;
  while (reader.next()) {
    if (reader.field === 3) name = reader.bytesField();
    else reader.skip();
  }
  return name;
}

export const EMPTY_BYTES = new Uint8Array(0);

function formatUuid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The id as text: a string as sent, a structured one as its 32 hex digits; `none` is undefined. */
export function uuidText(uuid: DecodedUuid | undefined): string | undefined {
  if (!uuid || uuid.kind === 'none') return undefined;
  if (uuid.kind === 'string') return uuid.value;
  const hex =
    BigInt.asUintN(64, uuid.most).toString(16).padStart(16, '0') +
    BigInt.asUintN(64, uuid.least).toString(16).padStart(16, '0');
  return formatUuid(hex);
}

/** The generated message for a reply that echoes the id (failure replies are still google-protobuf objects). */
export function uuidMessage(uuid: DecodedUuid): UUID {
  const message = new UUID();
  if (uuid.kind === 'string') return message.setString(uuid.value);
  if (uuid.kind === 'none') return message;
  return message.setStructured(
    new UUID.Structured()
      .setMostSignificantBits(uuid.most.toString())
      .setLeastSignificantBits(uuid.least.toString()),
  );
}
