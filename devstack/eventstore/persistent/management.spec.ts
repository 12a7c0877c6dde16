import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PersistentSubscriptionDoesNotExistError,
  PersistentSubscriptionExistsError,
  persistentSubscriptionToAllSettingsFromDefaults,
  START,
  streamNameFilter,
  type PersistentSubscriptionToAllResolvedEvent,
} from '@eventstore/db-client';
import { startPersistentTestServer, type PersistentTestServer } from './test-server';
import { consume, eventually, inputs, nOf, readStreamOrEmpty, settings } from './test-helpers';

let server: PersistentTestServer;
beforeAll(async () => {
  server = await startPersistentTestServer();
});
afterAll(() => server.close());

describe('managing groups', () => {
  it('answers the real errors: exists, does not exist, invalid settings', async () => {
    const { client } = server;
    await client.createPersistentSubscriptionToStream('m-errors', 'g', settings());
    await expect(
      client.createPersistentSubscriptionToStream('m-errors', 'g', settings()),
    ).rejects.toBeInstanceOf(PersistentSubscriptionExistsError);
    await expect(client.deletePersistentSubscriptionToStream('m-errors', 'nope')).rejects.toBeInstanceOf(
      PersistentSubscriptionDoesNotExistError,
    );
    await expect(
      client.updatePersistentSubscriptionToStream('m-errors', 'nope', settings()),
    ).rejects.toBeInstanceOf(PersistentSubscriptionDoesNotExistError);
    await expect(client.getPersistentSubscriptionToStreamInfo('m-errors', 'nope')).rejects.toBeInstanceOf(
      PersistentSubscriptionDoesNotExistError,
    );
    await expect(client.replayParkedMessagesToStream('m-errors', 'nope')).rejects.toBeInstanceOf(
      PersistentSubscriptionDoesNotExistError,
    );
    await expect(
      client.createPersistentSubscriptionToStream('m-errors', 'bad', settings({ readBatchSize: 600 })),
    ).rejects.toMatchObject({ code: 3 });
    const missing = client.subscribeToPersistentSubscriptionToStream('m-errors', 'nope');
    const error = await new Promise<unknown>((resolve) => missing.on('error', resolve));
    expect(error).toBeInstanceOf(PersistentSubscriptionDoesNotExistError);
  });

  it('reports settings and stats in info and list; update and delete take effect', async () => {
    const { client } = server;
    await client.createPersistentSubscriptionToStream(
      'm-info',
      'g',
      settings({ maxRetryCount: 7, messageTimeout: 1234, consumerStrategyName: 'DispatchToSingle' }),
    );
    let info = await client.getPersistentSubscriptionToStreamInfo('m-info', 'g');
    expect(info.settings).toMatchObject({
      startFrom: START,
      maxRetryCount: 7,
      messageTimeout: 1234,
      consumerStrategyName: 'DispatchToSingle',
    });
    await client.updatePersistentSubscriptionToStream('m-info', 'g', settings({ maxRetryCount: 3 }));
    info = await client.getPersistentSubscriptionToStreamInfo('m-info', 'g');
    expect(info.settings.maxRetryCount).toBe(3);
    const all = await client.listAllPersistentSubscriptions();
    expect(all.map((s) => `${s.eventSource}::${s.groupName}`)).toEqual(expect.arrayContaining(['m-info::g']));
    const forStream = await client.listPersistentSubscriptionsToStream('m-info');
    expect(forStream.map((s) => s.groupName)).toEqual(['g']);
    await client.deletePersistentSubscriptionToStream('m-info', 'g');
    await expect(client.getPersistentSubscriptionToStreamInfo('m-info', 'g')).rejects.toBeInstanceOf(
      PersistentSubscriptionDoesNotExistError,
    );
  });

  it('subscribes to $all with a stream-name filter and acks by position', async () => {
    const { client } = server;
    await client.appendToStream('pall-a', inputs(2, 'a'));
    await client.createPersistentSubscriptionToAll(
      'all-group',
      persistentSubscriptionToAllSettingsFromDefaults({ startFrom: START }),
      { filter: streamNameFilter({ prefixes: ['pall-'] }) },
    );
    await client.appendToStream('other-x', inputs(1, 'x'));
    await client.appendToStream('pall-b', inputs(1, 'b'));
    const got: string[] = [];
    const subscription = client.subscribeToPersistentSubscriptionToAll('all-group');
    subscription.on('data', (event: PersistentSubscriptionToAllResolvedEvent) => {
      got.push((event.event!.data as { n: string }).n);
      void subscription.ack(event);
    });
    subscription.on('error', () => undefined);
    await eventually(() => expect(got).toEqual(['a0', 'a1', 'b0']));
    const info = await client.getPersistentSubscriptionToAllInfo('all-group');
    expect(info.eventSource).toBe('$all');
    expect(info.settings.startFrom).toBe(START);
    await subscription.unsubscribe();
    await client.deletePersistentSubscriptionToAll('all-group');
  });

  it('restarts the subsystem: consumers are dropped, groups come back', async () => {
    const { client } = server;
    await client.createPersistentSubscriptionToStream('m-restart', 'g', settings());
    const subscription = client.subscribeToPersistentSubscriptionToStream('m-restart', 'g');
    const dropped = new Promise<unknown>((resolve) => subscription.on('error', resolve));
    subscription.on('data', () => undefined);
    await eventually(async () => {
      const info = await client.getPersistentSubscriptionToStreamInfo('m-restart', 'g');
      expect(info.connections).toHaveLength(1);
    });
    await client.restartPersistentSubscriptionSubsystem();
    await dropped;
    const info = await client.getPersistentSubscriptionToStreamInfo('m-restart', 'g');
    expect(info.connections).toHaveLength(0);
  });
});

describe('durability across a server restart on the same data directory', () => {
  it('keeps the group definition and resumes after the last checkpoint', async () => {
    const dbDir = await mkdtemp(join(tmpdir(), 'esdb-persistent-'));
    try {
      const first = await startPersistentTestServer({ dbDir });
      await first.client.createPersistentSubscriptionToStream(
        'd-input',
        'g',
        settings({ checkPointAfter: 50, checkPointLowerBound: 1, checkPointUpperBound: 5 }),
      );
      await first.client.appendToStream('d-input', inputs(10));
      const acked: string[] = [];
      const subscription = first.client.subscribeToPersistentSubscriptionToStream('d-input', 'g');
      consume(subscription, async (event) => {
        if (acked.length < 6) {
          acked.push(nOf(event));
          await subscription.ack(event);
        }
      });
      await eventually(async () => {
        const info = await first.client.getPersistentSubscriptionToStreamInfo('d-input', 'g');
        expect(info.stats.lastCheckpointedEventRevision).toBe(5n);
      });
      const checkpoints = await readStreamOrEmpty(
        first.client,
        '$persistentsubscription-d-input::g-checkpoint',
      );
      expect(checkpoints.at(-1)!.event!.type).toBe('$SubscriptionCheckpoint');
      await subscription.unsubscribe();
      await first.close();

      const second = await startPersistentTestServer({ dbDir });
      const info = await second.client.getPersistentSubscriptionToStreamInfo('d-input', 'g');
      expect(info.settings.checkPointUpperBound).toBe(5);
      const got: string[] = [];
      const resumed = second.client.subscribeToPersistentSubscriptionToStream('d-input', 'g');
      consume(resumed, async (event) => {
        got.push(nOf(event));
        await resumed.ack(event);
      });
      await eventually(() => expect(got).toEqual(['n6', 'n7', 'n8', 'n9']));
      await resumed.unsubscribe();
      await second.close();
    } finally {
      await rm(dbDir, { recursive: true, force: true });
    }
  });
});
