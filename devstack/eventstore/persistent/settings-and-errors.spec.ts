import {
  END,
  eventTypeFilter,
  streamNameFilter,
  PersistentSubscriptionDoesNotExistError,
  PersistentSubscriptionMaximumSubscribersReachedError,
  persistentSubscriptionToAllSettingsFromDefaults,
  START,
} from '@eventstore/db-client';
import { startPersistentTestServer, type PersistentTestServer } from './test-server';
import { eventually, inputs, settings } from './test-helpers';

let server: PersistentTestServer;
beforeAll(async () => {
  server = await startPersistentTestServer();
});
afterAll(() => server.close());

type Changes = Parameters<typeof settings>[0];
type AllChanges = Parameters<typeof persistentSubscriptionToAllSettingsFromDefaults>[0];

// Each is valid for EventStoreDB (it checks only ReadBatchSize < BufferSize); info must report it back as sent.
const validCombinations: [string, Changes][] = [
  ['the defaults', {}],
  ['a checkpoint upper bound below the default lower bound', { checkPointUpperBound: 5 }],
  ['a checkpoint lower bound above the default upper bound', { checkPointLowerBound: 2000 }],
  ['equal checkpoint bounds', { checkPointLowerBound: 1, checkPointUpperBound: 1 }],
  ['start at the end', { startFrom: END }],
  ['start at a revision', { startFrom: 3n }],
  ['no message timeout, no retries', { messageTimeout: 0, maxRetryCount: 0 }],
  ['one subscriber, Pinned', { maxSubscriberCount: 1, consumerStrategyName: 'Pinned' }],
  [
    'RoundRobin with small buffers',
    { consumerStrategyName: 'RoundRobin', readBatchSize: 1, historyBufferSize: 2, liveBufferSize: 1 },
  ],
  [
    'extra statistics, resolved links',
    { extraStatistics: true, resolveLinkTos: true, checkPointAfter: 60_000 },
  ],
];

describe('groups created with any valid settings the client sends', () => {
  it.each(validCombinations)('%s: info, list and replay-parked work', async (name, changes) => {
    const { client } = server;
    const stream = `combo-${name.replace(/\W+/g, '-')}`;
    const sent = settings(changes);
    await client.createPersistentSubscriptionToStream(stream, 'g', sent);
    const info = await client.getPersistentSubscriptionToStreamInfo(stream, 'g');
    expect(info.settings).toEqual(sent);
    const listed = await client.listPersistentSubscriptionsToStream(stream);
    expect(listed.map((group) => group.settings)).toEqual([sent]);
    await client.replayParkedMessagesToStream(stream, 'g');
  });

  const allCombinations: [
    string,
    AllChanges,
    Parameters<PersistentTestServer['client']['createPersistentSubscriptionToAll']>[2],
  ][] = [
    ['a changed checkpoint count', { startFrom: START, checkPointUpperBound: 5 }, {}],
    [
      'start at the end, event-type regex',
      { startFrom: END },
      { filter: eventTypeFilter({ regex: '^Shop' }) },
    ],
    [
      'stream prefixes and a checkpoint lower bound above the upper one',
      { startFrom: START, checkPointLowerBound: 50, checkPointUpperBound: 20 },
      { filter: streamNameFilter({ prefixes: ['a-', 'b-'] }) },
    ],
  ];

  it.each(allCombinations)('$all groups with %s', async (name, changes, options) => {
    const { client } = server;
    const group = `combo-all-${name.replace(/\W+/g, '-')}`;
    const sent = persistentSubscriptionToAllSettingsFromDefaults(changes);
    await client.createPersistentSubscriptionToAll(group, sent, options);
    expect((await client.getPersistentSubscriptionToAllInfo(group)).settings).toEqual(sent);
    const listed = await client.listPersistentSubscriptionsToAll();
    expect(listed.find((info) => info.groupName === group)?.settings).toEqual(sent);
    await client.replayParkedMessagesToAll(group);
    await client.deletePersistentSubscriptionToAll(group);
  });

  it('$all groups starting at the position of an event', async () => {
    const { client } = server;
    const { position } = await client.appendToStream('combo-position', inputs(1));
    const sent = persistentSubscriptionToAllSettingsFromDefaults({ startFrom: position! });
    await client.createPersistentSubscriptionToAll('combo-all-position', sent);
    expect((await client.getPersistentSubscriptionToAllInfo('combo-all-position')).settings).toEqual(sent);
    await client.deletePersistentSubscriptionToAll('combo-all-position');
  });

  it('still refuses what EventStoreDB refuses: a read batch as large as the buffer', async () => {
    await expect(
      server.client.createPersistentSubscriptionToStream(
        'combo-bad',
        'g',
        settings({ readBatchSize: 500, historyBufferSize: 500 }),
      ),
    ).rejects.toMatchObject({ code: 3 });
  });
});

describe('errors carry the real server messages', () => {
  const missing = (streamName: string, groupName: string) => ({
    streamName,
    groupName,
    message: `5 NOT_FOUND: Subscription group ${groupName} on stream ${streamName} does not exist.`,
  });

  it('a missing group, on every call that names one', async () => {
    const { client } = server;
    await client.appendToStream('errs', inputs(1));
    const calls = [
      () => client.getPersistentSubscriptionToStreamInfo('errs', 'nope'),
      () => client.replayParkedMessagesToStream('errs', 'nope'),
      () => client.deletePersistentSubscriptionToStream('errs', 'nope'),
      () => client.updatePersistentSubscriptionToStream('errs', 'nope', settings()),
    ];
    for (const call of calls) {
      const error: unknown = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PersistentSubscriptionDoesNotExistError);
      expect(error).toMatchObject(missing('errs', 'nope'));
    }
    const subscription = client.subscribeToPersistentSubscriptionToStream('errs', 'nope');
    const dropped = await new Promise<unknown>((resolve) => subscription.on('error', resolve));
    expect(dropped).toBeInstanceOf(PersistentSubscriptionDoesNotExistError);
    expect(dropped).toMatchObject(missing('errs', 'nope'));
    const onAll = await client.getPersistentSubscriptionToAllInfo('nope').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(onAll).toMatchObject(missing('$all', 'nope'));
  });

  it('a full group', async () => {
    const { client } = server;
    await client.createPersistentSubscriptionToStream('errs-full', 'g', settings({ maxSubscriberCount: 1 }));
    const first = client.subscribeToPersistentSubscriptionToStream('errs-full', 'g');
    first.on('data', () => undefined);
    first.on('error', () => undefined);
    await eventually(async () => {
      const info = await client.getPersistentSubscriptionToStreamInfo('errs-full', 'g');
      expect(info.connections).toHaveLength(1);
    });
    const second = client.subscribeToPersistentSubscriptionToStream('errs-full', 'g');
    const refused = await new Promise<unknown>((resolve) => second.on('error', resolve));
    expect(refused).toBeInstanceOf(PersistentSubscriptionMaximumSubscribersReachedError);
    expect(refused).toMatchObject({
      message:
        '9 FAILED_PRECONDITION: Maximum subscriptions reached for subscription group g on stream errs-full.',
    });
    await first.unsubscribe();
  });
});
