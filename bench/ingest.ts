import { postLoad, type LoadResult } from './load';
import { INGEST_PATH, orderPayload } from './payloads';
import { freePort, spawnNode } from './processes';
import { sizesFor } from './sizes';
import { startDevstack, startShopApi } from './stack';

export const INGEST_CONNECTIONS = 64;
export const OPEN_LOOP_RATE = 1_000;
const WARMUP_SECONDS = 1;

export interface IngestFigures {
  /** Closed loop, 64 connections. */
  readonly reqPerSec: number;
  /** Open loop at `openLoopRate`. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly bareExpressReqPerSec: number;
  readonly bareExpressP99Ms: number;
  readonly closedLoopP50Ms: number;
  readonly closedLoopP99Ms: number;
  readonly openLoopRate: number;
  readonly openLoopReqPerSec: number;
  readonly failedRequests: number;
}

async function closedLoop(url: string, seconds: number): Promise<LoadResult> {
  const body = orderPayload('o-ingest');
  await postLoad({ url, body, connections: INGEST_CONNECTIONS, seconds: WARMUP_SECONDS });
  return postLoad({ url, body, connections: INGEST_CONNECTIONS, seconds });
}

async function startBareExpress() {
  const port = await freePort();
  const proc = spawnNode('bare-express', { script: 'bench/bare-express.ts', env: { PORT: String(port) } });
  await proc.waitUntilReady({ url: `http://127.0.0.1:${port}/health` });
  return { proc, url: `http://127.0.0.1:${port}${INGEST_PATH}` };
}

async function startPipelineIngest() {
  const devstack = await startDevstack();
  try {
    return { devstack, api: await startShopApi({ devstack }) };
  } catch (error) {
    await devstack.close();
    throw error;
  }
}

/**
 * POST /shop/api/v1 against the gateway process appending durably to the embedded EventStoreDB process, next to
 * the same load against a bare Express handler. autocannon runs in the bench process. The processes start
 * together (start-up is slow under tsx) but are measured one after the other; idle ones take no CPU.
 */
export async function benchIngest(opts: { quick: boolean }): Promise<IngestFigures> {
  const seconds = sizesFor(opts.quick).loadSeconds;
  const [bareStarted, pipeline] = await Promise.allSettled([startBareExpress(), startPipelineIngest()]);
  try {
    if (bareStarted.status === 'rejected') throw bareStarted.reason;
    if (pipeline.status === 'rejected') throw pipeline.reason;
    const bare = await closedLoop(bareStarted.value.url, seconds);
    await bareStarted.value.proc.stop();
    const url = `${pipeline.value.api.url}${INGEST_PATH}`;
    const closed = await closedLoop(url, seconds);
    const open = await postLoad({
      url,
      body: orderPayload('o-ingest-open'),
      connections: INGEST_CONNECTIONS,
      seconds,
      overallRate: OPEN_LOOP_RATE,
    });
    return {
      reqPerSec: closed.reqPerSec,
      p50Ms: open.p50Ms,
      p99Ms: open.p99Ms,
      bareExpressReqPerSec: bare.reqPerSec,
      bareExpressP99Ms: bare.p99Ms,
      closedLoopP50Ms: closed.p50Ms,
      closedLoopP99Ms: closed.p99Ms,
      openLoopRate: OPEN_LOOP_RATE,
      openLoopReqPerSec: open.reqPerSec,
      failedRequests: bare.failed + closed.failed + open.failed,
    };
  } finally {
    if (bareStarted.status === 'fulfilled') await bareStarted.value.proc.stop();
    if (pipeline.status === 'fulfilled') {
      await pipeline.value.api.proc.stop();
      await pipeline.value.devstack.close();
    }
  }
}
