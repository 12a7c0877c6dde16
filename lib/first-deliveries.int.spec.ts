import { jsonEvent, START, type EventStoreDBClient } from '@eventstore/db-client';
import {
  startPersistentTestServer,
  type PersistentTestServer,
} from '../devstack/eventstore/persistent/test-server';
import { readStreamOrEmpty } from './eventstore';
import { eventually } from './eventually';
import { startedMarkStream } from './first-deliveries';
import { createLogger } from './logger';
import { startPersistentConsumer, type PersistentConsumer, type Settlement } from './persistent-consumer';

const silent = createLogger('test', { level: 'silent' });
const work = (name: string) => jsonEvent({ type: 'Work', data: { name } });

/** What the consumer was told of each delivery: `<name>#<retryCount>:<first|seen>`. */
type Deliveries = string[];

describe('which deliveries are first deliveries', () => {
  let server: PersistentTestServer;
  let client: EventStoreDBClient;
  let consumer: PersistentConsumer | undefined;
  beforeAll(async () => {
    server = await startPersistentTestServer();
    client = server.client;
  });
  afterEach(() => consumer?.stop());
  afterAll(() => server.close());

  function consume(
    stream: string,
    decide: (name: string, retryCount: number) => Settlement | Promise<Settlement> = () => ({
      action: 'ack',
    }),
    settings = {},
    options: { concurrency?: number; startedLease?: bigint; group?: string } = {},
  ): Deliveries {
    const deliveries: Deliveries = [];
    consumer = startPersistentConsumer({
      client,
      source: { stream },
      group: options.group ?? 'g',
      logger: silent,
      settings: { startFrom: START, messageTimeout: 10_000, ...settings },
      concurrency: options.concurrency ?? 4,
      ...(options.startedLease === undefined ? {} : { startedLease: options.startedLease }),
      handle: async (event, retryCount, first) => {
        const { name } = event.data as { name: string };
        deliveries.push(`${name}#${retryCount}:${first ? 'first' : 'seen'}`);
        return decide(name, retryCount);
      },
    });
    return deliveries;
  }

  /** Appends probes until one is told it is a first delivery: the consumer then knows where its source ended. */
  async function untilHeadKnown(stream: string, deliveries: Deliveries): Promise<void> {
    for (let i = 0; i < 50; i++) {
      await client.appendToStream(stream, [work(`probe-${i}`)]);
      const told = await eventually(() => deliveries.find((d) => d.startsWith(`probe-${i}#`)), 10_000);
      if (told.endsWith(':first')) return;
    }
    throw new Error('the consumer never learned where its source ended');
  }

  /** Joins while the stream is still empty, so the stream's started mark covers it from the start. */
  async function joinEmpty(
    stream: string,
    ...args: Parameters<typeof consume> extends [string, ...infer Rest] ? Rest : never
  ): Promise<Deliveries> {
    const deliveries = consume(stream, ...args);
    await eventually(
      async () => (await readStreamOrEmpty(client, startedMarkStream(stream))).length || undefined,
    );
    return deliveries;
  }

  it('counts a backlog that no consumer has started as first, like what comes after', async () => {
    await joinEmpty('fd-join');
    await consumer?.stop();
    // The queue fills while no one processes it.
    await client.appendToStream('fd-join', [work('old-0'), work('old-1')]);
    const deliveries = consume('fd-join');
    await untilHeadKnown('fd-join', deliveries);
    await client.appendToStream('fd-join', [work('new-0'), work('new-1')]);
    await eventually(() => (deliveries.length >= 5 ? true : undefined));
    expect(deliveries.filter((d) => d.startsWith('old'))).toEqual(['old-0#0:first', 'old-1#0:first']);
    expect(deliveries.filter((d) => d.startsWith('new'))).toEqual(['new-0#0:first', 'new-1#0:first']);
  });

  it('counts what another group on the same stream started as possibly seen', async () => {
    const first = await joinEmpty('fd-two-groups');
    await client.appendToStream('fd-two-groups', [work('old-0'), work('old-1')]);
    await eventually(() => (first.length === 2 ? true : undefined));
    await consumer?.stop();
    // A group made later (renamed, or a second application) is delivered all of it again.
    const deliveries = consume('fd-two-groups', undefined, {}, { group: 'g-later' });
    await untilHeadKnown('fd-two-groups', deliveries);
    expect(deliveries.filter((d) => d.startsWith('old'))).toEqual(['old-0#0:seen', 'old-1#0:seen']);
  });

  it('counts the backlog as possibly seen when the stream held messages before any consumer marked it', async () => {
    await client.appendToStream('fd-unmarked', [work('old-0'), work('old-1')]);
    const deliveries = consume('fd-unmarked');
    await untilHeadKnown('fd-unmarked', deliveries);
    expect(deliveries.filter((d) => d.startsWith('old'))).toEqual(['old-0#0:seen', 'old-1#0:seen']);
  });

  it('handles a stream whose mark stream was deleted for good, counting its backlog as possibly seen', async () => {
    await client.tombstoneStream(startedMarkStream('fd-tombstoned'));
    const deliveries = consume('fd-tombstoned');
    await untilHeadKnown('fd-tombstoned', deliveries);
    await consumer?.stop();
    await client.appendToStream('fd-tombstoned', [work('old-0'), work('old-1')]);
    const again = consume('fd-tombstoned');
    await untilHeadKnown('fd-tombstoned', again);
    expect(again.filter((d) => d.startsWith('old'))).toEqual(['old-0#0:seen', 'old-1#0:seen']);
  });

  it('after a group restart counts what consumers had started as seen and what none had started as first', async () => {
    // One at a time, two in flight, and the mark raised to each started message exactly: `held` and `next` are
    // started before the restart (the old connection still drains what it was sent), `later-*` only after it.
    let restarted: () => void = () => undefined;
    const restart = new Promise<void>((resolve) => (restarted = resolve));
    const deliveries = await joinEmpty(
      'fd-lease',
      async (name) => {
        if (name === 'held' && deliveries.filter((d) => d.startsWith('held')).length === 1) await restart;
        return { action: 'ack' };
      },
      {},
      { concurrency: 1, startedLease: 0n },
    );
    await untilHeadKnown('fd-lease', deliveries);
    await client.appendToStream('fd-lease', ['held', 'next', 'later-1', 'later-2'].map(work));
    await eventually(() => (deliveries.includes('held#0:first') ? true : undefined));
    const { settings } = await client.getPersistentSubscriptionToStreamInfo('fd-lease', 'g');
    await client.updatePersistentSubscriptionToStream('fd-lease', 'g', {
      ...settings,
      messageTimeout: 20_000,
    });
    restarted();
    await eventually(() => (deliveries.some((d) => d.startsWith('later-2')) ? true : undefined), 15_000);
    const of = (name: string) => deliveries.filter((d) => d.split('#')[0] === name);
    expect(of('held')).toEqual(['held#0:first', 'held#0:seen']);
    expect(of('next')).toEqual(['next#0:first', 'next#0:seen']);
    expect([...of('later-1'), ...of('later-2')]).toEqual(['later-1#0:first', 'later-2#0:first']);
    const marks = await readStreamOrEmpty(client, startedMarkStream('fd-lease'));
    expect(marks.at(-1)?.data).toMatchObject({ sinceCreation: true });
  });

  it('counts a retried message and a replayed parked one as possibly seen', async () => {
    let replayed = false;
    const deliveries = consume('fd-retry', (name, retryCount) => {
      if (name === 'retried' && retryCount === 0) return { action: 'retry', reason: 'not yet' };
      if (name === 'parked' && !replayed) return { action: 'park', reason: 'broken' };
      return { action: 'ack' };
    });
    await untilHeadKnown('fd-retry', deliveries);
    await client.appendToStream('fd-retry', [work('retried'), work('parked')]);
    await eventually(async () => {
      const { stats } = await client.getPersistentSubscriptionToStreamInfo('fd-retry', 'g');
      return stats.parkedMessageCount === 1n && deliveries.includes('retried#1:seen') ? true : undefined;
    });
    replayed = true;
    await client.replayParkedMessagesToStream('fd-retry', 'g');
    await eventually(() =>
      deliveries.filter((d) => d.startsWith('parked')).length === 2 ? true : undefined,
    );
    expect(deliveries.filter((d) => !d.startsWith('probe'))).toEqual([
      'retried#0:first',
      'parked#0:first',
      'retried#1:seen',
      'parked#0:seen',
    ]);
  });

  it('counts what a restarted group delivers again from its checkpoint as possibly seen', async () => {
    // The group cannot checkpoint past a message still being handled: a restart delivers it again, retry count 0.
    let restarted: () => void = () => undefined;
    const restart = new Promise<void>((resolve) => (restarted = resolve));
    const deliveries = consume('fd-restart', async (name) => {
      if (name === 'held' && !deliveries.includes('held#0:seen')) await restart;
      return { action: 'ack' };
    });
    await untilHeadKnown('fd-restart', deliveries);
    await client.appendToStream('fd-restart', [work('held')]);
    await eventually(() => (deliveries.includes('held#0:first') ? true : undefined));
    // Changing a setting restarts the group on the server: its consumers are dropped and rejoin.
    const { settings } = await client.getPersistentSubscriptionToStreamInfo('fd-restart', 'g');
    await client.updatePersistentSubscriptionToStream('fd-restart', 'g', {
      ...settings,
      messageTimeout: 20_000,
    });
    await eventually(() => (deliveries.includes('held#0:seen') ? true : undefined), 15_000);
    restarted();
    expect(deliveries.filter((d) => d.startsWith('held'))).toEqual(['held#0:first', 'held#0:seen']);
  });
});
