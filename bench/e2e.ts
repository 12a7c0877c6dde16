import { MongoClient } from 'mongodb';
import { indexPositions, offerOrders, type WindowFigures } from './e2e-window';
import { sleep, type BenchProcess } from './processes';
import { sizesFor } from './sizes';
import {
  startDevstack,
  startProcessing,
  startShopApi,
  startSynchronizers,
  type ProfileOption,
} from './stack';

export const E2E_RATE = 500;
/**
 * `npm start` runs two, but on 2 cores a second processor process adds CPU per order (each pays its own client
 * machinery) and no throughput (see `scaling.ratio2to1`), so the e2e run uses one.
 */
export const E2E_PROCESSORS = 1;
/** The offered rates tried, lowest first, for the highest one the pipeline keeps up with. */
export const KEEP_UP_RATES = [100, 200, 300, 500] as const;
/** Kept up: every order visible within the drain, and the p99 bounded (a growing backlog shows in the p99). */
const KEEP_UP_P99_MS = 1_000;
const STEP_DRAIN_MS = 3_000;
/**
 * The warm-up runs at the measured rate: services warmed at only 100/s built a backlog in their first seconds at
 * 500/s (latency up to 0.7 s, gone after ~4 s), which a window measuring the steady state must not count. Its
 * figures are kept as `e2e.coldStart`.
 */
const WARM_UP_RATE = E2E_RATE;
const WARM_UP_SECONDS = 5;
const IDLE_TIMEOUT_MS = 60_000;
const IDLE_POLL_MS = 250;

export interface E2eFigures extends WindowFigures {
  readonly processors: number;
  /** Peak resident set size per process during the run, MiB. */
  readonly peakRssMiB: Record<string, number>;
  /** CPU (user + system, from /proc) each process spent in the main window, per order made visible. */
  readonly cpuMsPerOrder: Record<string, number>;
  /** The highest rate of KEEP_UP_RATES kept up with (0 when not even the lowest); absent when not measured. */
  readonly maxKeepingUpPerSec?: number;
  readonly keepUpSteps: readonly WindowFigures[];
  /** The warm-up window: the same rate offered to services just started. */
  readonly coldStart: WindowFigures;
}

function peakRss(processes: readonly BenchProcess[]): Record<string, number> {
  const peaks: Record<string, number> = {};
  for (const proc of processes) peaks[proc.name] = Math.round(proc.peakRssMiB() ?? 0);
  peaks['bench (autocannon + watcher)'] = Math.round(process.resourceUsage().maxRSS / 1024);
  return peaks;
}

const cpuOf = (processes: readonly BenchProcess[]) => processes.map((proc) => proc.cpuMs() ?? Number.NaN);

function cpuPerOrder(
  processes: readonly BenchProcess[],
  before: readonly number[],
  after: readonly number[],
  orders: number,
): Record<string, number> {
  const perOrder: Record<string, number> = {};
  let total = 0;
  processes.forEach((proc, i) => {
    const spent = (after[i] ?? Number.NaN) - (before[i] ?? Number.NaN);
    perOrder[proc.name] = spent / orders;
    total += spent;
  });
  perOrder.pipeline = total / orders;
  return perOrder;
}

/** Waits until `orders` holds `count` documents: the backlog of an earlier window is gone. */
async function waitUntilIdle(mongoUrl: string, count: number): Promise<boolean> {
  const client = new MongoClient(mongoUrl);
  try {
    const deadline = performance.now() + IDLE_TIMEOUT_MS;
    while (performance.now() < deadline) {
      if ((await client.db().collection('orders').countDocuments()) >= count) return true;
      await sleep(IDLE_POLL_MS);
    }
    return false;
  } finally {
    await client.close();
  }
}

const keptUp = (w: WindowFigures) => w.notVisible === 0 && w.p99Ms < KEEP_UP_P99_MS;

/**
 * The whole pipeline, each service its own process: one window at E2E_RATE (latencies, CPU per order), then short
 * windows at rising rates until one is not kept up with.
 */
export async function benchE2e(
  opts: { quick: boolean; seconds?: number; keepUpLadder?: boolean } & ProfileOption,
): Promise<E2eFigures> {
  const sizes = sizesFor(opts.quick);
  const seconds = opts.seconds ?? sizes.e2eSeconds;
  const run = Date.now().toString(36);
  const devstack = await startDevstack(opts);
  try {
    const env = { devstack, cpuProfDir: opts.cpuProfDir };
    const api = await startShopApi(env);
    const [synchronizers, ...processors] = await Promise.all([
      startSynchronizers(env),
      ...Array.from({ length: E2E_PROCESSORS }, (_, i) => startProcessing(`processing-${i + 1}`, env)),
    ]);
    await indexPositions(devstack.mongoUrl);
    const measured = [devstack.proc, ...[api, ...processors, synchronizers].map((s) => s.proc)];
    const window = { apiUrl: api.url, mongoUrl: devstack.mongoUrl };
    // A warm-up first, so start-up and JIT compilation are counted neither in the latencies nor the CPU per order.
    const warm = await offerOrders({
      ...window,
      rate: WARM_UP_RATE,
      seconds: WARM_UP_SECONDS,
      drainMs: STEP_DRAIN_MS,
      idPrefix: `o-warm-${run}`,
    });
    await waitUntilIdle(devstack.mongoUrl, warm.sent);
    const cpuBefore = cpuOf(measured);
    const main = await offerOrders({
      ...window,
      rate: E2E_RATE,
      seconds,
      drainMs: sizes.e2eDrainMs,
      idPrefix: `o-e2e-${run}`,
    });
    // CPU until the backlog is worked off, divided by the orders it made visible: what an order costs.
    const drained = await waitUntilIdle(devstack.mongoUrl, warm.sent + main.sent);
    const cpuMsPerOrder = cpuPerOrder(
      measured,
      cpuBefore,
      cpuOf(measured),
      drained ? main.sent : main.visible,
    );
    const steps: WindowFigures[] = [];
    let maxKeepingUpPerSec: number | undefined;
    if ((opts.keepUpLadder ?? true) && drained) {
      maxKeepingUpPerSec = 0;
      let sent = warm.sent + main.sent;
      for (const rate of KEEP_UP_RATES) {
        const step = await offerOrders({
          ...window,
          rate,
          seconds: sizes.keepUpStepSeconds,
          drainMs: STEP_DRAIN_MS,
          idPrefix: `o-step-${run}-${rate}`,
        });
        steps.push(step);
        sent += step.sent;
        if (!keptUp(step)) break;
        maxKeepingUpPerSec = rate;
        if (!(await waitUntilIdle(devstack.mongoUrl, sent))) break;
      }
    }
    return {
      ...main,
      processors: E2E_PROCESSORS,
      peakRssMiB: peakRss(measured),
      cpuMsPerOrder,
      maxKeepingUpPerSec,
      keepUpSteps: steps,
      coldStart: warm,
    };
  } finally {
    await devstack.close();
  }
}
