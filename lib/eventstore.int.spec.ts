import { jsonEvent, StreamDeletedError } from '@eventstore/db-client';
import {
  startPersistentTestServer,
  type PersistentTestServer,
} from '../devstack/eventstore/persistent/test-server';
import { collectRead, readStreamOrEmpty } from './eventstore';

describe('reading a stream whole', () => {
  let server: PersistentTestServer;
  beforeAll(async () => {
    server = await startPersistentTestServer();
  });
  afterAll(() => server.close());

  it('gives every event in order, and nothing for a stream that does not exist', async () => {
    const { client } = server;
    await client.appendToStream(
      'whole-1',
      [0, 1, 2].map((n) => jsonEvent({ type: 'Counted', data: { n } })),
    );
    const events = await readStreamOrEmpty(client, 'whole-1');
    expect(events.map((e) => [e.type, e.revision, e.data])).toEqual([
      ['Counted', 0, { n: 0 }],
      ['Counted', 1, { n: 1 }],
      ['Counted', 2, { n: 2 }],
    ]);
    expect(await readStreamOrEmpty(client, 'whole-never-written')).toEqual([]);
  });

  it('fails with the server’s error for a deleted stream', async () => {
    const { client } = server;
    await client.appendToStream('whole-deleted', [jsonEvent({ type: 'Counted', data: {} })]);
    await client.tombstoneStream('whole-deleted');
    await expect(readStreamOrEmpty(client, 'whole-deleted')).rejects.toBeInstanceOf(StreamDeletedError);
  });

  it('fails with what the mapping threw', async () => {
    const client = server.newClient();
    await client.appendToStream(
      'whole-long',
      Array.from({ length: 500 }, (_, n) => jsonEvent({ type: 'Counted', data: { n } })),
    );
    const read = collectRead(client.readStream('whole-long'), (resolved) => {
      if (resolved.event?.revision === 3n) throw new Error('cannot map event 3');
      return resolved.event?.revision;
    });
    await expect(read).rejects.toThrow('cannot map event 3');
    await client.dispose();
  });
});
