import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { connectEventStore, readStreamOrEmpty } from '../lib/eventstore';
import { startedMarkStream } from '../lib/first-deliveries';
import { prefillInput } from './input-prefill';
import { sleep } from './processes';
import { sizesFor } from './sizes';
import { readMetric, startDevstack, startProcessing, type ServiceHandle } from './stack';

const POLL_MS = 100;
/** Throughput is timed from this share of the messages on, so process start-up is not part of it. */
const WARM_SHARE = 0.1;
const START_TIMEOUT_MS = 60_000;
const INPUT_STREAM = 'bench-input';
const GROUP = 'bench-processing';

export interface ScalingFigures {
  readonly messages: number;
  readonly eventsPerSec1: number;
  readonly eventsPerSec2: number;
  readonly ratio2to1: number;
  /** The same with the devstack pinned to CPU 0 and the processors to the others (`taskset`). */
  readonly pinned?: {
    readonly eventsPerSec1: number;
    readonly eventsPerSec2: number;
    readonly ratio2to1: number;
  };
}

/** Where each process may run: the devstack on CPU 0, the processors on the rest. */
interface Pinning {
  readonly devstack: string;
  readonly processors: string;
}

const pinning = (): Pinning | undefined => {
  const cpus = availableParallelism();
  return cpus < 2 ? undefined : { devstack: '0', processors: cpus === 2 ? '1' : `1-${cpus - 1}` };
};

/** Every thread of `pid` onto `cpus` (util-linux taskset); threads started later inherit it. */
async function pin(pid: number, cpus: string): Promise<void> {
  await promisify(execFile)('taskset', ['-a', '-p', '-c', cpus, String(pid)]);
}

async function processedSoFar(processors: readonly ServiceHandle[]): Promise<number> {
  const counts = await Promise.all(
    processors.map((p) => readMetric(p, 'processing_messages_total').catch(() => 0)),
  );
  return counts.reduce((a, b) => a + b, 0);
}

/**
 * The backlog scenario: processing was deployed (a processor joined the group while the input was empty), then
 * stopped while the input filled. Waits until the processor has put the input's started mark in place.
 */
export async function deployThenStop(env: Parameters<typeof startProcessing>[1]): Promise<void> {
  const processor = await startProcessing('processing-deploy', env);
  const client = connectEventStore(env.devstack.esdbUrl);
  try {
    const deadline = performance.now() + START_TIMEOUT_MS;
    const mark = startedMarkStream(env.inputStream ?? INPUT_STREAM);
    while ((await readStreamOrEmpty(client, mark)).length === 0) {
      if (performance.now() > deadline) throw new Error(`no ${mark} after ${START_TIMEOUT_MS} ms`);
      await sleep(POLL_MS);
    }
  } finally {
    await processor.proc.stop();
    await client.dispose();
  }
}

/** Input messages per second that `processes` processor processes settle from a pre-filled input stream. */
export async function throughputWith(
  processes: number,
  messages: number,
  windowMs: number,
  pinned?: Pinning,
): Promise<number> {
  const devstack = await startDevstack();
  try {
    if (pinned) await pin(devstack.proc.pid, pinned.devstack);
    const run = `${processes}p${Date.now().toString(36)}`;
    const env = { devstack, inputStream: INPUT_STREAM, group: GROUP };
    await deployThenStop(env);
    await prefillInput(devstack.esdbUrl, INPUT_STREAM, messages, run);
    const processors = await Promise.all(
      Array.from({ length: processes }, (_, i) => startProcessing(`processing-${i + 1}`, env)),
    );
    if (pinned) await Promise.all(processors.map((p) => pin(p.proc.pid, pinned.processors)));
    const warmAt = Math.ceil(messages * WARM_SHARE);
    let deadline = performance.now() + START_TIMEOUT_MS;
    let warm: { at: number; count: number } | undefined;
    let last = { at: performance.now(), count: 0 };
    while (last.count < messages && last.at < deadline) {
      await sleep(POLL_MS);
      last = { at: performance.now(), count: await processedSoFar(processors) };
      if (!warm && last.count >= warmAt) {
        warm = last;
        deadline = warm.at + windowMs;
      }
    }
    for (const p of processors) await p.proc.stop();
    if (!warm || last.at === warm.at) return 0;
    return (last.count - warm.count) / ((last.at - warm.at) / 1000);
  } finally {
    await devstack.close();
  }
}

/**
 * One processor process, then two sharing the subscription group, each on a fresh store with the same input; then
 * both again with the devstack on a core of its own, so the processors do not compete with it for CPU.
 * The rate is timed from the warm mark to the last message or the end of the window, whichever comes first.
 */
export async function benchProcessingScaling(opts: { quick: boolean }): Promise<ScalingFigures> {
  const { processingMessages: messages, processingWindowMs: windowMs } = sizesFor(opts.quick);
  const eventsPerSec1 = await throughputWith(1, messages, windowMs);
  const eventsPerSec2 = await throughputWith(2, messages, windowMs);
  const cpus = pinning();
  const pinned1 = cpus && (await throughputWith(1, messages, windowMs, cpus));
  const pinned2 = cpus && (await throughputWith(2, messages, windowMs, cpus));
  const ratio = (one: number, two: number) => (one > 0 ? two / one : 0);
  return {
    messages,
    eventsPerSec1,
    eventsPerSec2,
    ratio2to1: ratio(eventsPerSec1, eventsPerSec2),
    ...(cpus &&
      pinned1 !== undefined &&
      pinned2 !== undefined && {
        pinned: { eventsPerSec1: pinned1, eventsPerSec2: pinned2, ratio2to1: ratio(pinned1, pinned2) },
      }),
  };
}
