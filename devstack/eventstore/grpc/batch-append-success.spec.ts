import type { DecodedUuid } from './shared-decoders';
import { BatchAppendResp } from '@eventstore/db-client/generated/streams_pb';
import { encodeBatchAppendSuccess } from './batch-append-success';

const ID = '6f1c1e8a-9a63-4a4c-8f8e-2b1f4f3c2d10';

function decode(correlation: DecodedUuid, revision: number, position: number) {
  return BatchAppendResp.deserializeBinary(
    encodeBatchAppendSuccess(correlation, 'order-ü1', revision, position),
  );
}

it('decodes with the generated classes as a success with revision, position and the stream', () => {
  const decoded = decode({ kind: 'string', value: ID }, 2 ** 33, 2 ** 40 + 5);
  expect(decoded.getCorrelationId()?.getString()).toBe(ID);
  expect(decoded.getResultCase()).toBe(BatchAppendResp.ResultCase.SUCCESS);
  expect(decoded.getSuccess()?.getCurrentRevision()).toBe(String(2 ** 33));
  expect(decoded.getSuccess()?.getPosition()?.getCommitPosition()).toBe(String(2 ** 40 + 5));
  expect(decoded.getSuccess()?.getPosition()?.getPreparePosition()).toBe(String(2 ** 40 + 5));
  expect(Buffer.from(decoded.getStreamIdentifier()?.getStreamName_asU8() ?? []).toString()).toBe('order-ü1');
});

it('keeps revision 0 distinct from no stream, and position 0', () => {
  const first = decode({ kind: 'string', value: ID }, 0, 0).getSuccess();
  expect(first?.getCurrentRevisionOptionCase()).toBe(
    BatchAppendResp.Success.CurrentRevisionOptionCase.CURRENT_REVISION,
  );
  expect(first?.getCurrentRevision()).toBe('0');
  expect(first?.hasPosition()).toBe(true);
  expect(decode({ kind: 'string', value: ID }, -1, 7).getSuccess()?.hasNoStream()).toBe(true);
});

it('echoes a structured correlation id as it came', () => {
  const structured: DecodedUuid = { kind: 'structured', most: -5n, least: 42n };
  const decoded = decode(structured, 3, 9);
  expect(decoded.getCorrelationId()?.getStructured()?.getMostSignificantBits()).toBe('-5');
  expect(decoded.getCorrelationId()?.getStructured()?.getLeastSignificantBits()).toBe('42');
});
