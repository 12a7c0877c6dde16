import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { BENCH_AUTHORIZATION } from './bench-key';

export const ROOT = join(__dirname, '..');
const STOP_GRACE_MS = 15_000;
const READY_POLL_MS = 100;
const DEFAULT_READY_TIMEOUT_MS = 60_000;
const OUTPUT_TAIL_CHARS = 4_000;

export interface SpawnOptions {
  /** Path of the TypeScript entry point, relative to the repository root. */
  readonly script: string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Directory for `node --cpu-prof` output; the profile is written when the process exits cleanly. */
  readonly cpuProfDir?: string;
  /** Extra flags for node itself, e.g. a larger heap. */
  readonly nodeArgs?: readonly string[];
}

/** A profiled process must exit cleanly to write its profile; any other is killed at once (its data is scratch). */
function stopsGracefully(options: SpawnOptions): boolean {
  return options.cpuProfDir !== undefined;
}

export interface BenchProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Last few KiB of stdout + stderr, for error messages. */
  output(): string;
  /** Peak resident set size so far (VmHWM from /proc), in MiB; undefined once the process is gone. */
  peakRssMiB(): number | undefined;
  /** SIGKILL, or for a profiled process SIGTERM then SIGKILL after a grace period; resolves once it has exited. */
  stop(): Promise<void>;
  readonly exited: Promise<number | null>;
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

/** Starts `node --import tsx SCRIPT` directly (not through the tsx wrapper), so the pid is the real process. */
export function spawnNode(name: string, options: SpawnOptions): BenchProcess {
  installExitHook();
  const nodeArgs = [...(options.nodeArgs ?? []), '--import', 'tsx'];
  if (options.cpuProfDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`);
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, options.script), ...(options.args ?? [])], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${options.script}`);
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const pid = child.pid;
  const graceful = stopsGracefully(options);
  spawned.push({ name, pid });
  let stopping: Promise<void> | undefined;
  const proc: BenchProcess = {
    name,
    pid,
    child,
    exited,
    output: () => tail,
    peakRssMiB: () => procStatusMiB(pid, 'VmHWM'),
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill(graceful ? 'SIGTERM' : 'SIGKILL');
          const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
          await exited;
          clearTimeout(timer);
        }
        running.delete(proc);
      })();
      return stopping;
    },
  };
  running.add(proc);
  void exited.then(() => running.delete(proc));
  return proc;
}

/** Waits for a process that ends by itself (a worker) and returns the last JSON line it printed. */
export async function jsonResultOf<T>(proc: BenchProcess, timeoutMs: number): Promise<T> {
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), timeoutMs);
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
  for (const line of proc.output().split('\n').reverse()) {
    if (!line.startsWith('{') || !accept(line)) continue;
    try {
      return JSON.parse(line) as T;
    } catch {
      // a line still being written: take the one before
    }
  }
  return undefined;
}

/** Stops every process still running, in reverse start order (services before the servers they use). */
export async function stopAll(): Promise<void> {
  for (const proc of [...running].reverse()) await proc.stop();
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export { sleep };

/** Polls `url` until it answers 200; fails early if the process exits. */
export async function waitForHttp(
  proc: BenchProcess,
  url: string,
  timeoutMs = DEFAULT_READY_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) {
      throw new Error(`${proc.name} exited with ${proc.child.exitCode}:\n${proc.output()}`);
    }
    const ok = await fetch(url, { headers: BENCH_AUTHORIZATION }).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    await sleep(READY_POLL_MS);
  }
  throw new Error(`${proc.name} not ready at ${url} after ${timeoutMs} ms:\n${proc.output()}`);
}

/** Waits until something accepts TCP connections on 127.0.0.1:port (the embedded servers have no HTTP). */
export async function waitForPort(proc: BenchProcess, port: number, timeoutMs = DEFAULT_READY_TIMEOUT_MS) {
  const { connect } = await import('node:net');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) {
      throw new Error(`${proc.name} exited with ${proc.child.exitCode}:\n${proc.output()}`);
    }
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(READY_POLL_MS);
  }
  throw new Error(`${proc.name} not listening on ${port} after ${timeoutMs} ms:\n${proc.output()}`);
}
