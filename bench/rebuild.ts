import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonResultOf, spawnNode } from './processes';
import { startDevstack, type ProfileOption } from './stack';

const FULL_EVENTS = 1_000_000;
const QUICK_EVENTS = 100_000;
/** The whole log is held in memory by the embedded server and the writer. */
const BIG_HEAP = ['--max-old-space-size=8192'];
const HISTORY_TIMEOUT_MS = 900_000;
const REBUILD_TIMEOUT_MS = 900_000;

export interface RebuildFigures {
  readonly events: number;
  readonly eventsPerSec: number;
  readonly seconds: number;
  readonly historySeconds: number;
  readonly perModel: Record<string, { events: number; documents: number; seconds: number }>;
  readonly peakRssMiB: Record<string, number>;
}

interface WorkerResult {
  readonly seconds: number;
  readonly perModel: RebuildFigures['perModel'];
}

/**
 * Rebuilds all read models (each into a scratch collection, all at once, in a rebuild process) from a history of
 * domain events served by the embedded EventStoreDB process, into the embedded MongoDB of the same process.
 */
export async function benchRebuild(opts: { quick: boolean } & ProfileOption): Promise<RebuildFigures> {
  const events = opts.quick ? QUICK_EVENTS : FULL_EVENTS;
  const dir = await mkdtemp(join(tmpdir(), 'bench-rebuild-'));
  const historyStarted = performance.now();
  const writer = spawnNode('history-writer', {
    script: 'bench/history-writer.ts',
    args: [join(dir, 'eventstore'), String(events)],
    nodeArgs: BIG_HEAP,
  });
  const { written } = await jsonResultOf<{ written: number }>(writer, HISTORY_TIMEOUT_MS);
  const historySeconds = (performance.now() - historyStarted) / 1000;
  const devstack = await startDevstack({ dir, cpuProfDir: opts.cpuProfDir });
  try {
    const worker = spawnNode('rebuild', {
      script: 'bench/rebuild-worker.ts',
      env: { ESDB_CONNECTION_STRING: devstack.esdbUrl, MONGO_URL: devstack.mongoUrl },
      cpuProfDir: opts.cpuProfDir,
      nodeArgs: BIG_HEAP,
    });
    let workerPeak = 0;
    const sampler = setInterval(() => (workerPeak = Math.max(workerPeak, worker.peakRssMiB() ?? 0)), 500);
    const result = await jsonResultOf<WorkerResult>(worker, REBUILD_TIMEOUT_MS).finally(() =>
      clearInterval(sampler),
    );
    const peakRssMiB = {
      devstack: Math.round(devstack.proc.peakRssMiB() ?? 0),
      rebuild: Math.round(workerPeak),
    };
    return {
      events: written,
      eventsPerSec: written / result.seconds,
      seconds: result.seconds,
      historySeconds,
      perModel: result.perModel,
      peakRssMiB,
    };
  } finally {
    await devstack.close();
  }
}
