import { EventEmitter } from 'node:events';
import { extname, join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { AllFeed, AllPosition, FeedRequest, FeedSignal, SubscribeToAll } from './all-feed';
import type { StoredEvent } from './eventstore';
import { startWorker } from './worker-thread';

/** What the subscription thread is started with. */
export interface FeedThreadData {
  readonly connectionString: string;
  readonly request: FeedRequest;
  /** Events it may send that this thread has not read yet; past this it stops reading from the server. */
  readonly ahead: number;
}

/** Events as one JSON text: cheaper to pass and parse than the same objects cloned. */
export type FromFeedThread =
  | { readonly type: 'events'; readonly json: string }
  | { readonly type: 'signal'; readonly signal: FeedSignal }
  | { readonly type: 'checkpoint'; readonly position: AllPosition }
  | { readonly type: 'failed'; readonly error: FeedError };

/** A client error as it crosses threads: its message and the fields callers test (`type`, gRPC `code`). */
export interface FeedError {
  readonly name: string;
  readonly message: string;
  readonly type?: string;
  readonly code?: number;
}

export type ToFeedThread = { readonly type: 'credit'; readonly count: number } | { readonly type: 'stop' };

const AHEAD = 8192;
/** Read events are reported back in groups of this many (fewer messages; must stay well below `AHEAD`). */
const CREDIT_EVERY = 1024;
const STOP_GRACE_MS = 5_000;
const WORKER_FILE = join(__dirname, `all-feed-worker${extname(__filename)}`);

/**
 * Subscriptions decoded on a worker thread with a client of its own: gRPC, protobuf and JSON decoding of every
 * event leave this thread, which receives each batch as one JSON text. For a long read whose handling is as
 * heavy as its decoding (a rebuild): the two then run on two cores.
 */
export function threadFeed(connectionString: string): SubscribeToAll {
  return (request, onCheckpoint) => new ThreadFeed({ connectionString, request, ahead: AHEAD }, onCheckpoint);
}

class ThreadFeed extends EventEmitter implements AllFeed {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private queue: (StoredEvent | undefined)[] = [];
  private head = 0;
  private unreported = 0;
  private wake: (() => void) | undefined;
  private ended = false;
  private stopping = false;
  private failure: Error | undefined;

  constructor(data: FeedThreadData, onCheckpoint: ((position: AllPosition) => void) | undefined) {
    super();
    this.worker = startWorker(WORKER_FILE, data);
    this.worker.on('message', (message: FromFeedThread) => this.receive(message, onCheckpoint));
    this.worker.on('error', (error) => this.end(error));
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        this.end(
          code === 0 || this.stopping ? undefined : new Error(`subscription thread exited with code ${code}`),
        );
        resolve();
      });
    });
  }

  get readableLength(): number {
    return this.queue.length - this.head;
  }

  [Symbol.asyncIterator](): AsyncIterator<StoredEvent | undefined> {
    return {
      next: () => this.next(),
      return: () => {
        this.destroy();
        return Promise.resolve({ done: true, value: undefined });
      },
    };
  }

  unsubscribe(): Promise<void> {
    this.stop();
    return this.exited;
  }

  destroy(): void {
    this.stop();
    this.queue = [];
    this.head = 0;
    this.end(undefined);
  }

  private stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.worker.postMessage({ type: 'stop' } satisfies ToFeedThread);
    const timer = setTimeout(() => void this.worker.terminate(), STOP_GRACE_MS);
    void this.exited.then(() => clearTimeout(timer));
  }

  private receive(message: FromFeedThread, onCheckpoint: ((position: AllPosition) => void) | undefined) {
    switch (message.type) {
      case 'events':
        for (const event of JSON.parse(message.json) as StoredEvent[]) this.queue.push(event);
        break;
      case 'signal':
        this.emit(message.signal);
        break;
      case 'checkpoint':
        onCheckpoint?.(message.position);
        break;
      case 'failed':
        this.end(Object.assign(new Error(message.error.message), message.error));
        break;
    }
    this.wake?.();
  }

  /** No more events will come; what is queued is still read, then the iteration ends (or fails). */
  private end(error: Error | undefined): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = error;
    this.wake?.();
  }

  private async next(): Promise<IteratorResult<StoredEvent | undefined>> {
    for (;;) {
      if (this.head < this.queue.length) return { done: false, value: this.take() };
      if (this.ended || this.stopping) {
        if (this.failure && !this.stopping) throw this.failure;
        return { done: true, value: undefined };
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  private take(): StoredEvent | undefined {
    const event = this.queue[this.head];
    this.queue[this.head++] = undefined;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head >= CREDIT_EVERY && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    if (++this.unreported >= CREDIT_EVERY) {
      this.worker.postMessage({ type: 'credit', count: this.unreported } satisfies ToFeedThread);
      this.unreported = 0;
    }
    return event;
  }
}
