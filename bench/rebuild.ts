import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonResultOf, lastJsonLine, sleep, spawnNode } from './processes';
import type { RebuildProgress } from './rebuild-worker';
import { sizesFor } from './sizes';
import { startDevstack, type ProfileOption } from './stack';

/** The whole log is held in memory by the history writer. */
const BIG_HEAP = ['--max-old-space-size=8192'];
/** The rebuild runs with the flags `npm run admin` gives node (see package.json). */
const REBUILD_NODE_ARGS = [...BIG_HEAP, '--max-semi-space-size=32'];
const HISTORY_TIMEOUT_MS = 900_000;
const POLL_MS = 250;
/** The baseline read's rate settles within seconds; reading all of a long history would only add minutes. */
const READ_LIMIT_MS = 60_000;

export interface RebuildFigures {
  readonly events: number;
  /** Events rebuilt before the time limit (all of them when `completed`). */
  readonly eventsDone: number;
  readonly eventsPerSec: number;
  readonly seconds: number;
  /** False when the time limit stopped it: the rate is then from the share of the log it had passed. */
  readonly completed: boolean;
  readonly historySeconds: number;
  readonly perModel: Record<string, { events: number; documents: number; seconds: number }>;
  /** The baseline: the same history read from `$all` by a process of its own, same devstack process. */
  readonly readEventsPerSec: number;
  /** µs of CPU per event of the baseline read: the reading process (all threads) and the devstack serving it. */
  readonly readCpuUsPerEvent: { readonly reader: number; readonly devstack: number };
  /** µs of CPU per event rebuilt: the rebuild process (all threads) and the devstack serving reads and writes. */
  readonly cpuUsPerEvent: { readonly rebuild: number; readonly devstack: number };
  readonly peakRssMiB: Record<string, number>;
}

interface WorkerResult {
  readonly seconds: number;
  readonly perModel: RebuildFigures['perModel'];
  readonly cpuMs: number;
}

const usPerEvent = (cpuMs: number, events: number) => (events > 0 ? (cpuMs * 1000) / events : 0);

/**
 * Reads the history once as the baseline, then rebuilds all read models (each into a scratch collection, all at
 * once, in a rebuild process) from that history served by the embedded EventStoreDB process, into the embedded
 * MongoDB of the same process.
 */
export async function benchRebuild(
  opts: { quick: boolean; events?: number } & ProfileOption,
): Promise<RebuildFigures> {
  const sizes = sizesFor(opts.quick);
  const events = opts.events ?? sizes.rebuildEvents;
  // Past the limit the rebuild is stopped and rated by how far it got, so the bench ends in bounded time.
  const limitMs = sizes.rebuildLimitMs;
  const dir = await mkdtemp(join(tmpdir(), 'bench-rebuild-'));
  const historyStarted = performance.now();
  const writer = spawnNode('history-writer', {
    script: 'bench/history-writer.ts',
    args: [join(dir, 'eventstore'), String(events)],
    nodeArgs: BIG_HEAP,
  });
  const { written } = await jsonResultOf<{ written: number }>(writer, HISTORY_TIMEOUT_MS).catch(
    async (error: unknown) => {
      await rm(dir, { recursive: true, force: true });
      throw error;
    },
  );
  const historySeconds = (performance.now() - historyStarted) / 1000;
  const devstack = await startDevstack({ dir, cpuProfDir: opts.cpuProfDir });
  const devstackCpuMs = () => devstack.proc.cpuMs() ?? 0;
  try {
    const readCpuBefore = devstackCpuMs();
    const reader = spawnNode('read-all', {
      script: 'bench/read-all-worker.ts',
      env: { ESDB_CONNECTION_STRING: devstack.esdbUrl, LIMIT_MS: String(Math.min(limitMs, READ_LIMIT_MS)) },
    });
    const read = await jsonResultOf<{ events: number; eventsPerSec: number; cpuMs: number }>(
      reader,
      limitMs + HISTORY_TIMEOUT_MS,
    );
    const readEventsPerSec = read.eventsPerSec;
    const readCpuUsPerEvent = {
      reader: usPerEvent(read.cpuMs, read.events),
      devstack: usPerEvent(devstackCpuMs() - readCpuBefore, read.events),
    };
    const rebuildCpuBefore = devstackCpuMs();
    const worker = spawnNode('rebuild', {
      script: 'bench/rebuild-worker.ts',
      env: { ESDB_CONNECTION_STRING: devstack.esdbUrl, MONGO_URL: devstack.mongoUrl },
      cpuProfDir: opts.cpuProfDir,
      nodeArgs: REBUILD_NODE_ARGS,
    });
    let workerPeak = 0;
    const deadline = performance.now() + limitMs;
    while (!worker.hasExited() && performance.now() < deadline) {
      workerPeak = Math.max(workerPeak, worker.peakRssMiB() ?? 0);
      await sleep(POLL_MS);
    }
    const peakRssMiB = {
      devstack: Math.round(devstack.proc.peakRssMiB() ?? 0),
      rebuild: Math.round(workerPeak),
    };
    const devstackRebuildMs = () => devstackCpuMs() - rebuildCpuBefore;
    if (!worker.hasExited()) {
      const last = lastJsonLine<{ progress: RebuildProgress }>(worker, (l) => l.startsWith('{"progress"'));
      const devstackMs = devstackRebuildMs();
      await worker.stop();
      const progress = last?.progress ?? { seconds: limitMs / 1000, done: 0, cpuMs: 0 };
      const eventsDone = Math.round(written * progress.done);
      return {
        events: written,
        eventsDone,
        eventsPerSec: (written * progress.done) / progress.seconds,
        seconds: progress.seconds,
        completed: false,
        historySeconds,
        perModel: {},
        peakRssMiB,
        readEventsPerSec,
        readCpuUsPerEvent,
        cpuUsPerEvent: {
          rebuild: usPerEvent(progress.cpuMs, eventsDone),
          devstack: usPerEvent(devstackMs, eventsDone),
        },
      };
    }
    const devstackMs = devstackRebuildMs();
    const result = await jsonResultOf<WorkerResult>(worker, 0);
    return {
      events: written,
      eventsDone: written,
      eventsPerSec: written / result.seconds,
      seconds: result.seconds,
      completed: true,
      historySeconds,
      perModel: result.perModel,
      peakRssMiB,
      readEventsPerSec,
      readCpuUsPerEvent,
      cpuUsPerEvent: {
        rebuild: usPerEvent(result.cpuMs, written),
        devstack: usPerEvent(devstackMs, written),
      },
    };
  } finally {
    await devstack.close();
  }
}
