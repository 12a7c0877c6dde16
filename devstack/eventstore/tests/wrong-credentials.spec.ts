import {
  AccessDeniedError,
  EventStoreDBClient,
  jsonEvent,
  persistentSubscriptionToStreamSettingsFromDefaults,
} from '@eventstore/db-client';
import { eventually } from '../persistent/test-helpers';
import { collect, startHarness, type Harness } from './harness';

let harness: Harness;
let wrong: EventStoreDBClient;
let anonymous: EventStoreDBClient;
beforeAll(async () => {
  harness = await startHarness({ credentials: { username: 'admin', password: 'changeit' } });
  const { caFile, port } = harness.server;
  const tls = `127.0.0.1:${port}?tls=true&tlsCAFile=${caFile ?? ''}`;
  wrong = EventStoreDBClient.connectionString(`esdb://admin:nope@${tls}`);
  anonymous = EventStoreDBClient.connectionString(`esdb://${tls}`);
  await harness.client.appendToStream('guarded', jsonEvent({ type: 'A', data: {} }));
});
afterAll(async () => {
  await Promise.all([wrong.dispose(), anonymous.dispose()]);
  await harness.close();
});

const event = () => jsonEvent({ type: 'A', data: {} });
const perCall = { credentials: { username: 'admin', password: 'wrong' } };

type Attempt = (client: EventStoreDBClient) => Promise<unknown>;

const attempts: [string, Attempt][] = [
  ['an append (BatchAppend)', (client) => client.appendToStream('guarded', event())],
  [
    'an append with per-call credentials (Append)',
    (client) => client.appendToStream('guarded', event(), perCall),
  ],
  ['a stream read', (client) => collect(client.readStream('guarded'))],
  [
    'a backwards $all read',
    (client) => collect(client.readAll({ direction: 'backwards', fromPosition: 'end' })),
  ],
  ['a catch-up subscription', (client) => collect(client.subscribeToStream('guarded'))],
  ['a stream deletion', (client) => client.deleteStream('guarded')],
  [
    'creating a persistent group',
    (client) =>
      client.createPersistentSubscriptionToStream(
        'guarded',
        'g',
        persistentSubscriptionToStreamSettingsFromDefaults(),
      ),
  ],
  ['listing persistent groups', (client) => client.listAllPersistentSubscriptions()],
  ['projection statistics', (client) => client.getProjectionStatus('$by_category')],
];

describe.each([
  ['wrong credentials', () => wrong],
  ['no credentials', () => anonymous],
])('%s', (_, client) => {
  it.each(attempts)('%s is refused with AccessDeniedError', async (_name, attempt) => {
    await expect(attempt(client())).rejects.toBeInstanceOf(AccessDeniedError);
  });
});

it('says what EventStoreDB says', async () => {
  await expect(collect(anonymous.readStream('guarded'))).rejects.toMatchObject({
    message: '7 PERMISSION_DENIED: Access Denied',
  });
  expect(await collect(harness.client.readStream('guarded'))).toHaveLength(1);
});

it('names the authenticated user of a persistent consumer in the group info, as EventStoreDB does', async () => {
  const { client } = harness;
  await client.createPersistentSubscriptionToStream(
    'guarded',
    'users',
    persistentSubscriptionToStreamSettingsFromDefaults(),
  );
  const subscription = client.subscribeToPersistentSubscriptionToStream('guarded', 'users');
  subscription.on('data', () => undefined);
  subscription.on('error', () => undefined);
  await eventually(async () => {
    const info = await client.getPersistentSubscriptionToStreamInfo('guarded', 'users');
    expect(info.connections.map((connection) => connection.username)).toEqual(['admin']);
  });
  await subscription.unsubscribe();
});
