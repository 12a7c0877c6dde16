// `npm run bench [-- --quick]`: every measurement in turn, then BENCHMARKS.md and bench/results/latest.json.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { benchE2e } from './e2e';
import { FINDINGS, reportText } from './findings';
import { benchIngest } from './ingest';
import { describeMachine } from './machine';
import { benchEmmettPeer } from './emmett-peer';
import { benchProcessingScaling } from './processing-scaling';
import { jsonResultOf, ROOT, spawnNode, stopAll } from './processes';
import { profileBottlenecks } from './profile';
import { benchRebuild } from './rebuild';
import { readResults, writeReport, type BenchResults } from './report';
import { buildServices, SERVICE_MODE } from './service-build';
import { benchSnapshotLoad } from './snapshot-load';

/** The 1M-event memory run adds minutes on a shared machine. */
const DEVSTACK_TIMEOUT_MS = 1_200_000;

/** Which code was measured; `-dirty` when the working tree had uncommitted changes. */
function gitRevision(): string | undefined {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function devstackFigures(quick: boolean): Promise<Record<string, number>> {
  const worker = spawnNode('devstack-bench', {
    script: 'bench/devstack-worker.ts',
    args: quick ? ['--quick'] : [],
    nodeArgs: ['--max-old-space-size=8192'],
  });
  return jsonResultOf<Record<string, number>>(worker, DEVSTACK_TIMEOUT_MS);
}

const LATEST = join(ROOT, 'bench', 'results', 'latest.json');
const PREVIOUS = join(ROOT, 'bench', 'results', 'previous.json');

/** `--report-only`: re-render BENCHMARKS.md from the last latest.json (after editing the analysis text). */
async function rerender(): Promise<void> {
  const results = await readResults(LATEST);
  if (!results) throw new Error(`no results to re-render in ${LATEST}`);
  await writeReport(
    ROOT,
    results,
    FINDINGS,
    reportText(results.mode === 'quick'),
    await readResults(PREVIOUS),
  );
  log('re-rendered BENCHMARKS.md and bench/results/latest.json from the last results');
}

async function main(): Promise<void> {
  if (process.argv.includes('--report-only')) return rerender();
  const quick = process.argv.includes('--quick');
  const startedAt = new Date();
  const machine = describeMachine();
  const revision = gitRevision();
  // The run before this one, read before anything is overwritten: its figures go beside the new ones.
  const previous = await readResults(LATEST);
  log(
    `measuring ${revision ?? 'an unknown commit'}, services ${SERVICE_MODE}; previous run: ${previous?.revision ?? 'none'}`,
  );
  const errors: Record<string, string> = {};
  const stage = async <T>(name: string, run: () => Promise<T>): Promise<T | undefined> => {
    log(`${name}…`);
    const started = performance.now();
    try {
      const result = await run();
      log(`${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      return result;
    } catch (error) {
      errors[name] = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
      log(`${name} failed: ${error instanceof Error ? error.stack : String(error)}`);
      return undefined;
    } finally {
      await stopAll();
    }
  };

  if (SERVICE_MODE === 'compiled') await stage('build', buildServices);
  const devstack = await stage('devstack', () => devstackFigures(quick));
  const ingest = await stage('ingest', () => benchIngest({ quick }));
  const e2e = await stage('e2e', () => benchE2e({ quick }));
  const scaling = await stage('processing', () => benchProcessingScaling({ quick }));
  const peer = await stage('emmett', () => benchEmmettPeer({ quick }));
  const rebuild = await stage('rebuild', () => benchRebuild({ quick }));
  const snapshot = await stage('snapshot', () => benchSnapshotLoad());
  const profiles = quick ? undefined : await stage('profile', () => profileBottlenecks());

  const results: BenchResults = {
    mode: quick ? 'quick' : 'full',
    startedAt: startedAt.toISOString(),
    revision,
    durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
    machine,
    ingest: ingest && { ...ingest, ratioToBare: ingest.reqPerSec / ingest.bareExpressReqPerSec },
    e2e: e2e && { ...e2e },
    processing: scaling && {
      messages: scaling.messages,
      eventsPerSec1: scaling.eventsPerSec1,
      eventsPerSec2: scaling.eventsPerSec2,
      ...(peer && {
        comparedOrdersPerSec: peer.ordersPerSec,
        emmettOrdersPerSec: peer.emmettOrdersPerSec,
        emmettCpuMsPerOrder: peer.emmettCpuMsPerOrder,
        peerRounds: peer.rounds,
        ratioToEmmett: peer.emmettOrdersPerSec > 0 ? peer.ordersPerSec / peer.emmettOrdersPerSec : 0,
      }),
    },
    scaling: scaling && {
      ratio2to1: scaling.ratio2to1,
      ...(scaling.pinned && {
        pinnedEventsPerSec1: scaling.pinned.eventsPerSec1,
        pinnedEventsPerSec2: scaling.pinned.eventsPerSec2,
        ratio2to1Pinned: scaling.pinned.ratio2to1,
      }),
    },
    rebuild: rebuild && {
      ...rebuild,
      ratioToRead: rebuild.readEventsPerSec > 0 ? rebuild.eventsPerSec / rebuild.readEventsPerSec : undefined,
    },
    devstack,
    profiles: profiles && { e2e: profiles.e2e, rebuild: profiles.rebuild },
    errors,
    // Read by its dotted keys (`snapshot.ratio`) like every other section.
    ...(snapshot && { snapshot: { ...snapshot } }),
  };
  await writeReport(ROOT, results, FINDINGS, reportText(quick), previous);
  log(`wrote BENCHMARKS.md and bench/results/latest.json in ${results.durationSeconds.toFixed(0)} s`);
}

main()
  .catch((error: unknown) => {
    log(`bench failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exitCode = 1;
  })
  .finally(() => void stopAll());
