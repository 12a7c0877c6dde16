import autocannon from 'autocannon';
import { percentile } from './stats';
import { BENCH_AUTHORIZATION } from './bench-key';

export interface LoadOptions {
  readonly url: string;
  readonly body: unknown;
  readonly connections: number;
  readonly seconds: number;
  /** Requests per second over all connections (open loop); undefined = as fast as answers come back. */
  readonly overallRate?: number;
  /** Builds each request's body; called just before the request is written. */
  readonly nextBody?: () => string;
}

export interface LoadResult {
  readonly reqPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly ok: number;
  readonly failed: number;
  readonly seconds: number;
}

const TIMEOUT_SECONDS = 10;
/**
 * autocannon's rate limiter lets each connection send its whole per-second quota at the start of every second,
 * so one rate-limited instance offers its load as one burst per second. Several instances started evenly
 * spaced within a second turn that into a burst every 1/OPEN_LOOP_SLICES s, much closer to a steady rate.
 */
export const OPEN_LOOP_SLICES = 10;
const SUCCESS_MIN = 200;
const SUCCESS_MAX = 299;

interface Tally {
  ok: number;
  failed: number;
  readonly latencies: number[];
}

function request(options: LoadOptions): autocannon.Request {
  const base: autocannon.Request = {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...BENCH_AUTHORIZATION },
    body: JSON.stringify(options.body),
  };
  const { nextBody } = options;
  // autocannon calls a `setupRequest` key even when it is undefined, so only set it when there is one.
  return nextBody ? { ...base, setupRequest: (req) => ({ ...req, body: nextBody() }) } : base;
}

function runOne(options: LoadOptions, connections: number, rate: number | undefined, tally: Tally) {
  return new Promise<void>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections,
        duration: options.seconds,
        overallRate: rate,
        timeout: TIMEOUT_SECONDS,
        requests: [request(options)],
      },
      (error, result) => {
        if (error) reject(error instanceof Error ? error : new Error(String(error)));
        else {
          tally.failed += result.errors;
          resolve();
        }
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= SUCCESS_MIN && statusCode <= SUCCESS_MAX) {
        tally.ok++;
        tally.latencies.push(responseTime);
      } else tally.failed++;
    });
  });
}

/** autocannon JSON POSTs; closed loop, or open loop at `overallRate` spread over staggered instances. */
export async function postLoad(options: LoadOptions): Promise<LoadResult> {
  const tally: Tally = { ok: 0, failed: 0, latencies: [] };
  const started = performance.now();
  if (options.overallRate === undefined) {
    await runOne(options, options.connections, undefined, tally);
  } else {
    const slices = OPEN_LOOP_SLICES;
    const rate = options.overallRate / slices;
    const connections = Math.max(1, Math.ceil(options.connections / slices));
    await Promise.all(
      Array.from({ length: slices }, async (_, i) => {
        await new Promise((resolve) => setTimeout(resolve, (i * 1000) / slices));
        await runOne(options, connections, rate, tally);
      }),
    );
  }
  const seconds = (performance.now() - started) / 1000;
  const sorted = tally.latencies.sort((a, b) => a - b);
  return {
    reqPerSec: tally.ok / seconds,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    ok: tally.ok,
    failed: tally.failed,
    seconds,
  };
}
