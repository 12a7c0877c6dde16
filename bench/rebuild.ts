import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonResultOf, lastJsonLine, sleep, spawnNode } from './processes';
import type { RebuildProgress } from './rebuild-worker';
import { sizesFor } from './sizes';
import { startDevstack, type ProfileOption } from './stack';

/** The whole log is held in memory by the embedded server and the writer. */
const BIG_HEAP = ['--max-old-space-size=8192'];
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
  readonly peakRssMiB: Record<string, number>;
}

interface WorkerResult {
  readonly seconds: number;
  readonly perModel: RebuildFigures['perModel'];
}

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
  try {
    const reader = spawnNode('read-all', {
      script: 'bench/read-all-worker.ts',
      env: { ESDB_CONNECTION_STRING: devstack.esdbUrl, LIMIT_MS: String(Math.min(limitMs, READ_LIMIT_MS)) },
    });
    const { eventsPerSec: readEventsPerSec } = await jsonResultOf<{ eventsPerSec: number }>(
      reader,
      limitMs + HISTORY_TIMEOUT_MS,
    );
    const worker = spawnNode('rebuild', {
      script: 'bench/rebuild-worker.ts',
      env: { ESDB_CONNECTION_STRING: devstack.esdbUrl, MONGO_URL: devstack.mongoUrl },
      cpuProfDir: opts.cpuProfDir,
      nodeArgs: BIG_HEAP,
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
    if (!worker.hasExited()) {
      const last = lastJsonLine<{ progress: RebuildProgress }>(worker, (l) => l.startsWith('{"progress"'));
      await worker.stop();
      const progress = last?.progress ?? { seconds: limitMs / 1000, done: 0 };
      return {
        events: written,
        eventsDone: Math.round(written * progress.done),
        eventsPerSec: (written * progress.done) / progress.seconds,
        seconds: progress.seconds,
        completed: false,
        historySeconds,
        perModel: {},
        peakRssMiB,
        readEventsPerSec,
      };
    }
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
    };
  } finally {
    await devstack.close();
  }
}
