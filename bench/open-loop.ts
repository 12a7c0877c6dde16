import http from 'node:http';
import { BENCH_AUTHORIZATION } from './bench-key';

export interface OpenLoopOptions {
  readonly url: string;
  readonly rate: number;
  readonly seconds: number;
  /** Keep-alive connections; a request due while all are busy waits for one (its wait counts in its latency). */
  readonly connections: number;
  /** The next request's body; called when the request is due, which is when its latency starts. */
  readonly nextBody: () => string;
}

export interface OpenLoopResult {
  readonly ok: number;
  readonly failed: number;
}

/** How often the sender wakes to send what has come due (a timer cannot fire every 2 ms exactly). */
const TICK_MS = 1;
const ANSWER_TIMEOUT_MS = 10_000;

/**
 * JSON POSTs at a steady offered rate: request n is due at n / rate seconds and is sent when due whatever the
 * answers to earlier ones. (autocannon's rate limit lets each connection send its quota for a second at the start
 * of the second, so 500/s arrived as bursts of 50 every 100 ms, and the burst's queueing was in every latency.)
 */
export async function offerAtSteadyRate(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const url = new URL(options.url);
  const total = Math.round(options.rate * options.seconds);
  let ok = 0;
  let failed = 0;
  const answers: Promise<void>[] = [];

  const send = (body: string): Promise<void> =>
    new Promise((resolve) => {
      const request = http.request(
        url,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            ...BENCH_AUTHORIZATION,
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) ok++;
            else failed++;
            resolve();
          });
        },
      );
      request.setTimeout(ANSWER_TIMEOUT_MS, () => request.destroy(new Error('no answer in time')));
      request.on('error', () => {
        failed++;
        resolve();
      });
      request.end(body);
    });

  try {
    const started = performance.now();
    let sent = 0;
    while (sent < total) {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * options.rate) + 1);
      while (sent < due) {
        answers.push(send(options.nextBody()));
        sent++;
      }
      await new Promise((resolve) => setTimeout(resolve, TICK_MS));
    }
    await Promise.all(answers);
    return { ok, failed };
  } finally {
    agent.destroy();
  }
}
