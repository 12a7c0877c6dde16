import { ReadResp } from '@eventstore/db-client/generated/persistent_pb';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { ticksFromMs } from '../log/stream-metadata';
import type { OutstandingMessage } from './message';
import type { LoggedEvent } from './port';
import { encodePersistentReadEvent } from './read-event-encoder';
import { recordedEventOf } from './wire';

const logged = (overrides: Partial<LoggedEvent> = {}): LoggedEvent => ({
  streamId: 'shop-input-ü',
  revision: 2n ** 33n + 1n,
  id: '6f1c1e8a-9a63-4a4c-8f8e-2b1f4f3c2d10',
  type: 'ShopDataReceived',
  contentType: 'application/json',
  data: Buffer.from('{"a":1}'),
  metadata: Buffer.from('{"m":2}'),
  created: ticksFromMs(1_700_000_000_123),
  position: { commit: 2n ** 40n + 5n, prepare: 2n ** 40n + 5n },
  ...overrides,
});

/** What the generated classes build for the same delivery: the encoding must decode to exactly this. */
function expected(message: OutstandingMessage, isAll: boolean): ReadResp.AsObject {
  const readEvent = new ReadResp.ReadEvent().setEvent(recordedEventOf(message.event, 'string'));
  if (message.link) readEvent.setLink(recordedEventOf(message.link, 'string'));
  if (isAll) readEvent.setCommitPosition(message.original.position.commit.toString());
  else readEvent.setNoPosition(new Empty());
  readEvent.setRetryCount(message.retryCount);
  return new ReadResp().setEvent(readEvent).toObject();
}

it.each([
  ['a stream subscription, first delivery', false, 0, false],
  ['$all, a retry, empty metadata and data', true, 3, false],
  ['a resolved link', false, 1, true],
])('encodes %s as the generated classes do', (_, isAll, retryCount, withLink) => {
  const event = logged(
    withLink ? {} : { metadata: new Uint8Array(), data: isAll ? new Uint8Array() : Buffer.from('x') },
  );
  const link = withLink
    ? logged({ streamId: '$ce-shop', type: '$>', revision: 0n, id: '1f1c1e8a-9a63-4a4c-8f8e-2b1f4f3c2d11' })
    : undefined;
  const message: OutstandingMessage = {
    event,
    original: link ?? event,
    retryCount,
    ...(link ? { link } : {}),
  };
  const decoded = ReadResp.deserializeBinary(encodePersistentReadEvent(message, isAll)).toObject();
  expect(decoded).toEqual(expected(message, isAll));
});
