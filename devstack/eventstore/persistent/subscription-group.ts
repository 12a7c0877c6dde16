import type { Logger } from 'pino';
import type { LoggedEvent, PersistentLogPort } from './port';
import type { SubscriptionDefinition } from './settings';
import { ackIdOf, type OutstandingMessage } from './message';
import { CheckpointWindow, type SourcePoint } from './checkpoint-window';
import { createConsumerStrategy, type ConsumerStrategy } from './consumer-strategy';
import { SourceReader } from './source-reader';
import { ParkedMessages } from './parked-messages';
import { clearCheckpoint, loadCheckpoint, writeCheckpoint } from './checkpoint-store';
import { ALL_STREAM } from './names';

/** A consumer connection as the group sees it; `read-call.ts` implements it over a gRPC Read call. */
export interface ConsumerConnection {
  readonly id: string;
  readonly from: string;
  readonly username: string;
  readonly connectionName: string;
  readonly bufferSize: number;
  send(message: OutstandingMessage): void;
  /** End the connection because the group was deleted, updated or stopped. */
  drop(): void;
}

interface Consumer {
  readonly connection: ConsumerConnection;
  readonly inFlight: Set<string>;
  totalItems: number;
  readonly id: string;
  hasCapacity(): boolean;
}

interface InFlight {
  readonly message: OutstandingMessage;
  readonly consumer: Consumer;
  readonly deadline: number;
}

export type NackAction = 'park' | 'retry' | 'skip' | 'stop' | 'unknown';

const MIN_TICK_MS = 10;
const MAX_TICK_MS = 1000;
const PARK_ATTEMPTS = 5;
const NO_POSITION = { commit: -1n, prepare: -1n };

/**
 * One persistent-subscription group: reads its source into a buffer, hands messages to consumers by the
 * strategy within each consumer's buffer size, takes acks/nacks, retries on timeout or disconnect, parks after
 * the max retry count and writes checkpoints. At-least-once: a message leaves only by ack, skip or park.
 */
export class SubscriptionGroup {
  readonly parked: ParkedMessages;
  private readonly reader: SourceReader;
  private readonly strategy: ConsumerStrategy;
  private readonly consumers: Consumer[] = [];
  private readonly buffer: OutstandingMessage[] = [];
  private readonly retries: OutstandingMessage[] = [];
  private readonly inFlight = new Map<string, InFlight>();
  private window = new CheckpointWindow(undefined);
  private lastCheckpoint: SourcePoint | undefined;
  private checkpointWrites = 0;
  private writingCheckpoint: Promise<void> | undefined;
  private reading = false;
  private readAgain = false;
  private endOfSource = false;
  private stopped = false;
  private totalItems = 0;
  private ready: Promise<void>;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly unsubscribe: () => void;

  constructor(
    readonly definition: SubscriptionDefinition,
    private readonly log: PersistentLogPort,
    private readonly logger: Logger,
  ) {
    this.parked = new ParkedMessages(log, definition.stream, definition.group);
    this.reader = new SourceReader(log, definition);
    this.strategy = createConsumerStrategy(definition.settings.consumerStrategy);
    this.ready = this.load();
    this.unsubscribe = log.onAppended(() => this.pump());
  }

  get stream(): string {
    return this.definition.stream;
  }

  get group(): string {
    return this.definition.group;
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  private async load(): Promise<void> {
    const { stream, group, settings } = this.definition;
    const checkpoint = await loadCheckpoint(this.log, stream, group);
    await this.parked.load();
    if (checkpoint) {
      this.lastCheckpoint = checkpoint;
      this.window = new CheckpointWindow(checkpoint);
      this.reader.startAfter(checkpoint);
    } else {
      this.reader.startAt(await this.resolveStart());
    }
    this.startTimers(settings.messageTimeoutMs, settings.checkpointAfterMs);
    this.logger.debug(
      { stream, group, checkpoint: checkpoint !== undefined },
      'persistent subscription started',
    );
    this.pump();
  }

  private async resolveStart(): Promise<SourcePoint> {
    const { startFrom } = this.definition.settings;
    switch (startFrom.kind) {
      case 'start':
        return { revision: 0n, position: { commit: 0n, prepare: 0n } };
      case 'revision':
        return { revision: startFrom.revision, position: NO_POSITION };
      case 'position':
        return { revision: -1n, position: startFrom.position };
      case 'end': {
        // "End" means what is appended from now on: resolved when the group (re)starts, as EventStoreDB does.
        if (this.stream === ALL_STREAM) {
          const last = await this.log.readAllLast();
          return last
            ? {
                revision: -1n,
                position: { commit: last.position.commit + 1n, prepare: last.position.prepare + 1n },
              }
            : { revision: -1n, position: { commit: 0n, prepare: 0n } };
        }
        const last = await this.log.readLast(this.stream);
        return { revision: last ? last.revision + 1n : 0n, position: NO_POSITION };
      }
    }
  }

  private startTimers(messageTimeoutMs: number, checkpointAfterMs: number): void {
    if (messageTimeoutMs > 0) {
      const tick = Math.min(Math.max(messageTimeoutMs / 4, MIN_TICK_MS), MAX_TICK_MS);
      this.timers.push(setInterval(() => this.expireTimedOut(), tick));
    }
    this.timers.push(setInterval(() => this.tryCheckpoint(true), Math.max(checkpointAfterMs, MIN_TICK_MS)));
    for (const timer of this.timers) timer.unref();
  }

  // ---- consumers -------------------------------------------------------------------------------------------

  consumerCount(): number {
    return this.consumers.length;
  }

  isFull(): boolean {
    const max = this.definition.settings.maxSubscriberCount;
    return max > 0 && this.consumers.length >= max;
  }

  attach(connection: ConsumerConnection): void {
    const inFlight = new Set<string>();
    this.consumers.push({
      connection,
      inFlight,
      totalItems: 0,
      id: connection.id,
      hasCapacity: () => inFlight.size < connection.bufferSize,
    });
    this.dispatch();
  }

  /** The consumer went away: what it had in flight is retried (counting as a retry, as EventStoreDB does). */
  detach(consumerId: string): void {
    const index = this.consumers.findIndex((c) => c.id === consumerId);
    if (index < 0) return;
    const [consumer] = this.consumers.splice(index, 1);
    this.strategy.removed(consumerId);
    const lost = [...consumer!.inFlight]
      .map((id) => this.inFlight.get(id))
      .filter((entry): entry is InFlight => entry !== undefined)
      .sort((a, b) => compareOriginal(a.message, b.message));
    for (const entry of lost) {
      this.inFlight.delete(ackIdOf(entry.message));
      this.retry(entry.message);
    }
    this.dispatch();
  }

  // ---- acks and nacks --------------------------------------------------------------------------------------

  /** Ids not in flight for this consumer (unknown, timed out meanwhile, already acked) are ignored. */
  ack(consumerId: string, ids: readonly string[]): void {
    for (const id of ids) {
      const entry = this.takeInFlight(consumerId, id);
      if (entry) this.settle(entry.message);
    }
    this.dispatch();
  }

  nack(consumerId: string, ids: readonly string[], action: NackAction, reason: string): void {
    for (const id of ids) {
      // Stop leaves the message in flight (EventStoreDB does nothing more): it times out and is retried.
      if (action === 'stop') continue;
      const entry = this.takeInFlight(consumerId, id);
      if (!entry) continue;
      if (action === 'park') this.park(entry.message, `Client explicitly NAK'ed message.\n${reason}`);
      else if (action === 'skip') this.settle(entry.message);
      else this.retry(entry.message);
    }
    this.dispatch();
  }

  private takeInFlight(consumerId: string, id: string): InFlight | undefined {
    const entry = this.inFlight.get(id);
    if (!entry || entry.consumer.id !== consumerId) return undefined;
    this.inFlight.delete(id);
    entry.consumer.inFlight.delete(id);
    return entry;
  }

  private settle(message: OutstandingMessage): void {
    if (message.slot) this.window.settle(message.slot);
    this.tryCheckpoint(false);
  }

  private retry(message: OutstandingMessage): void {
    const max = this.definition.settings.maxRetryCount;
    if (message.retryCount < max) {
      message.retryCount += 1;
      this.retries.push(message);
    } else {
      this.park(message, `Reached retry count of ${max}`);
    }
  }

  private park(message: OutstandingMessage, reason: string, attempt = 1): void {
    this.parked
      .park(message.event, message.original, reason)
      .then((ok) => {
        if (ok) return this.settle(message);
        throw new Error('append to the parked stream failed');
      })
      .catch((error: unknown) => {
        this.logger.error({ err: error, stream: this.stream, group: this.group, attempt }, 'parking failed');
        // Never lose it: after a few attempts it goes back to the consumers instead.
        if (this.stopped) return;
        if (attempt < PARK_ATTEMPTS) this.park(message, reason, attempt + 1);
        else {
          this.retries.push(message);
          this.dispatch();
        }
      });
  }

  private expireTimedOut(): void {
    const now = Date.now();
    const expired = [...this.inFlight.values()].filter((entry) => entry.deadline <= now);
    for (const entry of expired.sort((a, b) => compareOriginal(a.message, b.message))) {
      const id = ackIdOf(entry.message);
      this.inFlight.delete(id);
      entry.consumer.inFlight.delete(id);
      this.retry(entry.message);
    }
    if (expired.length > 0) this.dispatch();
  }

  // ---- reading and dispatching -----------------------------------------------------------------------------

  private bufferLimit(): number {
    const { historyBufferSize, liveBufferSize } = this.definition.settings;
    return Math.max(historyBufferSize, liveBufferSize);
  }

  /** Single-flight read loop; an append during a read makes it go round again, so nothing is missed. */
  pump(): void {
    if (this.stopped) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    this.readLoop()
      .catch((error: unknown) => {
        this.logger.error(
          { err: error, stream: this.stream, group: this.group },
          'persistent subscription read failed',
        );
      })
      .finally(() => {
        this.reading = false;
      });
  }

  private async readLoop(): Promise<void> {
    await this.ready;
    const batchSize = this.definition.settings.readBatchSize;
    do {
      this.readAgain = false;
      while (!this.stopped && this.buffer.length + batchSize <= this.bufferLimit()) {
        const { items, endOfSource } = await this.reader.read(batchSize);
        for (const item of items) {
          if (!item.delivery) {
            this.window.passOver(item.original);
            continue;
          }
          this.buffer.push({
            event: item.delivery.event,
            ...(item.delivery.link ? { link: item.delivery.link } : {}),
            original: item.original,
            retryCount: 0,
            slot: this.window.open(item.original),
          });
        }
        this.endOfSource = endOfSource;
        this.dispatch();
        if (endOfSource) break;
      }
    } while (this.readAgain && !this.stopped);
  }

  private dispatch(): void {
    if (this.stopped) return;
    for (const queue of [this.retries, this.buffer]) {
      let index = 0;
      while (index < queue.length) {
        if (!this.consumers.some((c) => c.hasCapacity())) return this.refill();
        const message = queue[index]!;
        // Pick once: a strategy such as RoundRobin moves on with every call.
        const picked = this.strategy.pick(message, this.consumers);
        const consumer = this.consumers.find((c) => c === picked);
        if (!consumer) {
          index += 1;
          continue;
        }
        queue.splice(index, 1);
        this.deliver(message, consumer);
      }
    }
    this.refill();
  }

  private refill(): void {
    if (!this.endOfSource && !this.reading && this.buffer.length <= this.bufferLimit() / 2) this.pump();
  }

  private deliver(message: OutstandingMessage, consumer: Consumer): void {
    const id = ackIdOf(message);
    const timeout = this.definition.settings.messageTimeoutMs;
    this.inFlight.set(id, {
      message,
      consumer,
      deadline: timeout > 0 ? Date.now() + timeout : Number.POSITIVE_INFINITY,
    });
    consumer.inFlight.add(id);
    consumer.totalItems += 1;
    this.totalItems += 1;
    consumer.connection.send(message);
  }

  // ---- parked replay ---------------------------------------------------------------------------------------

  async replayParked(stopAt: bigint | undefined): Promise<void> {
    await this.ready;
    const { entries, upTo } = await this.parked.readForReplay(stopAt);
    for (const { link, target } of entries) {
      this.retries.push({ event: target, link, original: link, retryCount: 0 });
    }
    await this.parked.markReplayed(upTo);
    this.dispatch();
  }

  // ---- checkpoints -----------------------------------------------------------------------------------------

  private tryCheckpoint(isTimeCheck: boolean): void {
    const { minCheckpointCount, maxCheckpointCount } = this.definition.settings;
    const pending = this.window.pendingCount();
    if (pending === 0) return;
    if ((isTimeCheck && pending >= minCheckpointCount) || pending >= maxCheckpointCount) {
      void this.checkpointNow();
    }
  }

  /** Writes the current safe checkpoint unless one is being written or it has not moved. */
  checkpointNow(): Promise<void> {
    if (this.writingCheckpoint) return this.writingCheckpoint;
    const point = this.window.checkpointable();
    if (!point || (this.lastCheckpoint && samePoint(this.stream === ALL_STREAM, point, this.lastCheckpoint)))
      return Promise.resolve();
    this.window.markCheckpointed();
    const first = this.lastCheckpoint === undefined && this.checkpointWrites === 0;
    this.writingCheckpoint = writeCheckpoint(this.log, this.stream, this.group, point, first)
      .then((ok) => {
        if (ok) {
          this.lastCheckpoint = point;
          this.checkpointWrites += 1;
        }
      })
      .catch((error: unknown) => {
        this.logger.error({ err: error, stream: this.stream, group: this.group }, 'checkpoint write failed');
      })
      .finally(() => {
        this.writingCheckpoint = undefined;
      });
    return this.writingCheckpoint;
  }

  // ---- lifecycle and stats ---------------------------------------------------------------------------------

  /** Stop serving: drop consumers, stop timers and reads; write a last checkpoint when asked. */
  async stop(options: { checkpoint: boolean }): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    this.unsubscribe();
    for (const consumer of [...this.consumers]) consumer.connection.drop();
    this.consumers.length = 0;
    await this.ready.catch(() => undefined);
    if (options.checkpoint) await this.checkpointNow();
    await this.writingCheckpoint;
  }

  /** After delete: the checkpoint and parked messages of this group are gone. */
  async forget(): Promise<void> {
    await clearCheckpoint(this.log, this.stream, this.group);
    await this.parked.clear();
  }

  stats(): GroupStats {
    return {
      live: this.endOfSource,
      totalItems: this.totalItems,
      bufferCount: this.buffer.length,
      retryCount: this.retries.length,
      inFlight: this.inFlight.size,
      parkedCount: this.parked.count(),
      lastCheckpoint: this.lastCheckpoint,
      lastKnown: this.window.lastKnown(),
      connections: this.consumers.map((c) => ({
        connection: c.connection,
        inFlight: c.inFlight.size,
        totalItems: c.totalItems,
      })),
    };
  }
}

export interface GroupStats {
  readonly live: boolean;
  readonly totalItems: number;
  readonly bufferCount: number;
  readonly retryCount: number;
  readonly inFlight: number;
  readonly parkedCount: bigint;
  readonly lastCheckpoint: SourcePoint | undefined;
  readonly lastKnown: SourcePoint | undefined;
  readonly connections: readonly {
    readonly connection: ConsumerConnection;
    readonly inFlight: number;
    readonly totalItems: number;
  }[];
}

function samePoint(isAll: boolean, a: SourcePoint, b: SourcePoint): boolean {
  return isAll
    ? a.position.commit === b.position.commit && a.position.prepare === b.position.prepare
    : a.revision === b.revision;
}

function compareOriginal(a: OutstandingMessage, b: OutstandingMessage): number {
  const x: LoggedEvent = a.original;
  const y: LoggedEvent = b.original;
  if (x.position.commit !== y.position.commit) return x.position.commit < y.position.commit ? -1 : 1;
  return x.revision < y.revision ? -1 : x.revision > y.revision ? 1 : 0;
}
