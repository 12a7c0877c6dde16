import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readProfiles, type ProfileSummary } from './cpu-profile';
import { benchE2e } from './e2e';
import { spawnedProcesses } from './processes';
import { benchRebuild } from './rebuild';

const E2E_PROFILE_SECONDS = 8;
const PROFILE_REBUILD_EVENTS = 20_000;

export interface Profiles {
  /** Every pipeline process while orders flow at the e2e rate. */
  readonly e2e: Record<string, ProfileSummary>;
  /** The embedded servers and the rebuild process during a rebuild of a 20,000-event history. */
  readonly rebuild: Record<string, ProfileSummary>;
}

async function profiled(run: (cpuProfDir: string) => Promise<unknown>) {
  const dir = await mkdtemp(join(tmpdir(), 'bench-prof-'));
  try {
    const before = spawnedProcesses().length;
    await run(dir);
    const names = new Map(
      spawnedProcesses()
        .slice(before)
        .map((p) => [p.pid, p.name]),
    );
    return await readProfiles(dir, names);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Short extra runs with every process under `node --cpu-prof`, kept apart from the measured runs so the
 * profiler's overhead is in no figure. Names the busiest processes and their top self-time functions.
 */
export async function profileBottlenecks(): Promise<Profiles> {
  const e2e = await profiled((cpuProfDir) =>
    benchE2e({ quick: true, seconds: E2E_PROFILE_SECONDS, cpuProfDir, keepUpLadder: false }),
  );
  const rebuild = await profiled((cpuProfDir) =>
    benchRebuild({ quick: true, events: PROFILE_REBUILD_EVENTS, cpuProfDir }),
  );
  return { e2e, rebuild };
}
