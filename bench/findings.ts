import type { Finding, ReportText } from './report';
import { FULL, QUICK, type Sizes } from './sizes';

/**
 * What limits each figure that misses its target, written from the profiles and the code (see the profile
 * section of BENCHMARKS.md); shown only for targets a run actually misses.
 */
export const FINDINGS: Readonly<Record<string, Finding>> = {
  'ingest.ratioToBare': {
    limit:
      'every accepted POST waits for a durable append: the gateway → gRPC → embedded EventStoreDB → group-committed fdatasync round trip, on the same 2 cores as autocannon and the server process.',
    nextStep:
      'profile the devstack process under the closed-loop load and cut its per-append CPU (protobuf decode/encode, record encoding); batch the gateway appends of concurrent requests into one BatchAppend.',
    profile: 'e2e',
  },
  'ingest.p99Ms': {
    limit:
      'the durable append dominates: each POST waits for the group-committed fdatasync of the embedded EventStoreDB, and on this shared disk an fdatasync takes milliseconds (see `devstack.fsyncPerSec`); bursts queue behind it.',
    nextStep:
      'measure on a quiet machine with a faster disk, and cut the CPU per append in the devstack process.',
    profile: 'e2e',
  },
  'e2e.p50Ms': {
    limit:
      'five processes (servers, gateway, two processors, synchronizers) plus the load generator share 2 cores; each order crosses three durable appends (input, domain event, request outcome) and a Mongo write before it is visible.',
    nextStep: 'see `scaling.ratio2to1`: fix the processors first, they are the slowest step.',
    profile: 'e2e',
  },
  'e2e.p99Ms': {
    limit:
      'as for p50: the pipeline cannot keep up with the offered rate, so orders queue in the input stream.',
    nextStep: 'see `scaling.ratio2to1`: fix the processors first, they are the slowest step.',
    profile: 'e2e',
  },
  'e2e.ordersPerSec': {
    limit:
      'processing throughput (`processing.eventsPerSec1`) is below the offered rate, so the input stream backs up.',
    nextStep: 'see `scaling.ratio2to1`.',
    profile: 'e2e',
  },
  'scaling.ratio2to1': {
    limit:
      '`lib/persistent-consumer.ts` calls `ensureGroup` (create, else **update** the group) every time a consumer (re)joins; updating a group drops every connected consumer, as on EventStoreDB, so each of two processes keeps kicking the other out ("persistent subscription dropped; rejoining" in their logs) and they spend their time rejoining instead of processing.',
    nextStep:
      'only create the group when missing (update it only when its settings differ), then re-measure; after that, profile one processor (its per-message load → decide → append round trips).',
  },
  'rebuild.eventsPerSec': {
    limit:
      'the rebuild process and the embedded servers share 2 cores; events come one by one over a gRPC catch-up subscription per read model (three subscriptions over the same history) and each batch becomes a Mongo bulk write.',
    nextStep: 'read `$all` once and fan out to all projections; larger projection batches.',
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
  const closingNote =
    'Next step: stop `ensureGroup` from updating the subscription group on every (re)join (see `scaling.ratio2to1`); it ' +
    'makes processors kick each other out, which caps processing and therefore the e2e figures. Then re-run ' +
    '`npm run bench` and profile the single processor.';
  return { method, closingNote };
}
