import {
  persistentSubscriptionToStreamSettingsFromDefaults,
  PersistentSubscriptionDoesNotExistError,
  PersistentSubscriptionExistsError,
  START,
  type EventStoreDBClient,
  type PersistentSubscriptionToStream,
  type PersistentSubscriptionToStreamResolvedEvent,
  type PersistentSubscriptionToStreamSettings,
} from '@eventstore/db-client';
import { toStoredEvent, type StoredEvent } from './eventstore';
import type { Logger } from './logger';

export type Settlement =
  { readonly action: 'ack' } | { readonly action: 'retry' | 'park' | 'skip'; readonly reason: string };

export interface PersistentConsumerOptions {
  readonly client: EventStoreDBClient;
  readonly stream: string;
  readonly group: string;
  readonly logger: Logger;
  readonly settings: Partial<PersistentSubscriptionToStreamSettings>;
  /** How many messages this process works on at once; also the client buffer size. */
  readonly concurrency: number;
  readonly handle: (event: StoredEvent, retryCount: number) => Promise<Settlement>;
}

export interface PersistentConsumer {
  /** How many messages are being worked on right now. */
  readonly inFlight: () => number;
  /** Stops taking messages, lets in-flight ones finish and settles them, then disconnects. */
  stop(): Promise<void>;
}

const RECONNECT_DELAY_MS = 1000;

/**
 * Creates the group, or updates it when its settings differ from the ones given, so every process start
 * converges on one definition. An update restarts the group on the server (consumers are dropped and their
 * messages redelivered), so an unchanged group is left alone.
 */
export async function ensureGroup(
  client: EventStoreDBClient,
  stream: string,
  group: string,
  changes: Partial<PersistentSubscriptionToStreamSettings>,
): Promise<void> {
  const settings = persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START, ...changes });
  try {
    await client.createPersistentSubscriptionToStream(stream, group, settings);
  } catch (error) {
    if (!(error instanceof PersistentSubscriptionExistsError)) throw error;
    const current = (await client.getPersistentSubscriptionToStreamInfo(stream, group)).settings;
    const differs = (Object.keys(changes) as (keyof PersistentSubscriptionToStreamSettings)[]).some(
      (key) => current[key] !== settings[key],
    );
    if (differs) await client.updatePersistentSubscriptionToStream(stream, group, settings);
  }
}

/**
 * The one competing-consumer runner: joins the group, works on up to `concurrency` messages at once, settles
 * each (ack / nack) after its handler resolves, and rejoins after a dropped connection. Unsettled messages of a
 * dropped connection are redelivered by the server, which is why handlers must be idempotent.
 */
export function startPersistentConsumer(options: PersistentConsumerOptions): PersistentConsumer {
  const log = options.logger.child({ stream: options.stream, group: options.group });
  let stopped = false;
  let groupEnsured = false;
  let inFlight = 0;
  let current: PersistentSubscriptionToStream | undefined;
  const working = new Set<Promise<void>>();

  async function settle(
    sub: PersistentSubscriptionToStream,
    resolved: PersistentSubscriptionToStreamResolvedEvent,
  ) {
    const event = toStoredEvent(resolved);
    let settlement: Settlement;
    try {
      settlement = event
        ? await options.handle(event, resolved.retryCount)
        : { action: 'skip', reason: 'no event' };
    } catch (error) {
      log.warn({ err: error, eventId: resolved.event?.id }, 'handler failed; message will be retried');
      settlement = { action: 'retry', reason: error instanceof Error ? error.message : String(error) };
    }
    if (settlement.action === 'ack') await sub.ack(resolved);
    else await sub.nack(settlement.action, settlement.reason, resolved);
  }

  async function consume(): Promise<void> {
    while (!stopped) {
      try {
        if (!groupEnsured) {
          await ensureGroup(options.client, options.stream, options.group, options.settings);
          groupEnsured = true;
        }
        const sub = options.client.subscribeToPersistentSubscriptionToStream(options.stream, options.group, {
          bufferSize: options.concurrency,
        });
        current = sub;
        for await (const resolved of sub) {
          // Once stopping, leave new messages unsettled: the server redelivers them to another consumer.
          if (stopped) continue;
          inFlight++;
          const work = settle(sub, resolved)
            .catch((error: unknown) =>
              log.warn({ err: error }, 'could not settle message; the server will redeliver'),
            )
            .finally(() => {
              inFlight--;
              working.delete(work);
            });
          working.add(work);
          while (working.size >= options.concurrency) await Promise.race(working);
        }
      } catch (error) {
        if (stopped) break;
        if (error instanceof PersistentSubscriptionDoesNotExistError) groupEnsured = false;
        log.warn({ err: error }, 'persistent subscription dropped; rejoining');
        await new Promise((r) => setTimeout(r, RECONNECT_DELAY_MS));
      }
    }
  }

  const done = consume();

  return {
    inFlight: () => inFlight,
    async stop() {
      stopped = true;
      await Promise.allSettled([...working]);
      await current?.unsubscribe().catch(() => undefined);
      await done;
    },
  };
}
