import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { REPOSITORY_ROOT, runProcess, type ManagedProcess } from '../lib/process-runner';

export { freePort } from '../lib/process-runner';
export const ROOT = REPOSITORY_ROOT;
const OUTPUT_KEPT_LINES = 200;

export interface SpawnOptions {
  /** Entry point relative to the repository root: `.ts` through tsx, `dist/….js` compiled. */
  readonly script: string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Directory for `node --cpu-prof` output; the profile is written when the process exits cleanly. */
  readonly cpuProfDir?: string;
  /** Extra flags for node itself, e.g. a larger heap. */
  readonly nodeArgs?: readonly string[];
}

export interface BenchProcess extends ManagedProcess {
  /** Peak resident set size so far (VmHWM from /proc), in MiB; undefined once the process is gone. */
  peakRssMiB(): number | undefined;
  /** User + system CPU time used so far (utime + stime from /proc), in ms; undefined once it is gone. */
  cpuMs(): number | undefined;
  /** SIGKILL, or for a profiled process SIGTERM then SIGKILL after the grace period; resolves once it exited. */
  stop(): Promise<number | null>;
}

const running = new Set<BenchProcess>();
const spawned: { readonly name: string; readonly pid: number }[] = [];

/** Every process started so far, by name and pid (to match `--cpu-prof` files to processes). */
export function spawnedProcesses(): readonly { readonly name: string; readonly pid: number }[] {
  return spawned;
}
let exitHookInstalled = false;

/** Children must never outlive the bench, even when it fails or is interrupted. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const proc of running) proc.child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const proc of running) proc.child.kill('SIGKILL');
      process.exit(130);
    });
  }
}

/** Reads a `Vm*` line of /proc/PID/status in MiB. */
export function procStatusMiB(pid: number, field: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match?.[1] === undefined ? undefined : Number(match[1]) / 1024;
  } catch {
    return undefined;
  }
}

let clockTicksPerSecond: number | undefined;

function clockTicks(): number {
  if (clockTicksPerSecond === undefined) {
    try {
      clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicksPerSecond = 100;
    }
  }
  return clockTicksPerSecond;
}

/** utime + stime of a process from /proc/PID/stat, in ms. */
export function procCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may hold spaces, so count fields after the last ')'; utime and stime are
    // fields 14 and 15, i.e. the 12th and 13th after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / clockTicks() : undefined;
  } catch {
    return undefined;
  }
}

/** Starts one process through the shared runner; the bench keeps only its last lines. */
export function spawnNode(name: string, options: SpawnOptions): BenchProcess {
  installExitHook();
  const profiled = options.cpuProfDir !== undefined;
  const proc = runProcess({
    name,
    entry: options.script,
    args: options.args,
    env: { LOG_LEVEL: 'warn', ...options.env },
    nodeArgs: [
      ...(options.nodeArgs ?? []),
      ...(profiled ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : []),
    ],
    keptLines: OUTPUT_KEPT_LINES,
  });
  spawned.push({ name, pid: proc.pid });
  const bench: BenchProcess = {
    ...proc,
    peakRssMiB: () => procStatusMiB(proc.pid, 'VmHWM'),
    cpuMs: () => procCpuMs(proc.pid),
    // A profiled process must exit cleanly to write its profile; any other is killed at once (its data is scratch).
    stop: () => (profiled ? proc.stop() : proc.kill('SIGKILL')),
  };
  running.add(bench);
  void proc.exited.then(() => running.delete(bench));
  return bench;
}

/** Waits for a process that ends by itself (a worker) and returns the last JSON line it printed. */
export async function jsonResultOf<T>(proc: BenchProcess, timeoutMs: number): Promise<T> {
  const timer = setTimeout(() => void proc.kill('SIGKILL'), timeoutMs);
  const code = await proc.exited;
  clearTimeout(timer);
  const result = lastJsonLine<T>(
    proc,
    (line) => !line.includes('"level"') && !line.startsWith('{"progress"'),
  );
  if (code !== 0 || result === undefined) {
    throw new Error(`${proc.name} failed (exit ${String(code)}):\n${proc.output()}`);
  }
  return result;
}

/** The last line of a process' output that is a JSON object and passes `accept`. */
export function lastJsonLine<T>(proc: BenchProcess, accept: (line: string) => boolean): T | undefined {
  for (const line of [...proc.lines].reverse()) {
    if (!line.startsWith('{') || !accept(line)) continue;
    try {
      return JSON.parse(line) as T;
    } catch {
      // a line cut short: take the one before
    }
  }
  return undefined;
}

/** Stops every process still running, in reverse start order (services before the servers they use). */
export async function stopAll(): Promise<void> {
  for (const proc of [...running].reverse()) await proc.stop();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export { sleep };
