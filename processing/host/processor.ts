import { hostname } from 'node:os';
import type { EventStoreDBClient } from '@eventstore/db-client';
import type { Registry } from 'prom-client';
import type { Logger } from '../../lib/logger';
import { startPersistentConsumer, type PersistentConsumer } from '../../lib/persistent-consumer';
import { gauge } from '../../lib/metrics';
import type { KeyStore } from '../../lib/personal-data/key-store';
import { eventStoreAggregateStore } from './aggregate-store';
import { createInputHandler } from './input-handler';
import { eventStoreOutcomeRecorder } from './outcome-recorder';
import { personalDataSealer } from './personal-data';
import { registerParkedMetrics } from './parked-metrics';
import { startRefundReactor } from './refund-reactor';
import { watchServerParks } from './server-parks';
import { serverMaxRetryCount, type RetryPolicy } from './retry-policy';

export interface ProcessorOptions {
  readonly client: EventStoreDBClient;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly inputStream: string;
  readonly group: string;
  readonly refundsGroup: string;
  readonly maxRetryCount: number;
  readonly waitWindowMs?: number;
  readonly concurrency?: number;
  readonly messageTimeoutMs?: number;
  /** `SNAPSHOT_AFTER_EVENTS`: streams longer than this load from a snapshot; 0 turns snapshots off. */
  readonly snapshotAfterEvents?: number;
  /** Where customer keys live, to seal personal data. */
  readonly keys: KeyStore;
  /** Named in the outcomes it records; `host:pid#n` (n counts processors in this process) by default. */
  readonly processorId?: string;
}

export interface Processor {
  readonly consumer: PersistentConsumer;
  readonly refunds: PersistentConsumer;
  stop(): Promise<void>;
}

export const DEFAULT_CONCURRENCY = 16;
export const DEFAULT_MESSAGE_TIMEOUT_MS = 30_000;
export const DEFAULT_WAIT_WINDOW_MS = 600_000;
const REFUND_CONCURRENCY = 4;
let processorsStarted = 0;

/**
 * One processor process: a consumer in the competing group on the input stream, and one in the refund reactor's
 * group. It keeps no state between messages: every decision reads the stream that guards it.
 */
export function startProcessor(options: ProcessorOptions): Processor {
  const { client, logger, registry } = options;
  const store = eventStoreAggregateStore(client, {
    snapshotAfterEvents: options.snapshotAfterEvents,
    logger,
  });
  const policy: RetryPolicy = {
    maxRetryCount: options.maxRetryCount,
    waitWindowMs: options.waitWindowMs ?? DEFAULT_WAIT_WINDOW_MS,
  };
  const messageTimeoutMs = options.messageTimeoutMs ?? DEFAULT_MESSAGE_TIMEOUT_MS;
  processorsStarted += 1;
  const outcomes = eventStoreOutcomeRecorder(client);
  const names = { inputStream: options.inputStream, processingGroup: options.group };
  const handle = createInputHandler({
    processorId: options.processorId ?? `${hostname()}:${process.pid}#${processorsStarted}`,
    store,
    outcomes,
    logger,
    registry,
    policy,
    seal: personalDataSealer(options.keys),
  });
  const consumer = startPersistentConsumer({
    client,
    source: { stream: options.inputStream },
    group: options.group,
    logger,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    // The server parks on its own only after timeouts; the handler parks explicitly with its reason.
    settings: { maxRetryCount: serverMaxRetryCount(policy), messageTimeout: messageTimeoutMs },
    handle,
  });
  const refunds = startRefundReactor({
    client,
    store,
    logger,
    group: options.refundsGroup,
    policy,
    concurrency: REFUND_CONCURRENCY,
    messageTimeoutMs,
  });
  gauge(registry, 'processing_in_flight', 'Input messages being handled now', [], () => consumer.inFlight());
  registerParkedMetrics(registry, client, names, logger);
  const serverParks = watchServerParks({
    client,
    outcomes,
    names,
    logger,
    retryCount: serverMaxRetryCount(policy),
  });
  gauge(registry, 'processing_waiting', 'Input messages waiting for a delayed retry', [], () =>
    consumer.deferred(),
  );
  return {
    consumer,
    refunds,
    async stop() {
      await Promise.all([consumer.stop(), refunds.stop(), serverParks.stop()]);
    },
  };
}
