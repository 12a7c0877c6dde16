import type { EventStoreDBClient } from '@eventstore/db-client';
import type { Registry } from 'prom-client';
import type { Logger } from '../../lib/logger';
import { startPersistentConsumer, type PersistentConsumer } from '../../lib/persistent-consumer';
import { gauge } from '../../lib/metrics';
import { eventStoreAggregateStore } from './aggregate-store';
import { startFactsCache, type FactsCache } from './facts-cache';
import { createInputHandler } from './input-handler';
import { eventStoreOutcomeRecorder } from './outcome-recorder';
import { startRefundSaga } from './refund-saga';

export interface ProcessorOptions {
  readonly client: EventStoreDBClient;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly inputStream: string;
  readonly group: string;
  readonly maxRetryCount: number;
  readonly concurrency?: number;
  readonly messageTimeoutMs?: number;
}

export interface Processor {
  readonly facts: FactsCache;
  readonly consumer: PersistentConsumer;
  stop(): Promise<void>;
}

export const DEFAULT_CONCURRENCY = 16;
export const DEFAULT_MESSAGE_TIMEOUT_MS = 30_000;

/** One processor process: facts cache, refund saga, and a consumer in the competing group on the input stream. */
export function startProcessor(options: ProcessorOptions): Processor {
  const { client, logger, registry } = options;
  const store = eventStoreAggregateStore(client);
  const facts = startFactsCache(client, logger);
  const saga = startRefundSaga(client, store, facts, logger);
  const handle = createInputHandler({
    store,
    outcomes: eventStoreOutcomeRecorder(client),
    facts: facts.view,
    logger,
    registry,
    maxRetryCount: options.maxRetryCount,
  });
  const consumer = startPersistentConsumer({
    client,
    stream: options.inputStream,
    group: options.group,
    logger,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    // The server parks on its own only after timeouts; the handler parks explicitly after its own retries.
    settings: {
      maxRetryCount: options.maxRetryCount + 1,
      messageTimeout: options.messageTimeoutMs ?? DEFAULT_MESSAGE_TIMEOUT_MS,
    },
    handle,
  });
  gauge(registry, 'processing_in_flight', 'Input messages being handled now', [], () => consumer.inFlight());
  return {
    facts,
    consumer,
    async stop() {
      await consumer.stop();
      await saga.stop();
      await facts.stop();
    },
  };
}
