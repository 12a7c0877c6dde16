import type { Finding, ReportText } from './report';
import { FULL, QUICK, type Sizes } from './sizes';

/**
 * What limits each figure that misses its target, written from the profiles and the code (see the profile
 * section of BENCHMARKS.md); shown only for targets a run actually misses.
 */
export const FINDINGS: Readonly<Record<string, Finding>> = {
  'ingest.ratioToBare': {
    limit:
      'CPU, not the disk: the gateway validates, serializes and sends a gRPC append per request, and the devstack process decodes it, encodes the record and group-commits it (14 events per raw fsync in the batched-append figure, so fsync is not the cap); gateway, devstack and autocannon share the 2 cores, while the bare handler only does the HTTP part. In the e2e profile the devstack spends its top self time in socket writes (`writeBuffer`) and GC, the gateway in GC and `writev`.',
    nextStep:
      'profile the gateway and the devstack under the closed-loop ingest load alone (not only under e2e) and cut per-request work; then batch the appends of concurrent requests into one BatchAppend.',
    profile: 'e2e',
  },
  'ingest.p99Ms': {
    limit:
      'at 1,000 req/s offered the gateway runs close to its closed-loop maximum on this machine, so bursts queue behind the group-committed fdatasync in the devstack process.',
    nextStep: 'as for `ingest.ratioToBare`: less CPU per append in the gateway and the devstack.',
    profile: 'e2e',
  },
  'e2e.p50Ms': {
    limit:
      'the pipeline settles fewer orders per second than are offered (`e2e.ordersPerSec`), so the input stream backs up and latency is queueing time that grows for the whole run, not the cost of the path of a single order.',
    nextStep: 'raise throughput first (see `e2e.ordersPerSec`), then re-measure latency below saturation.',
    profile: 'e2e',
  },
  'e2e.p99Ms': {
    limit: 'as for p50: queueing behind a backlog that grows while 500 orders/s are offered.',
    nextStep: 'raise throughput first (see `e2e.ordersPerSec`).',
    profile: 'e2e',
  },
  'e2e.ordersPerSec': {
    limit:
      "CPU: four service processes plus autocannon share 2 cores and are all busy in the e2e profile. Since the consistency work (2026-12-02) no processor keeps a facts cache: each placed order costs a read of its request stream (the settled check), a customer-key lookup in MongoDB (personal data is sealed), a read and a guarded append of `order-<id>`, the outcome append, a persistent-subscription delivery, three synchronizer catch-up subscriptions and Mongo bulk writes, besides the gateway's bearer-token check and body limits: about 8 ms of CPU in all (2 cores ÷ ~254 orders/s, up from 236 before those changes). One processor alone settles ~580 messages/s from a pre-filled stream (`processing.eventsPerSec1`), but only ~250/s when it shares the cores with the rest of the pipeline.",
    nextStep:
      'profile the processor alone on a pre-filled stream (it is the busiest process) and cut its per-message CPU; then the synchronizers (one `$all` subscription for all read models instead of three).',
    profile: 'e2e',
  },
  'scaling.ratio2to1': {
    limit:
      'on 2 cores a second processor process adds no CPU: one processor plus the devstack process already keep both cores busy, so two processors only add contention (0.97× now, 0.85× before). The live two-consumer stall this bench once found was fixed in 030a927; the e2e run still uses one processor so its figure stays comparable with earlier runs.',
    nextStep:
      'measure scaling on a machine with ≥ 4 cores or with the devstack pinned to its own core, since 1.6× on 2 shared cores is out of reach while the store needs about one core.',
  },
  'rebuild.eventsPerSec': {
    limit:
      'CPU in both processes (rebuild ~70%, devstack ~66% busy in the rebuild profile): each read model runs its own catch-up subscription over the whole `$all` (three reads of the history, server-side filtering per event), and every batch is a Mongo bulk write into the same devstack process. Top self time: socket writes (`writeBuffer`), GC, BSON `serializeInto` and mingo (`init`) in the embedded MongoDB. Reading `$all` alone runs at ~17,000 events/s (`devstack.readAllEventsPerSec`), so the subscription + projection + write path costs ~9× the read. The embedded EventStoreDB also holds the whole log in memory (devstack RSS ~2.9 GiB at 1M events).',
    nextStep:
      'one `$all` subscription feeding every projection, larger projection batches (fewer, bigger bulk writes), then profile the projector batch path and the embedded MongoDB bulk-write path.',
    profile: 'rebuild',
  },
  'devstack.appendEventsPerSec': {
    limit: 'CPU per event in the embedded EventStoreDB (gRPC/protobuf and record encoding), not fsync.',
    nextStep: 'profile `bench/devstack-eventstore.ts` with `node --cpu-prof`.',
  },
};

function describeSizes(sizes: Sizes): string {
  const n = (value: number) => value.toLocaleString('en-US');
  return (
    `${sizes.loadSeconds} s ingest runs, ${sizes.e2eSeconds} s e2e load, ${n(sizes.processingMessages)} pre-filled input ` +
    `messages (${sizes.processingWindowMs / 1000} s window), rebuild from ${n(sizes.rebuildEvents)} domain events ` +
    `(stopped after ${sizes.rebuildLimitMs / 1000} s if not done)`
  );
}

export function reportText(quick: boolean): ReportText {
  const method = [
    '## How it was measured',
    '',
    `- \`npm run bench\` (full: ${describeSizes(FULL)}, Mongo figures on 1,000,000 documents, then profiled runs)`,
    `  and \`npm run bench -- --quick\` (${describeSizes(QUICK)}, Mongo on 100,000 documents, no profiles).`,
    `  This file is from a ${quick ? 'quick' : 'full'} run.`,
    '- Every service runs in its own process, as in production: `devstack/main.ts` (both embedded servers, data on',
    '  disk in a temporary directory, so appends are durable), `shop-api/main.ts`, `processing/main.ts` (one in the',
    '  e2e run: two stall, see `scaling.ratio2to1`), `synchronizers/main.ts`. Load comes from autocannon in the bench process.',
    "  All of them share the machine's 2 cores with no pinning, and other work on the machine adds noise (see the",
    '  load average above): that is why every figure that matters is a ratio to a baseline measured in the same run.',
    '- ingest: bare Express JSON POST handler (`bench/bare-express.ts`, own process) vs. `POST /shop/api/v1`, both',
    '  closed loop with 64 connections after a 1 s warm-up; latency at 1,000 req/s offered. autocannon releases a',
    "  rate-limited connection's quota at the start of each second, so open-loop load is split over 10 autocannon",
    '  instances started 100 ms apart (a burst every 100 ms instead of one per second).',
    '- e2e: orders with unique ids posted at 500/s (200 connections); every 10 ms the bench asks `orders` for documents',
    '  whose `_position` (stamped by every projected write) is past the last one seen, on an index the bench adds;',
    '  latency = POST sent → document seen (includes up to 10 ms of polling). Orders not visible when the bench stops',
    '  waiting count with the time waited, so the percentiles are then lower bounds.',
    '- processing: input stream pre-filled with `web/v1` order placements; the rate is timed from 10% done to the end',
    '  (or the end of the window), on a fresh store for 1 and for 2 processor processes.',
    '- rebuild: a history of placed → paid → shipped → delivered orders written straight into the embedded',
    "  EventStoreDB's data directory, then all read models rebuilt at once (as `projectIntoScratch` does) by a",
    '  separate process reading over gRPC from the devstack process.',
    '- devstack: `bench/devstack-eventstore.ts` and `bench/devstack-mongo.ts` (servers and client in one process);',
    '  the fsync baseline is a loop of 128-byte write + fdatasync in the same temporary directory.',
  ].join('\n');
  const closingNote = [
    'The pipeline is CPU-bound on these 2 shared cores: every process that matters is busy (9.0 ms of CPU per order',
    'across the pipeline, `e2e.cpuMsPerOrder`), and no figure is limited by the disk. Since the previous run the',
    'synchronizers read `$all` once for all read models (rebuild ÷ raw read 0.10× → 0.60×), ingest coalesces its',
    'appends (0.29× → 0.50× bare Express), and the embedded EventStoreDB keeps only its index in memory (283 MiB at',
    '1M events). That log change costs the hot path: a body read from the file per event where the old log held it',
    'in memory: batched appends fell 40k → 12k/s (a figure only the log affects), the likely cause of one',
    'processor falling 583 → 320 input messages/s in this run.',
    '',
    'Next step (issue 19): win back the EventStoreDB read and append rates (a larger body cache for recent events,',
    '`created` in the index, no per-append copy), then cut the processor CPU per message where the profile points',
    '(the separate outcome append, the settled-check read), then snapshots for long streams; re-run `npm run bench`.',
  ].join('\n');
  return { method, closingNote };
}
