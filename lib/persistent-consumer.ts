import {
  persistentSubscriptionToAllSettingsFromDefaults,
  persistentSubscriptionToStreamSettingsFromDefaults,
  PersistentSubscriptionDoesNotExistError,
  PersistentSubscriptionExistsError,
  START,
  type EventStoreDBClient,
  type Filter,
  type PersistentSubscriptionToAll,
  type PersistentSubscriptionToStream,
  type PersistentSubscriptionToStreamResolvedEvent,
  type PersistentSubscriptionToStreamSettings,
} from '@eventstore/db-client';
import { toStoredEvent, type StoredEvent } from './eventstore';
import { deliveryHistory, type DeliveryHistory } from './first-deliveries';
import type { Logger } from './logger';

/**
 * What to do with a message once handled. A retry with `afterMs` is nacked only after that delay, and the message
 * does not hold a working slot meanwhile: a message waiting for its predecessor must not stall the others.
 */
export type Settlement =
  | { readonly action: 'ack' }
  | { readonly action: 'retry'; readonly reason: string; readonly afterMs?: number }
  | { readonly action: 'park' | 'skip'; readonly reason: string };

/** A group on one stream, or on `$all` with a server-side filter (EventStoreDB ≥ 21.10). */
export type GroupSource = { readonly stream: string } | { readonly all: { readonly filter: Filter } };

export interface PersistentConsumerOptions {
  readonly client: EventStoreDBClient;
  readonly source: GroupSource;
  readonly group: string;
  readonly logger: Logger;
  readonly settings: Partial<PersistentSubscriptionToStreamSettings>;
  /** How many messages this process works on at once. */
  readonly concurrency: number;
  /**
   * How many delayed retries may wait at once without a working slot (default: `concurrency`). The server keeps
   * them in flight, so the client's buffer is concurrency + this; past it, a delayed retry waits in its slot.
   */
  readonly maxDeferred?: number;
  /**
   * How far past the message being started the stream's started mark is raised (default 1,000 revisions): one
   * append per that many messages (see `deliveryHistory`).
   */
  readonly startedLease?: bigint;
  /** `firstDelivery`: the group cannot have delivered this message before (see `deliveryHistory`). */
  readonly handle: (event: StoredEvent, retryCount: number, firstDelivery: boolean) => Promise<Settlement>;
}

export interface PersistentConsumer {
  /** How many messages are being worked on right now. */
  readonly inFlight: () => number;
  /** How many messages wait for a delayed retry. */
  readonly deferred: () => number;
  /** Stops taking messages, lets in-flight ones finish and settles them, then disconnects. */
  stop(): Promise<void>;
}

const RECONNECT_DELAY_MS = 1000;

type Subscription = PersistentSubscriptionToStream | PersistentSubscriptionToAll;
type Resolved = PersistentSubscriptionToStreamResolvedEvent;

function describeSource(source: GroupSource): string {
  return 'stream' in source ? source.stream : '$all';
}

/**
 * Creates the group, or updates it when its settings differ from the ones given, so every process start
 * converges on one definition. An update restarts the group on the server (consumers are dropped and their
 * messages redelivered), so an unchanged group is left alone.
 */
export async function ensureGroup(
  client: EventStoreDBClient,
  source: GroupSource,
  group: string,
  changes: Partial<PersistentSubscriptionToStreamSettings>,
): Promise<void> {
  const settings = persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START, ...changes });
  const keys = Object.keys(changes) as (keyof PersistentSubscriptionToStreamSettings)[];
  try {
    if ('stream' in source) await client.createPersistentSubscriptionToStream(source.stream, group, settings);
    else {
      const allSettings = persistentSubscriptionToAllSettingsFromDefaults({ ...settings, startFrom: START });
      await client.createPersistentSubscriptionToAll(group, allSettings, { filter: source.all.filter });
    }
  } catch (error) {
    if (!(error instanceof PersistentSubscriptionExistsError)) throw error;
    if ('stream' in source) {
      const current = (await client.getPersistentSubscriptionToStreamInfo(source.stream, group)).settings;
      if (keys.some((key) => current[key] !== settings[key])) {
        await client.updatePersistentSubscriptionToStream(source.stream, group, settings);
      }
    } else {
      const current = (await client.getPersistentSubscriptionToAllInfo(group)).settings;
      const allSettings = persistentSubscriptionToAllSettingsFromDefaults({ ...settings, startFrom: START });
      if (keys.some((key) => key !== 'startFrom' && current[key] !== settings[key])) {
        await client.updatePersistentSubscriptionToAll(group, allSettings);
      }
    }
  }
}

/** Acks in one request: the ids one request carries at most (the server takes many per Ack call). */
export const MAX_ACK_BATCH = 100;

/**
 * Acks settled in the same turn of the event loop leave as one request (the client's `ack(...events)`), so 16
 * handlers finishing together cost one call, not 16. Each caller's promise settles with the request that carried
 * its id; a lost ack is redelivered by the server, as any unacknowledged message is.
 */
function batchedAcks(sub: Subscription): (resolved: Resolved) => Promise<void> {
  let pending: { resolved: Resolved; done: (error?: Error) => void }[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    for (let i = 0; i < batch.length; i += MAX_ACK_BATCH) {
      const slice = batch.slice(i, i + MAX_ACK_BATCH);
      void sub.ack(...slice.map((entry) => entry.resolved)).then(
        () => slice.forEach((entry) => entry.done()),
        (error: unknown) => {
          const failure = error instanceof Error ? error : new Error(String(error));
          slice.forEach((entry) => entry.done(failure));
        },
      );
    }
  };
  return (resolved) =>
    new Promise<void>((resolve, reject) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push({ resolved, done: (error) => (error === undefined ? resolve() : reject(error)) });
    });
}

/**
 * The one competing-consumer runner: joins the group, works on up to `concurrency` messages at once, settles
 * each (ack / nack) after its handler resolves, and rejoins after a dropped connection. Unsettled messages of a
 * dropped connection are redelivered by the server, which is why handlers must be idempotent.
 */
export function startPersistentConsumer(options: PersistentConsumerOptions): PersistentConsumer {
  const log = options.logger.child({ source: describeSource(options.source), group: options.group });
  const maxDeferred = options.maxDeferred ?? options.concurrency;
  let stopped = false;
  let groupEnsured = false;
  let inFlight = 0;
  let current: Subscription | undefined;
  const working = new Set<Promise<void>>();
  const deferred = new Map<NodeJS.Timeout, () => Promise<void>>();

  function subscribe(): Subscription {
    const bufferSize = options.concurrency + maxDeferred;
    return 'stream' in options.source
      ? options.client.subscribeToPersistentSubscriptionToStream(options.source.stream, options.group, {
          bufferSize,
        })
      : options.client.subscribeToPersistentSubscriptionToAll(options.group, { bufferSize });
  }

  function nackLater(sub: Subscription, resolved: Resolved, reason: string, afterMs: number): void {
    const nack = () => sub.nack('retry', reason, resolved).catch(() => undefined);
    const timer = setTimeout(() => {
      deferred.delete(timer);
      void nack();
    }, afterMs);
    deferred.set(timer, nack);
  }

  const acks = new WeakMap<Subscription, (resolved: Resolved) => Promise<void>>();
  const ackOn = (sub: Subscription) => {
    let ack = acks.get(sub);
    if (!ack) acks.set(sub, (ack = batchedAcks(sub)));
    return ack;
  };

  async function settle(sub: Subscription, resolved: Resolved, deliveries: DeliveryHistory) {
    const event = toStoredEvent(resolved);
    let settlement: Settlement;
    try {
      settlement = event
        ? await options.handle(event, resolved.retryCount, await deliveries.starting(resolved))
        : { action: 'skip', reason: 'no event' };
    } catch (error) {
      log.warn({ err: error, eventId: resolved.event?.id }, 'handler failed; message will be retried');
      settlement = { action: 'retry', reason: error instanceof Error ? error.message : String(error) };
    }
    if (settlement.action === 'ack') return ackOn(sub)(resolved);
    if (settlement.action === 'retry' && settlement.afterMs && !stopped) {
      if (deferred.size < maxDeferred) return nackLater(sub, resolved, settlement.reason, settlement.afterMs);
      await new Promise((resolve) => setTimeout(resolve, settlement.afterMs));
    }
    return sub.nack(settlement.action, settlement.reason, resolved);
  }

  async function consume(): Promise<void> {
    while (!stopped) {
      try {
        if (!groupEnsured) {
          await ensureGroup(options.client, options.source, options.group, options.settings);
          groupEnsured = true;
        }
        const sub = subscribe();
        current = sub;
        const deliveries = deliveryHistory(options.client, options.source, sub, options.startedLease);
        for await (const resolved of sub) {
          // Once stopping, leave new messages unsettled: the server redelivers them to another consumer.
          if (stopped) continue;
          inFlight++;
          const work = settle(sub, resolved as Resolved, deliveries)
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
    deferred: () => deferred.size,
    async stop() {
      stopped = true;
      await Promise.allSettled([...working]);
      // Waiting messages go back to the server now, so another consumer can take them up.
      const waiting = [...deferred];
      deferred.clear();
      for (const [timer] of waiting) clearTimeout(timer);
      await Promise.allSettled(waiting.map(([, nack]) => nack()));
      await current?.unsubscribe().catch(() => undefined);
      await done;
    },
  };
}
