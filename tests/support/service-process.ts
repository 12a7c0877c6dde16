import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { TEST_API_KEYS, TEST_MASTER_KEY_BASE64 } from './test-keys';

const ROOT = path.resolve(__dirname, '../..');

export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly lines: string[];
  /** Resolves with the first JSON log line whose msg matches. */
  waitForLog(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves with the first line (JSON or not) that contains `text`. */
  waitForLine(text: string, timeoutMs?: number): Promise<string>;
  /** Resolves when the process has exited, with its exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface ServiceProcessOptions {
  readonly args?: readonly string[];
  /** Its own process group (pid = group id), as a terminal starts a command: signal it with `-pid`. */
  readonly processGroup?: boolean;
  /**
   * Run it on a pseudo-terminal (util-linux `script`), as in a developer's terminal: its stdout is a TTY. It gets its
   * own process group, and `stop` signals the group.
   */
  readonly terminal?: boolean;
}

const shellQuote = (arg: string) => `'${arg.replace(/'/g, "'\\''")}'`;

/**
 * Runs one service (`shop-api`, `processing`, `synchronizers`, ...) as its own process, as production does: a
 * TypeScript entry (`shop-api/main.ts`) through tsx, a compiled one (`dist/shop-api/main.js`) by plain node.
 */
export function startServiceProcess(
  entry: string,
  env: Record<string, string>,
  options: ServiceProcessOptions = {},
): ServiceProcess {
  // `node --import tsx` rather than the tsx CLI: the CLI runs the script in a second process, so a signal sent to
  // it (SIGKILL above all) would not reach the service.
  const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : ['--enable-source-maps'];
  const nodeArgs = [...loader, path.join(ROOT, entry), ...(options.args ?? [])];
  const [command, args] = options.terminal
    ? ['script', ['-qfec', [process.execPath, ...nodeArgs].map(shellQuote).join(' '), '/dev/null']]
    : [process.execPath, nodeArgs];
  const child = spawn(command, args, {
    cwd: ROOT,
    // Services need a master key (personal data) and accept the run's test API keys, unless a spec sets its own.
    env: {
      ...process.env,
      LOG_LEVEL: 'info',
      PII_MASTER_KEY: TEST_MASTER_KEY_BASE64,
      API_KEYS: TEST_API_KEYS,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: (options.processGroup ?? false) || (options.terminal ?? false),
  });
  const lines: string[] = [];
  const logged: Record<string, unknown>[] = [];
  const waiters: { msg: string; resolve: (line: Record<string, unknown>) => void }[] = [];
  const lineWaiters: { text: string; resolve: (line: string) => void }[] = [];
  const onLine = (line: string) => {
    lines.push(line);
    for (const waiter of lineWaiters.filter((w) => line.includes(w.text))) {
      lineWaiters.splice(lineWaiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
    let parsed: Record<string, unknown> | undefined;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    logged.push(parsed);
    for (const waiter of [...waiters]) {
      if (parsed.msg === waiter.msg) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(parsed);
      }
    }
  };
  createInterface({ input: child.stdout }).on('line', onLine);
  createInterface({ input: child.stderr }).on('line', onLine);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    exited,
    waitForLog(msg, timeoutMs = 20_000) {
      const earlier = logged.find((line) => line.msg === msg);
      if (earlier) return Promise.resolve(earlier);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(new Error(`${entry} did not log "${msg}" within ${timeoutMs} ms:\n${lines.join('\n')}`)),
          timeoutMs,
        );
        waiters.push({
          msg,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
      });
    },
    waitForLine(text, timeoutMs = 60_000) {
      const earlier = lines.find((line) => line.includes(text));
      if (earlier !== undefined) return Promise.resolve(earlier);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(`${entry} did not print "${text}" within ${timeoutMs} ms:\n${lines.join('\n')}`),
            ),
          timeoutMs,
        );
        lineWaiters.push({
          text,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) {
        if (options.terminal) process.kill(-child.pid!, signal);
        else child.kill(signal);
      }
      return exited;
    },
  };
}
