import { MongoClient } from 'mongodb';
import { offerAtSteadyRate } from './open-loop';
import { INGEST_PATH, orderPayload } from './payloads';
import { sleep } from './processes';
import { percentile } from './stats';

/** Enough that the offered rate holds while answers slow down (never more in flight). */
const E2E_CONNECTIONS = 200;
const POLL_INTERVAL_MS = 10;

/** What one window of offered load made visible, and how fast. */
export interface WindowFigures {
  readonly offeredRate: number;
  readonly sent: number;
  readonly visible: number;
  /** Orders not visible by the end of the drain window; they count in the percentiles with the time waited. */
  readonly notVisible: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly ordersPerSec: number;
}

/** Remembers when each order was posted and when it first showed up in the `orders` read model. */
class Visibility {
  readonly sentAt = new Map<string, number>();
  readonly latencies: number[] = [];
  private readonly pending = new Set<string>();
  firstSent = Number.POSITIVE_INFINITY;
  lastSeen = 0;

  sent(id: string, at: number): void {
    this.sentAt.set(id, at);
    this.pending.add(id);
    this.firstSent = Math.min(this.firstSent, at);
  }

  seen(id: string, at: number): void {
    const sent = this.sentAt.get(id);
    if (sent === undefined || !this.pending.delete(id)) return;
    this.latencies.push(at - sent);
    this.lastSeen = at;
  }

  /** Orders still not visible count with the time waited so far: percentiles become lower bounds, not guesses. */
  waitedSoFar(at: number): number[] {
    return [...this.pending].map((id) => at - (this.sentAt.get(id) ?? at));
  }

  get outstanding(): number {
    return this.pending.size;
  }
}

/**
 * Watches the read model for new documents: every projected write stamps the document with its `$all` position
 * (`_position`), so one indexed range query per interval returns exactly the orders written since the last poll.
 * (A `$in` over thousands of pending ids costs the embedded MongoDB a scan per poll and slowed the pipeline.)
 */
async function watchOrders(mongoUrl: string, visibility: Visibility, until: () => boolean): Promise<void> {
  const client = new MongoClient(mongoUrl);
  try {
    const orders = client.db().collection<{ _id: string; _position: number }>('orders');
    let after = -1;
    while (!until()) {
      const found = await orders
        .find({ _position: { $gt: after } }, { projection: { _id: 1, _position: 1 } })
        .toArray();
      const now = performance.now();
      for (const doc of found) {
        visibility.seen(doc._id, now);
        after = Math.max(after, doc._position);
      }
      await sleep(POLL_INTERVAL_MS);
    }
  } finally {
    await client.close();
  }
}

/** The bench's own index, so watching costs a range scan; created before any order is posted. */
export async function indexPositions(mongoUrl: string): Promise<void> {
  const client = new MongoClient(mongoUrl);
  try {
    await client.db().collection('orders').createIndex({ _position: 1 }, { name: 'bench_position' });
  } finally {
    await client.close();
  }
}

export interface WindowOptions {
  readonly apiUrl: string;
  readonly mongoUrl: string;
  readonly rate: number;
  readonly seconds: number;
  /** How long to wait after the load for the last orders to show up. */
  readonly drainMs: number;
  /** Distinct per window, so each window's orders are new. */
  readonly idPrefix: string;
}

/**
 * Orders posted at a fixed offered rate through the whole pipeline; the latency of an order is from its POST
 * being sent to its document appearing in `orders`.
 */
export async function offerOrders(options: WindowOptions): Promise<WindowFigures> {
  const visibility = new Visibility();
  let sequence = 0;
  let loadDone = false;
  let drainDeadline = Number.POSITIVE_INFINITY;
  const watching = watchOrders(
    options.mongoUrl,
    visibility,
    () => loadDone && (visibility.outstanding === 0 || performance.now() > drainDeadline),
  );
  await offerAtSteadyRate({
    url: `${options.apiUrl}${INGEST_PATH}`,
    connections: E2E_CONNECTIONS,
    seconds: options.seconds,
    rate: options.rate,
    nextBody: () => {
      const id = `${options.idPrefix}-${++sequence}`;
      visibility.sent(id, performance.now());
      return JSON.stringify(orderPayload(id));
    },
  });
  drainDeadline = performance.now() + options.drainMs;
  loadDone = true;
  await watching;
  const ended = performance.now();
  const visible = visibility.latencies.length;
  const notVisible = visibility.outstanding;
  const sorted = [...visibility.latencies, ...visibility.waitedSoFar(ended)].sort((a, b) => a - b);
  const until = notVisible === 0 ? visibility.lastSeen : ended;
  return {
    offeredRate: options.rate,
    sent: visibility.sentAt.size,
    visible,
    notVisible,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
    ordersPerSec: visible / ((until - visibility.firstSent) / 1000),
  };
}
