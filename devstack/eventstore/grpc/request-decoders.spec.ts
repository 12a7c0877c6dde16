import { BatchAppendReq, ReadReq } from '@eventstore/db-client/generated/streams_pb';
import { ReadReq as PersistentReadReq } from '@eventstore/db-client/generated/persistent_pb';
import { Empty, StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import { Empty as ProtobufEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import { boundedDeserializer } from './bounded-decoding';
import { decodeBatchAppendRequest } from './batch-append-request';
import { decodeReadRequest } from './read-request-decoder';
import { MalformedRequestError, NEGATIVE_LENGTH } from './protobuf-reader';
import { decodePersistentReadRequest } from '../persistent/read-request-decoder';
import { asDecodedBatchAppend, asDecodedPersistentRead, asDecodedRead } from './generated-as-decoded';

/**
 * The hand decoders against google-protobuf's generated ones (as the server used them) on valid requests and on
 * many deterministic corruptions of them: the same result, or both refuse (grpc-js then answers INTERNAL).
 */

const name = (text: string) => new StreamIdentifier().setStreamName(Buffer.from(text));
const uuid = (text: string) => new UUID().setString(text);

function readRequests(): Uint8Array[] {
  const stream = new ReadReq.Options.StreamOptions().setStreamIdentifier(name('order-ü1')).setRevision('7');
  const all = new ReadReq.Options.AllOptions().setPosition(
    new ReadReq.Options.Position().setCommitPosition('1234567890123').setPreparePosition('5'),
  );
  const prefixes = new ReadReq.Options.FilterOptions.Expression().setPrefixList(['Order', 'Pay']);
  const filter = new ReadReq.Options.FilterOptions()
    .setEventType(prefixes)
    .setMax(17)
    .setCheckpointintervalmultiplier(3);
  const uuidOption = new ReadReq.Options.UUIDOption().setString(new Empty());
  return [
    new ReadReq().setOptions(
      new ReadReq.Options()
        .setStream(stream)
        .setCount('100')
        .setUuidOption(uuidOption)
        .setNoFilter(new Empty()),
    ),
    new ReadReq().setOptions(
      new ReadReq.Options()
        .setAll(all)
        .setReadDirection(1)
        .setResolveLinks(true)
        .setSubscription(new ReadReq.Options.SubscriptionOptions())
        .setFilter(filter)
        .setControlOption(new ReadReq.Options.ControlOption().setCompatibility(1)),
    ),
    new ReadReq().setOptions(
      new ReadReq.Options()
        .setAll(new ReadReq.Options.AllOptions().setEnd(new Empty()))
        .setCount('18446744073709551615')
        .setFilter(
          new ReadReq.Options.FilterOptions()
            .setStreamIdentifier(new ReadReq.Options.FilterOptions.Expression().setRegex('^order-'))
            .setCount(new Empty()),
        ),
    ),
  ].map((request) => request.serializeBinary());
}

function batchAppendRequests(): Uint8Array[] {
  const message = new BatchAppendReq.ProposedMessage()
    .setId(uuid('6f1c1e8a-9a63-4a4c-8f8e-2b1f4f3c2d10'))
    .setCustomMetadata(Buffer.from('{"a":1}'))
    .setData(Buffer.from('{"total":25}'));
  message.getMetadataMap().set('type', 'OrderPlaced').set('content-type', 'application/json').set('x', 'y');
  const structured = new UUID().setStructured(
    new UUID.Structured().setMostSignificantBits('-5').setLeastSignificantBits('42'),
  );
  return [
    new BatchAppendReq()
      .setCorrelationId(uuid('c0ffee00-0000-4000-8000-000000000001'))
      .setOptions(
        new BatchAppendReq.Options()
          .setStreamIdentifier(name('order-1'))
          .setStreamPosition('4')
          .setDeadline(Timestamp.fromDate(new Date(1_800_000_000_123))),
      )
      .setProposedMessagesList([message, message.clone().setId(structured)])
      .setIsFinal(true),
    new BatchAppendReq()
      .setCorrelationId(structured)
      .setOptions(
        new BatchAppendReq.Options().setStreamIdentifier(name('s')).setNoStream(new ProtobufEmpty()),
      )
      .setProposedMessagesList([new BatchAppendReq.ProposedMessage()]),
    new BatchAppendReq()
      .setCorrelationId(uuid('x'))
      .setOptions(
        new BatchAppendReq.Options().setStreamExists(new ProtobufEmpty()).setAny(new ProtobufEmpty()),
      ),
  ].map((request) => request.serializeBinary());
}

function persistentReadRequests(): Uint8Array[] {
  const ids = [uuid('6f1c1e8a-9a63-4a4c-8f8e-2b1f4f3c2d10'), new UUID().setStructured(new UUID.Structured())];
  return [
    new PersistentReadReq().setOptions(
      new PersistentReadReq.Options()
        .setStreamIdentifier(name('orders'))
        .setGroupName('group-ü')
        .setBufferSize(-3)
        .setUuidOption(new PersistentReadReq.Options.UUIDOption().setStructured(new Empty())),
    ),
    new PersistentReadReq().setOptions(
      new PersistentReadReq.Options().setAll(new Empty()).setGroupName('g').setBufferSize(10),
    ),
    new PersistentReadReq().setAck(new PersistentReadReq.Ack().setId(Buffer.from('sub')).setIdsList(ids)),
    new PersistentReadReq().setNack(
      new PersistentReadReq.Nack()
        .setIdsList(ids)
        .setAction(PersistentReadReq.Nack.Action.PARK)
        .setReason('bad'),
    ),
  ].map((request) => request.serializeBinary());
}

/** A small deterministic generator (mulberry32), so every run tries the same corruptions. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function corruptions(valid: readonly Uint8Array[], count: number): Buffer[] {
  const next = random(42);
  const pick = (bound: number) => Math.floor(next() * bound);
  const out: Buffer[] = valid.map((bytes) => Buffer.from(bytes));
  for (let index = 0; index < count; index++) {
    const bytes = [...valid[index % valid.length]!];
    for (let edits = 1 + pick(3); edits > 0; edits--) {
      const at = pick(bytes.length + 1);
      const kind = pick(5);
      if (kind === 0) bytes[at] = pick(256);
      else if (kind === 1) bytes.length = at;
      else if (kind === 2) bytes.splice(at, 0, pick(256), pick(256));
      else if (kind === 3) bytes.splice(at, 1 + pick(4));
      // A tag of a random field and wire type: unknown fields, groups, end-groups, mismatched wire types.
      else bytes.splice(at, 0, (pick(16) << 3) | pick(8), pick(4));
    }
    out.push(Buffer.from(bytes));
  }
  return out;
}

/** Bytes as hex and bigints as text, so views and copies of the same bytes compare equal. */
function plain(value: unknown): unknown {
  return JSON.parse(
    // The holder's own value: a Buffer's toJSON has already run on the one passed in.
    JSON.stringify(value, function (this: Record<string, unknown>, key: string, field: unknown) {
      const raw = this[key];
      if (raw instanceof Uint8Array) return Buffer.from(raw).toString('hex');
      return typeof field === 'bigint' ? field.toString() : field;
    }),
  );
}

function outcome(decode: () => unknown): { threw: true } | { value: unknown } {
  try {
    return { value: plain(decode()) };
  } catch {
    return { threw: true };
  }
}

/** Where google-protobuf went back over a negative length (and may never have returned), the server refuses. */
function refusedNegativeLength(decode: () => unknown): boolean {
  try {
    decode();
    return false;
  } catch (error) {
    return error instanceof MalformedRequestError && error.message === NEGATIVE_LENGTH;
  }
}

const CORRUPTIONS = 5_000;

describe.each([
  ['Streams.Read', readRequests, ReadReq, asDecodedRead, decodeReadRequest],
  [
    'Streams.BatchAppend',
    batchAppendRequests,
    BatchAppendReq,
    asDecodedBatchAppend,
    decodeBatchAppendRequest,
  ],
  [
    'PersistentSubscriptions.Read',
    persistentReadRequests,
    PersistentReadReq,
    asDecodedPersistentRead,
    decodePersistentReadRequest,
  ],
] as const)('%s requests decoded by hand', (_, valid, generated, asDecoded, decode) => {
  const decodeGenerated = boundedDeserializer(generated);
  it('match the generated decoding on valid requests and refuse exactly what it refuses', () => {
    let refused = 0;
    for (const bytes of corruptions(valid(), CORRUPTIONS)) {
      if (refusedNegativeLength(() => decode(bytes))) continue;
      const expected = outcome(() => (asDecoded as (m: unknown) => unknown)(decodeGenerated(bytes)));
      const actual = outcome(() => decode(bytes));
      if ('threw' in expected) refused++;
      expect({ bytes: bytes.toString('hex'), ...actual }).toEqual({
        bytes: bytes.toString('hex'),
        ...expected,
      });
    }
    // The corruptions reach both outcomes.
    expect(refused).toBeGreaterThan(CORRUPTIONS / 10);
    expect(refused).toBeLessThan(CORRUPTIONS);
  });
});
