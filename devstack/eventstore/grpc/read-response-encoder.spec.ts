import { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { RecordedEvent } from '../log/types';
import { TOMBSTONE_REVISION } from '../log/types';
import { ticksFromMs } from '../log/stream-metadata';
import { encodeReadEventResponse, encodeStreamNotFoundResponse } from './read-response-encoder';

const CREATED_MS = 1_700_000_000_123;

const recorded = (overrides: Partial<RecordedEvent> = {}): RecordedEvent => ({
  streamId: 'order-ü1',
  revision: 300,
  id: '6f1c1e8a-9a63-4a4c-8f8e-2b1f4f3c2d10',
  type: 'OrderPlaced',
  contentType: 'application/json',
  data: Buffer.from('{"a":1}'),
  metadata: Buffer.from('{"m":2}'),
  created: ticksFromMs(CREATED_MS),
  position: 2 ** 40 + 5,
  sequence: 7,
  ...overrides,
});

it('encodes a ReadResp the generated classes decode field for field', () => {
  const link = recorded({
    streamId: '$ce-order',
    revision: 0,
    type: '$>',
    position: 2 ** 40 + 900,
    metadata: new Uint8Array(),
  });
  const decoded = ReadResp.deserializeBinary(encodeReadEventResponse({ event: recorded(), link }));
  const readEvent = decoded.getEvent();
  const event = readEvent?.getEvent();
  expect(Buffer.from(event?.getStreamIdentifier()?.getStreamName_asU8() ?? []).toString()).toBe('order-ü1');
  expect(event?.getId()?.getString()).toBe('6f1c1e8a-9a63-4a4c-8f8e-2b1f4f3c2d10');
  expect(event?.getStreamRevision()).toBe('300');
  expect(event?.getCommitPosition()).toBe(String(2 ** 40 + 5));
  expect(event?.getPreparePosition()).toBe(String(2 ** 40 + 5));
  expect(event?.getMetadataMap().get('type')).toBe('OrderPlaced');
  expect(event?.getMetadataMap().get('content-type')).toBe('application/json');
  // 100-ns ticks since the Unix epoch, as the client reads them.
  expect(event?.getMetadataMap().get('created')).toBe(String(CREATED_MS * 10_000));
  expect(Buffer.from(event?.getData_asU8() ?? []).toString()).toBe('{"a":1}');
  expect(Buffer.from(event?.getCustomMetadata_asU8() ?? []).toString()).toBe('{"m":2}');
  expect(readEvent?.getLink()?.getStreamRevision()).toBe('0');
  expect(readEvent?.getCommitPosition()).toBe(String(2 ** 40 + 900));
});

it('encodes a tombstone revision as Int64.MaxValue', () => {
  const decoded = ReadResp.deserializeBinary(
    encodeReadEventResponse({ event: recorded({ revision: TOMBSTONE_REVISION }), link: undefined }),
  );
  expect(decoded.getEvent()?.getEvent()?.getStreamRevision()).toBe('9223372036854775807');
});

it('encodes StreamNotFound as the generated classes do', () => {
  const decoded = ReadResp.deserializeBinary(encodeStreamNotFoundResponse('order-ü1'));
  const name = decoded.getStreamNotFound()?.getStreamIdentifier()?.getStreamName_asU8() ?? [];
  expect(Buffer.from(name).toString()).toBe('order-ü1');
  expect(decoded.getContentCase()).toBe(ReadResp.ContentCase.STREAM_NOT_FOUND);
});
