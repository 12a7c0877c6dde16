// Load time of a 10,000-event order stream with and without its snapshot (issue #19 item 7):
// `npx tsx bench/snapshot-load.ts` prints the figures. The embedded EventStoreDB runs in this process, the
// processors' load path in a process of its own (processing/host/snapshot-load-probe.ts), over a real socket.
import { startEventStore } from '../devstack/eventstore';
import { createLogger } from '../lib/logger';
import { jsonResultOf, spawnNode } from './processes';

const EVENTS = 10_000;
const PROBE_TIMEOUT_MS = 600_000;

export interface SnapshotFigures {
  readonly events: number;
  /** Events after the snapshot that a load folds on top of it. */
  readonly tailEvents: number;
  /** Median of several loads: the whole stream read and folded. */
  readonly load10kMsWithout: number;
  /** Median of several loads: the snapshot and the events after it. */
  readonly load10kMsWith: number;
  /** The first load of a processor that has not seen the stream yet (one more read, of a threshold's events). */
  readonly load10kMsWithFirst: number;
  readonly ratio: number;
  /** The order's fold of 1,000 and 2,000 distinct payments in memory, and how much longer the second takes. */
  readonly fold1kPaymentsMs: number;
  readonly fold2kPaymentsMs: number;
  readonly foldGrowth2kTo1k: number;
}

interface ProbeFigures {
  readonly events: number;
  readonly tailEvents: number;
  readonly loadMsWithout: number;
  readonly loadMsWith: number;
  readonly loadMsWithFirst: number;
  readonly ratio: number;
  readonly foldMsFewerPayments: number;
  readonly foldMsMorePayments: number;
  readonly foldGrowth: number;
}

export async function benchSnapshotLoad(): Promise<SnapshotFigures> {
  const server = await startEventStore({
    port: 0,
    logger: createLogger('eventstore', { level: 'silent' }),
  });
  try {
    const probe = spawnNode('snapshot-probe', {
      script: 'processing/host/snapshot-load-probe.ts',
      args: [server.connectionString, String(EVENTS)],
    });
    const figures = await jsonResultOf<ProbeFigures>(probe, PROBE_TIMEOUT_MS);
    return {
      events: figures.events,
      tailEvents: figures.tailEvents,
      load10kMsWithout: figures.loadMsWithout,
      load10kMsWith: figures.loadMsWith,
      load10kMsWithFirst: figures.loadMsWithFirst,
      ratio: figures.ratio,
      fold1kPaymentsMs: figures.foldMsFewerPayments,
      fold2kPaymentsMs: figures.foldMsMorePayments,
      foldGrowth2kTo1k: figures.foldGrowth,
    };
  } finally {
    await server.close();
  }
}

if (require.main === module) {
  benchSnapshotLoad()
    .then((figures) => process.stdout.write(`${JSON.stringify({ snapshot: figures })}\n`))
    .catch((error: unknown) => {
      process.stderr.write(
        `snapshot bench failed: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exitCode = 1;
    });
}
