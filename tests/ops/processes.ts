import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { TEST_API_KEYS, TEST_MASTER_KEY_BASE64 } from '../support/test-keys';

export const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const COMMAND_TIMEOUT_MS = 60_000;

/** The environment a child sees: this one minus what the tests set, so a developer's shell cannot leak in. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LOG_LEVEL: 'warn',
    PII_MASTER_KEY: TEST_MASTER_KEY_BASE64,
    API_KEYS: TEST_API_KEYS,
  };
  return { ...base, ...env };
}

/**
 * Children run in their own process group: `tsx` is a wrapper that starts the real node process, and SIGKILL
 * (which the wrapper cannot relay) must reach both. SIGTERM goes to the wrapper only, which relays it once.
 */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a TypeScript entry point (`admin/main.ts`, `shop-api/main.ts`, ...) to completion. */
export function runToEnd(
  entry: string,
  args: readonly string[],
  env: Record<string, string>,
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [path.join(ROOT, entry), ...args], {
      cwd: ROOT,
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      killGroup(child);
      reject(
        new Error(
          `${entry} ${args.join(' ')} did not finish in ${COMMAND_TIMEOUT_MS} ms:\n${stdout}${stderr}`,
        ),
      );
    }, COMMAND_TIMEOUT_MS);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface RunningService {
  readonly child: ChildProcess;
  /** Every line written to stdout and stderr so far. */
  readonly lines: string[];
  readonly exited: Promise<number | null>;
  /** SIGTERM, and SIGKILL to the whole group if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<number | null>;
}

export const DEFAULT_STOP_GRACE_MS = 15_000;

/** Starts a long-running service process; `stop` sends SIGTERM and waits for the exit. */
export function startService(entry: string, env: Record<string, string>): RunningService {
  const child = spawn(TSX, [path.join(ROOT, entry)], {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const lines: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
  createInterface({ input: child.stderr }).on('line', (line) => lines.push(line));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    exited,
    async stop(graceMs = DEFAULT_STOP_GRACE_MS) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => killGroup(child), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** A port nothing listens on (bound, then released), to play an unreachable server. */
export function closedPort(): Promise<number> {
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
