import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** The repository root, from `lib/` in the sources and from `dist/lib/` once compiled. */
export const REPOSITORY_ROOT = ((up) => (path.basename(up) === 'dist' ? path.dirname(up) : up))(
  path.resolve(__dirname, '..'),
);

export const DEFAULT_STOP_GRACE_MS = 15_000;
export const DEFAULT_READY_TIMEOUT_MS = 60_000;
const DEFAULT_WAIT_TIMEOUT_MS = 60_000;
const DEFAULT_KEPT_LINES = 10_000;
const OUTPUT_LINES_IN_ERRORS = 40;
const READY_POLL_MS = 100;

export type OutputStream = 'stdout' | 'stderr';

export interface ProcessSpec {
  /** Shown in errors and log prefixes, e.g. `shop-api` or `processing-2`. */
  readonly name: string;
  /**
   * Entry script relative to `cwd`: a TypeScript one (`shop-api/main.ts`) runs through tsx, a compiled one
   * (`dist/shop-api/main.js`) under plain node, as production runs it.
   */
  readonly entry: string;
  readonly args?: readonly string[];
  /** Added to the base environment; `undefined` removes a variable. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** `inherit` (default): this process' environment; `clean`: only PATH and HOME, so a developer's shell cannot leak in. */
  readonly baseEnv?: 'inherit' | 'clean';
  /** Flags for node itself (`--max-old-space-size=…`, `--cpu-prof`). */
  readonly nodeArgs?: readonly string[];
  readonly cwd?: string;
  /** Its own process group (pid = group id), as a terminal starts a command; signals go to the whole group. */
  readonly processGroup?: boolean;
  /** On a pseudo-terminal (util-linux `script`), so its stdout is a TTY; implies `processGroup`. */
  readonly terminal?: boolean;
  /** Every output line as it arrives, e.g. to relay it with the process' name before it. */
  readonly onLine?: (line: string, stream: OutputStream) => void;
  /** How many of the latest lines `lines` keeps (default 10,000). */
  readonly keptLines?: number;
}

/** How to tell a process is ready: something accepts TCP connections, or a URL answers 2xx. */
export type ReadyProbe =
  | { readonly port: number; readonly host?: string }
  | { readonly url: string; readonly headers?: Readonly<Record<string, string>> };

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** The latest output lines, stdout and stderr interleaved as they arrived. */
  readonly lines: readonly string[];
  /** The last `count` lines joined, for error messages. */
  output(count?: number): string;
  /** Resolves with the exit code (null when a signal ended it) once the process has exited and its output is read. */
  readonly exited: Promise<number | null>;
  /** The signal that ended it, once exited by one. */
  exitSignal(): NodeJS.Signals | null;
  hasExited(): boolean;
  /** The first line (already printed or still to come) that contains `text` or passes the predicate. */
  waitForLine(match: string | ((line: string) => boolean), timeoutMs?: number): Promise<string>;
  /** The first JSON log line whose `msg` is `msg`. */
  waitForLog(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Polls the probe until it answers; fails with the last output if the deadline passes or the process exits. */
  waitUntilReady(probe: ReadyProbe, timeoutMs?: number): Promise<void>;
  /** Sends `signal` (to the group for a group process) and resolves with the exit code. */
  kill(signal: NodeJS.Signals): Promise<number | null>;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

const shellQuote = (arg: string) => `'${arg.replace(/'/g, "'\\''")}'`;

function environment(spec: ProcessSpec): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv =
    spec.baseEnv === 'clean' ? { PATH: process.env.PATH, HOME: process.env.HOME } : { ...process.env };
  for (const [key, value] of Object.entries(spec.env ?? {})) {
    if (value === undefined) delete base[key];
    else base[key] = value;
  }
  return base;
}

/**
 * `node --import tsx`, not the tsx CLI: the CLI runs the script in a second process that signals would miss.
 * Compiled entries run as production runs them: plain node, no source-map stack formatting (it cost a tenth of a
 * processor's CPU on errors the clients throw routinely; set NODE_OPTIONS=--enable-source-maps to debug).
 */
function commandLine(spec: ProcessSpec, cwd: string): [string, string[]] {
  const loader = spec.entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const nodeArgs = [...(spec.nodeArgs ?? []), ...loader, path.resolve(cwd, spec.entry), ...(spec.args ?? [])];
  if (!spec.terminal) return [process.execPath, nodeArgs];
  return ['script', ['-qfec', [process.execPath, ...nodeArgs].map(shellQuote).join(' '), '/dev/null']];
}

function describeProbe(probe: ReadyProbe): string {
  return 'url' in probe ? `at ${probe.url}` : `on port ${probe.port}`;
}

async function probeAnswers(probe: ReadyProbe): Promise<boolean> {
  if ('url' in probe) {
    return fetch(probe.url, { headers: probe.headers }).then(
      (res) => res.ok,
      () => false,
    );
  }
  return new Promise<boolean>((resolve) => {
    const socket = connect(probe.port, probe.host ?? '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts one node process and keeps its output; see `ManagedProcess` for what it offers. */
export function runProcess(spec: ProcessSpec): ManagedProcess {
  const cwd = spec.cwd ?? REPOSITORY_ROOT;
  const [command, args] = commandLine(spec, cwd);
  const group = (spec.processGroup ?? false) || (spec.terminal ?? false);
  const child = spawn(command, args, {
    cwd,
    env: environment(spec),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: group,
  });
  if (child.pid === undefined) throw new Error(`${spec.name}: could not start ${spec.entry}`);
  const pid = child.pid;
  const keep = spec.keptLines ?? DEFAULT_KEPT_LINES;
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  const onLine = (stream: OutputStream) => (line: string) => {
    lines.push(line);
    if (lines.length > keep) lines.splice(0, lines.length - keep);
    spec.onLine?.(line, stream);
    for (const listener of [...listeners]) listener(line);
  };
  const readers = [['stdout', child.stdout] as const, ['stderr', child.stderr] as const].map(
    ([stream, input]) =>
      new Promise<void>((resolve) =>
        createInterface({ input }).on('line', onLine(stream)).once('close', resolve),
      ),
  );
  const exitedBySignal = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // A grandchild holding the pipes (tsx's esbuild) may keep them open a moment after the exit.
  const exited = exitedBySignal.then(async (code) => {
    await Promise.all(readers);
    return code;
  });
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  const output = (count = OUTPUT_LINES_IN_ERRORS) => lines.slice(-count).join('\n');
  const signal = (sig: NodeJS.Signals) => {
    if (hasExited()) return;
    try {
      if (group) process.kill(-pid, sig);
      else child.kill(sig);
    } catch {
      // gone between the check and the signal
    }
  };

  const waitForLine = (match: string | ((line: string) => boolean), timeoutMs = DEFAULT_WAIT_TIMEOUT_MS) => {
    const test = typeof match === 'string' ? (line: string) => line.includes(match) : match;
    const what = typeof match === 'string' ? `"${match}"` : 'the expected line';
    const earlier = lines.find(test);
    if (earlier !== undefined) return Promise.resolve(earlier);
    return new Promise<string>((resolve, reject) => {
      const done = (finish: () => void) => {
        clearTimeout(timer);
        listeners.delete(listener);
        finish();
      };
      const listener = (line: string) => {
        if (test(line)) done(() => resolve(line));
      };
      const fail = (why: string) =>
        done(() =>
          reject(new Error(`${spec.name} ${why} before printing ${what}; last output:\n${output()}`)),
        );
      const timer = setTimeout(() => fail(`ran ${timeoutMs} ms`), timeoutMs);
      listeners.add(listener);
      void exited.then((code) => fail(`exited (code ${String(code)}, signal ${String(child.signalCode)})`));
    });
  };

  const parseLog = (line: string): Record<string, unknown> | undefined => {
    try {
      const parsed: unknown = JSON.parse(line);
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  };

  return {
    name: spec.name,
    pid,
    child,
    lines,
    output,
    exited,
    exitSignal: () => child.signalCode,
    hasExited,
    waitForLine,
    async waitForLog(msg, timeoutMs) {
      const line = await waitForLine((text) => parseLog(text)?.msg === msg, timeoutMs);
      return parseLog(line)!;
    },
    async waitUntilReady(probe, timeoutMs = DEFAULT_READY_TIMEOUT_MS) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (hasExited()) {
          await exited;
          throw new Error(
            `${spec.name} exited (code ${String(child.exitCode)}) before it was ready ${describeProbe(probe)}; last output:\n${output()}`,
          );
        }
        if (await probeAnswers(probe)) return;
        if (Date.now() >= deadline) {
          throw new Error(
            `${spec.name} was not ready ${describeProbe(probe)} within ${timeoutMs} ms; last output:\n${output()}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
      }
    },
    kill(sig) {
      signal(sig);
      return exited;
    },
    async stop(graceMs = DEFAULT_STOP_GRACE_MS) {
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** A port nothing listens on right now (bound to port 0, then released): for a service, or to play a dead server. */
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

/** `name         | line`: how `npm start` shows which service printed a line. */
export function prefixedLine(name: string, line: string, width = 13): string {
  return `${name.padEnd(width)}| ${line}`;
}
