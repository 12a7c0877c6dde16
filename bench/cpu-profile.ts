import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) that self time needs. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
    readonly hitCount?: number;
  }[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
}

export interface HotFunction {
  readonly name: string;
  /** File (last two path segments) and 1-based line. */
  readonly where: string;
  readonly selfMs: number;
  /** Share of the process' busy (non-idle) time. */
  readonly share: number;
}

export interface ProfileSummary {
  readonly wallMs: number;
  readonly busyMs: number;
  readonly top: readonly HotFunction[];
}

const IDLE = '(idle)';
const TOP_FUNCTIONS = 6;

function shortPath(url: string): string {
  if (url === '') return '';
  return url
    .replace(/^file:\/\//, '')
    .split('/')
    .slice(-2)
    .join('/');
}

/** Self time per function (summed over call sites) from sample counts; idle time excluded from the shares. */
export function summarizeProfile(profile: CpuProfile, topN = TOP_FUNCTIONS): ProfileSummary {
  const wallMs = (profile.endTime - profile.startTime) / 1000;
  const totalHits = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const msPerHit = totalHits > 0 ? wallMs / totalHits : 0;
  const self = new Map<string, { name: string; where: string; hits: number }>();
  let idleHits = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === IDLE) {
      idleHits += hits;
      continue;
    }
    const name = functionName === '' ? '(anonymous)' : functionName;
    const where = url === '' ? '' : `${shortPath(url)}:${lineNumber + 1}`;
    const key = `${name}@${where}`;
    const entry = self.get(key) ?? { name, where, hits: 0 };
    entry.hits += hits;
    self.set(key, entry);
  }
  const busyHits = totalHits - idleHits;
  const top = [...self.values()]
    .sort((a, b) => b.hits - a.hits)
    .slice(0, topN)
    .map((e) => ({
      name: e.name,
      where: e.where,
      selfMs: e.hits * msPerHit,
      share: busyHits > 0 ? e.hits / busyHits : 0,
    }));
  return { wallMs, busyMs: busyHits * msPerHit, top };
}

/** Reads the main-thread profiles in `dir`, keyed by the process name its pid had. */
export async function readProfiles(
  dir: string,
  nameByPid: ReadonlyMap<number, string>,
): Promise<Record<string, ProfileSummary>> {
  const summaries: Record<string, ProfileSummary> = {};
  for (const file of await readdir(dir).catch(() => [])) {
    // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the main thread.
    const match = /^CPU\.\d+\.\d+\.(\d+)\.0\.\d+\.cpuprofile$/.exec(file);
    const name = match?.[1] === undefined ? undefined : nameByPid.get(Number(match[1]));
    if (name === undefined) continue;
    const profile = JSON.parse(await readFile(join(dir, file), 'utf8')) as CpuProfile;
    summaries[name] = summarizeProfile(profile);
  }
  return summaries;
}
